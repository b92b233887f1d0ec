/**
 * The grammar of the tile language, as a chevrotain CstParser. The concrete syntax tree
 * it builds never leaves the front end: `cst-to-ast.ts` turns it into the typed AST.
 *
 *   program    := { fn }                       (exactly one fn is checked in cst-to-ast)
 *   fn         := 'fn' IDENT '(' [ param { ',' param } [ ',' ] ] ')'
 *                 [ '->' ( type | '(' type { ',' type } [ ',' ] ')' ) ] block
 *   param      := IDENT ':' type
 *   type       := DTYPE [ '[' dim { ',' dim } [ ',' ] ']' ]
 *                 DTYPE is an IDENT (f32 f16 i32 u32 bool), checked in cst-to-ast so that
 *                 `f64[N]` gets a "valid dtypes are …" hint instead of a bare syntax error
 *   dim        := expr                          (IDENT, INT or a number hole; cst-to-ast)
 *   block      := '{' { stmt } '}'
 *   stmt       := ( 'let' | 'var' ) IDENT '=' expr ';'
 *               | 'for' ( IDENT | '(' IDENT { ',' IDENT } [ ',' ] ')' ) 'in' expr block
 *               | 'if' expr block [ 'else' ( block | ifStmt ) ]
 *               | 'return' [ expr ] ';'
 *               | block
 *               | expr [ ASSIGN_OP expr ] ';'  ASSIGN_OP := '=' | '+=' | '-=' | '*=' | '/='
 *                                                         | '&=' | '|=' | '^=' | '<<=' | '>>='
 *   expr       := unary { BINOP unary }
 *                 BINOP by precedence, lowest first (all left-associative), as in
 *                 C and TypeScript:
 *                   '||'  <  '&&'  <  '|'  <  '^'  <  '&'  <  '==' '!='
 *                   <  '<' '<=' '>' '>='  <  '<<' '>>'  <  '+' '-'  <  '*' '/' '%' '@'
 *                 The parser reads the flat chain and cst-to-expr.ts applies the
 *                 precedence: one CST node per chain instead of six nested ones per
 *                 operand keeps parsing fast.
 *   unary      := ( '-' | '!' | '~' ) unary | postfix
 *   postfix    := primary { suffix }
 *   suffix     := '(' [ arg { ',' arg } [ ',' ] ] ')'          call
 *               | '[' index { ',' index } [ ',' ] ']'            index
 *               | '.' IDENT                                       member
 *   arg        := IDENT '=' expr | expr
 *   index      := ':' [ expr ] | expr [ ':' [ expr ] ]
 *   primary    := NUMBER | 'true' | 'false' | IDENT | HOLE
 *               | '(' expr { ',' expr } [ ',' ] ')'              parenthesised or tuple
 *               | '[' [ expr { ',' expr } [ ',' ] ] ']'          list
 *
 * The `for` iterator is parsed as any expression; cst-to-ast requires a call (TSR1014).
 * The `if` condition needs no parentheses: no expression can start with `{`, so the
 * block that follows ends it unambiguously.
 */
import {
  CstParser,
  EOF,
  type CstNode,
  type IParserErrorMessageProvider,
  type IToken,
  type ITokenGrammarPath,
  type TokenType,
} from 'chevrotain';
import * as T from './lexer.ts';

/**
 * What chevrotain knows about a syntax error, kept structured: the parser's message
 * provider serialises it into the exception's message and `parse.ts` decodes it, so the
 * catalogue (not chevrotain) words every message.
 */
export interface SyntaxErrorInfo {
  /** `mismatch`: one token expected; `noAlt`: none of several fit; `redundant`: input left over. */
  readonly kind: 'mismatch' | 'noAlt' | 'redundant';
  /** Token type names that would have fit (first token of each expected path). */
  readonly expected: readonly string[];
  readonly rule: string;
}

const firstTokens = (paths: readonly (readonly TokenType[])[]): string[] =>
  paths.flatMap((p) => (p[0] === undefined ? [] : [p[0].name]));

const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    JSON.stringify({ kind: 'mismatch', expected: [expected.name], rule: ruleName } satisfies SyntaxErrorInfo),
  buildNotAllInputParsedMessage: ({ ruleName }) =>
    JSON.stringify({ kind: 'redundant', expected: [], rule: ruleName } satisfies SyntaxErrorInfo),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    JSON.stringify({ kind: 'noAlt', expected: firstTokens(expectedPathsPerAlt.flat()), rule: ruleName } satisfies SyntaxErrorInfo),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    JSON.stringify({ kind: 'noAlt', expected: firstTokens(expectedIterationPaths), rule: ruleName } satisfies SyntaxErrorInfo),
};

