/** Just enough WGSL highlighting for the read-only output view. */
import { StreamLanguage } from '@codemirror/language';

const KEYWORDS = new Set([
  'fn', 'let', 'var', 'const', 'override', 'struct', 'return', 'if', 'else', 'for', 'loop', 'while',
  'break', 'continue', 'switch', 'case', 'default', 'alias', 'enable', 'requires', 'true', 'false',
]);
const TYPES = /^(?:f32|f16|i32|u32|bool|vec[234][fhiu]?|mat[234]x[234][fh]?|array|atomic|ptr)$/;

export const wgslLanguage = StreamLanguage.define<null>({
  name: 'wgsl',
  startState: () => null,
  token(stream) {
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'lineComment';
    }
    if (stream.match(/^@[A-Za-z_]+/)) return 'meta';
    if (stream.match(/^(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)[fhiu]?/)) return 'number';
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/);
    if (word !== null && typeof word !== 'boolean') {
      const w = word[0];
      if (KEYWORDS.has(w)) return 'keyword';
      if (TYPES.test(w)) return 'typeName';
      return 'variableName';
    }
    stream.next();
    return null;
  },
});
