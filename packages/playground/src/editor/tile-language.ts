/**
 * Syntax highlighting for the tile language: a line tokenizer (CodeMirror's StreamLanguage),
 * not a grammar. Diagnostics come from the real parser (see lint.ts), so this only has to
 * colour words. Keywords, dtypes and builtins are read from tessera-gpu-dsl, so a builtin added
 * there is highlighted here without an edit.
 */
import { StreamLanguage, type StreamParser } from '@codemirror/language';
import { SCALAR_TYPES } from 'tessera-gpu-dsl';
import { ALL_BUILTINS } from 'tessera-gpu-dsl/check';

const KEYWORDS = new Set(['fn', 'let', 'var', 'for', 'in', 'if', 'else', 'return']);
const ATOMS = new Set(['true', 'false']);
const DTYPES = new Set<string>(SCALAR_TYPES);

interface State {
  /** Inside a block comment that started on an earlier line. */
  inComment: boolean;
}

const parser: StreamParser<State> = {
  name: 'tessera',
  startState: () => ({ inComment: false }),
  copyState: (s) => ({ inComment: s.inComment }),
  token(stream, state) {
    if (state.inComment) {
      if (stream.skipTo('*/')) {
        stream.next();
        stream.next();
        state.inComment = false;
      } else {
        stream.skipToEnd();
      }
      return 'blockComment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'lineComment';
    }
    if (stream.match('/*')) {
      state.inComment = true;
      return parser.token(stream, state);
    }
    if (stream.match(/^\$\{\d+\}/)) return 'meta';
    // As the lexer reads them (packages/dsl/src/lexer.ts): hex, `_` between digits.
    if (stream.match(/^(?:0[xX][0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?)/)) return 'number';
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/);
    if (word !== null && typeof word !== 'boolean') {
      const w = word[0];
      if (KEYWORDS.has(w)) return 'keyword';
      if (ATOMS.has(w)) return 'bool';
      if (DTYPES.has(w)) return 'typeName';
      // `f32(x)` is a cast: dtypes are checked first, so it reads as a type either way.
      if (ALL_BUILTINS.has(w)) return 'variableName.standard';
      if (/^[A-Z][A-Z0-9_]*$/.test(w)) return 'variableName.constant'; // symbolic dims: M, N, K
      return 'variableName';
    }
    if (stream.match(/^(?:->|<<=|>>=|<<|>>|[+\-*/&|^]=|==|!=|<=|>=|&&|\|\||[=<>+\-*/%@!&|^~])/)) return 'operator';
    if (stream.match(/^[()[\]{}]/)) return 'bracket';
    if (stream.match(/^[,;:.]/)) return 'punctuation';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
};

export const tileLanguage = StreamLanguage.define(parser);