export function decodeSyntaxError(message: string): SyntaxErrorInfo | undefined {
  try {
    const v: unknown = JSON.parse(message);
    if (typeof v !== 'object' || v === null) return undefined;
    const kind: unknown = Reflect.get(v, 'kind');
    const expected: unknown = Reflect.get(v, 'expected');
    const rule: unknown = Reflect.get(v, 'rule');
    if ((kind === 'mismatch' || kind === 'noAlt' || kind === 'redundant') && Array.isArray(expected) && typeof rule === 'string') {
      return { kind, expected: expected.filter((e): e is string => typeof e === 'string'), rule };
    }
  } catch {
    // Not one of ours: fall through.
  }
  return undefined;
}

/**
 * OR alternatives from plain function arguments. Writing `{ ALT: () => … }` inline names
 * each arrow after its property, and a build with esbuild's keepNames (tsx does this)
 * then wraps every arrow in a `__name(…)` call on every rule invocation: 3× slower.
 */
const alts = (...fns: (() => unknown)[]): { ALT: () => unknown }[] => fns.map((f) => ({ ALT: f }));

const tokenKey = (t: TokenType): string => t.name;

class TileParser extends CstParser {
  /** Memo for `getNextPossibleTokenTypes`, keyed by grammar path (bounded: see below). */
  private readonly follows = new Map<string, TokenType[]>();

  constructor() {
    super([...T.ALL_TOKENS], { recoveryEnabled: true, errorMessageProvider: messageProvider, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  /**
   * Error recovery asks which tokens may follow the one it expected, and chevrotain
   * answers by walking the grammar from the top rule, on every attempt: half the time
   * spent on broken text (which an editor re-parses on each key). The answer depends
   * only on the grammar path, so it is memoised. The path grows with nesting depth, so
   * the memo is capped to stay small on adversarial input.
   */
  protected override getNextPossibleTokenTypes(path: ITokenGrammarPath): TokenType[] {
    const key = `${path.ruleStack.join('/')}|${path.occurrenceStack.join('/')}|${tokenKey(path.lastTok)}|${path.lastTokOccurrence}`;
    const hit = this.follows.get(key);
    if (hit !== undefined) return hit;
    const follows = super.getNextPossibleTokenTypes(path);
    if (this.follows.size >= 4096) this.follows.clear();
    this.follows.set(key, follows);
    return follows;
  }

  program = this.RULE('program', () => {
    this.MANY(() => this.SUBRULE(this.fn));
  });

  fn = this.RULE('fn', () => {
    this.CONSUME(T.Fn);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.param);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
    this.OPTION3(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE(this.returnTypes);
    });
    this.SUBRULE(this.block);
  });

  param = this.RULE('param', () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.type);
  });

  returnTypes = this.RULE('returnTypes', () => {
    this.OR(
      alts(
        () => this.SUBRULE(this.type),
        () => {
          this.CONSUME(T.LParen);
          this.SUBRULE2(this.type);
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE3(this.type);
          });
          this.OPTION(() => this.CONSUME2(T.Comma));
          this.CONSUME(T.RParen);
        },
      ),
    );
  });

  type = this.RULE('type', () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.expr, { LABEL: 'dim' });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expr, { LABEL: 'dim' });
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
      this.CONSUME(T.RBracket);
    });
  });

  block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.stmt));
    this.CONSUME(T.RBrace);
  });

  stmt = this.RULE('stmt', () => {
    this.OR(
      alts(
        () => this.SUBRULE(this.declStmt),
        () => this.SUBRULE(this.forStmt),
        () => this.SUBRULE(this.ifStmt),
        () => this.SUBRULE(this.returnStmt),
        () => this.SUBRULE(this.block),
        () => this.SUBRULE(this.exprStmt),
      ),
    );
  });

  declStmt = this.RULE('declStmt', () => {
    this.OR(
      alts(
        () => this.CONSUME(T.Let),
        () => this.CONSUME(T.Var),
      ),
    );
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Assign);
    this.SUBRULE(this.expr);
    this.CONSUME(T.Semicolon);
  });

  forStmt = this.RULE('forStmt', () => {
    this.CONSUME(T.For);
    this.OR(
      alts(
        () => this.CONSUME(T.Identifier),
        () => {
          this.CONSUME(T.LParen);
          this.CONSUME2(T.Identifier);
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.CONSUME3(T.Identifier);
          });
          this.OPTION(() => this.CONSUME2(T.Comma));
          this.CONSUME(T.RParen);
        },
      ),
    );
    this.CONSUME(T.In);
    this.SUBRULE(this.expr);
    this.SUBRULE(this.block);
  });

  ifStmt = this.RULE('ifStmt', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expr);
    this.SUBRULE(this.block);
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.OR(
        alts(
          () => this.SUBRULE2(this.block, { LABEL: 'elseBlock' }),
          () => this.SUBRULE(this.ifStmt, { LABEL: 'elseIf' }),
        ),
      );
    });
  });

  returnStmt = this.RULE('returnStmt', () => {
    this.CONSUME(T.Return);
    this.OPTION(() => this.SUBRULE(this.expr));
    this.CONSUME(T.Semicolon);
  });

  exprStmt = this.RULE('exprStmt', () => {
    this.SUBRULE(this.expr, { LABEL: 'target' });
    this.OPTION(() => {
      this.CONSUME(T.AssignOp);
      this.SUBRULE2(this.expr, { LABEL: 'value' });
    });
    this.CONSUME(T.Semicolon);
  });

  // ---------------------------------------------------------------- expressions

  expr = this.RULE('expr', () => {
    this.SUBRULE(this.unaryExpr, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(T.BinaryOp, { LABEL: 'operator' });
      this.SUBRULE2(this.unaryExpr, { LABEL: 'operand' });
    });
  });

  unaryExpr = this.RULE('unaryExpr', () => {
    this.OR(
      alts(
        () => {
          this.CONSUME(T.UnaryOp);
          this.SUBRULE(this.unaryExpr);
        },
        () => this.SUBRULE(this.postfixExpr),
      ),
    );
  });

  postfixExpr = this.RULE('postfixExpr', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.suffix));
  });

  /** One suffix per node, so cst-to-expr sees calls, indexing and members in source order. */
  suffix = this.RULE('suffix', () => {
    this.OR(
      alts(
        () => {
          this.CONSUME(T.LParen);
          this.OPTION(() => {
            this.SUBRULE(this.arg);
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE2(this.arg);
            });
            this.OPTION2(() => this.CONSUME2(T.Comma));
          });
          this.CONSUME(T.RParen);
        },
        () => {
          this.CONSUME(T.LBracket);
          this.SUBRULE(this.indexItem);
          this.MANY2(() => {
            this.CONSUME3(T.Comma);
            this.SUBRULE2(this.indexItem);
          });
          this.OPTION3(() => this.CONSUME4(T.Comma));
          this.CONSUME(T.RBracket);
        },
        () => {
          this.CONSUME(T.Dot);
          this.CONSUME(T.Identifier);
        },
      ),
    );
  });

  arg = this.RULE('arg', () => {
    this.OR(
      alts(
        () => {
          this.CONSUME(T.Identifier, { LABEL: 'keyword' });
          this.CONSUME(T.Assign);
          this.SUBRULE(this.expr);
        },
        () => this.SUBRULE2(this.expr),
      ),
    );
  });

  indexItem = this.RULE('indexItem', () => {
    this.OR(
      alts(
        () => {
          this.CONSUME(T.Colon);
          this.OPTION(() => this.SUBRULE(this.expr, { LABEL: 'hi' }));
        },
        () => {
          this.SUBRULE2(this.expr, { LABEL: 'lo' });
          this.OPTION2(() => {
            this.CONSUME2(T.Colon);
            this.OPTION3(() => this.SUBRULE3(this.expr, { LABEL: 'hi' }));
          });
        },
      ),
    );
  });

  primary = this.RULE('primary', () => {
    this.OR(
      alts(
        () => this.CONSUME(T.NumberLit),
        () => this.CONSUME(T.InvalidNumber),
        () => this.CONSUME(T.True),
        () => this.CONSUME(T.False),
        () => this.CONSUME(T.Identifier),
        () => this.CONSUME(T.Hole),
        () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expr, { LABEL: 'item' });
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.expr, { LABEL: 'item' });
          });
          this.OPTION(() => this.CONSUME2(T.Comma));
          this.CONSUME(T.RParen);
        },
        () => {
          this.CONSUME(T.LBracket);
          this.OPTION2(() => {
            this.SUBRULE3(this.expr, { LABEL: 'listItem' });
            this.MANY2(() => {
              this.CONSUME3(T.Comma);
              this.SUBRULE4(this.expr, { LABEL: 'listItem' });
            });
            this.OPTION3(() => this.CONSUME4(T.Comma));
          });
          this.CONSUME(T.RBracket);
        },
      ),
    );
  });
}

// Built once at module load: performSelfAnalysis is the expensive part; `parseTokens`
// only resets the input.
const parser = new TileParser();

export interface CstParseResult {
  readonly cst: CstNode;
  readonly errors: readonly { readonly message: string; readonly token: IToken; readonly previousToken?: IToken }[];
}

/** Parses a token stream into a CST, recovering from errors (never throws on bad input). */
export function parseTokens(tokens: IToken[]): CstParseResult {
  parser.input = tokens;
  const cst = parser.program();
  return { cst, errors: [...parser.errors] };
}

export { EOF };
