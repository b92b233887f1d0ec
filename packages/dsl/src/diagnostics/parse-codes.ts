/**
 * The catalogue of diagnostics the front end (lexer, parser, CST → AST, holes) reports.
 * TSR1xxx codes live here; the checker keeps TSR2xxx in its own table; TSR9000 is an
 * internal compiler error. Codes are stable: tests and users match on them. Message and
 * hint templates take `{0}`, `{1}`, … from the arguments given to `raise`.
 */
import type { CatalogueEntry } from './catalogue-entry.ts';

const DTYPES = 'f32, f16, i32, u32, bool';
const HOLE_RULE = 'a ${…} hole takes a finite number, a boolean, or a func`…` called like ${relu}(x)';

export const PARSE_CODES = {
  // ---------------------------------------------------------------- syntax
  TSR1001: {
    severity: 'error',
    message: 'expected {0} but found {1}',
    hint: 'check the syntax near this token; see docs/language.md for the grammar',
  },
  TSR1002: {
    severity: 'error',
    message: "expected ';' after statement but found {0}",
    hint: "end each statement with ';'",
  },
  TSR1003: {
    severity: 'error',
    message: "unclosed '{0}': expected '{1}' before {2}",
    hint: "add the matching '{1}'",
  },
  TSR1004: {
    severity: 'error',
    message: 'unterminated block comment',
    hint: "close the comment with '*/'",
  },
  TSR1005: {
    severity: 'error',
    message: 'invalid character {0}',
    hint: 'kernel source uses ASCII names, numbers, operators and ${…} holes',
  },
  TSR1006: {
    severity: 'error',
    message: "invalid number literal '{0}'",
    hint: 'numbers are written 12, 1_000, 0xFF, 1.0, .5, 1e-3 or 2.5e3 (`_` only between digits); put an operator or a space between a number and a name',
  },
  TSR1007: {
    severity: 'error',
    message: 'unexpected {0} outside a fn',
    hint: 'a kernel template holds exactly one `fn name(params) -> type { … }` and nothing else',
  },
  TSR1008: {
    severity: 'error',
    message: 'no fn found in the kernel source',
    hint: 'write `fn name(x: f32[N]) -> f32[N] { … }`',
  },
  TSR1009: {
    severity: 'error',
    message: "a template holds one fn, but '{0}' follows '{1}'",
    hint: 'put each fn in its own kernel`…` or func`…` and pass funcs in through holes: ${relu}(x)',
  },
  TSR1010: {
    severity: 'error',
    message: "expected a return type after '->' but found {0}",
    hint: "write the result type, e.g. `-> f32[M, N]`, or `-> (f32[M], i32[M])` for several; or remove '->'",
  },
  TSR1011: {
    severity: 'error',
    message: "expected '->' before the return type '{0}'",
    hint: 'write `) -> {0}`',
  },
  TSR1012: {
    severity: 'error',
    message: "unknown dtype '{0}'",
    hint: `valid dtypes are ${DTYPES}`,
  },
  TSR1013: {
    severity: 'error',
    message: 'invalid dimension {0} in a type',
    hint: 'a dimension is a symbolic name (M) or a positive integer (4); a result type may also compute one from the parameters\' dims with + - * / (f32[M, A + B])',
  },
  TSR1014: {
    severity: 'error',
    message: 'a for loop iterates over a call, but this is {0}',
    hint: 'iterate over tile(M), tile([M, N], block=64), range(K) or range(0, K)',
  },
  TSR1015: {
    severity: 'error',
    message: 'expected an expression but found {0}',
    hint: 'an expression is a name, a number, true/false, a ${…} hole, a call, or (…) / […]',
  },
  TSR1016: {
    severity: 'error',
    message: "expected a statement or '}' but found {0}",
    hint: 'statements are let/var declarations, assignments, for, if, return, or { … } blocks',
  },
  TSR1017: {
    severity: 'error',
    message: "'{0}' is a keyword and cannot be used as a name",
    hint: 'choose another name',
  },
  TSR1018: {
    severity: 'error',
    message: "variable '{0}' needs an initial value",
    hint: 'write `let {0} = …;` (for an accumulator: `var {0} = zeros([tm, tn], f32);`)',
  },
  TSR1019: {
    severity: 'error',
    message: "expected '{' after the if condition but found '='",
    hint: "to compare, use '=='",
  },
  TSR1020: {
    severity: 'error',
    message: "integer literal '{0}' is too large",
    hint: 'integers must fit in 32 bits (at most 4294967295 = 0xFFFFFFFF); write a float (1e10) if you meant one',
  },
  TSR1021: {
    severity: 'error',
    message: 'cannot assign to {0}',
    hint: 'assign to a variable (`acc = …`) or to a tile of a tensor (`out[tm, tn] = …`)',
  },
  TSR1022: {
    severity: 'error',
    message: '{0} cannot be called',
    // Reported with a hint for what was called (foreign-spellings.ts memberCallHint); this one is its default.
    hint: 'call a builtin by name (exp(x), zeros([tm, tn], f32)) or a func through a hole (${relu}(x))',
  },
  TSR1023: {
    severity: 'error',
    message: "positional argument after keyword argument '{0}'",
    hint: 'put positional arguments first: f(x, axis=1)',
  },
  TSR1024: {
    severity: 'error',
    message: "keyword argument '{0}' is given twice",
    hint: 'remove one of them',
  },

  // ---------------------------------------------------------------- holes
  TSR1030: {
    severity: 'error',
    message: 'hole {0} holds {1}, which cannot be used in a kernel',
    hint: HOLE_RULE,
  },
  TSR1031: {
    severity: 'error',
    message: "func '{0}' at hole {1} is used as a value",
    hint: 'a func can only be called: {1}(x)',
  },
  TSR1032: {
    severity: 'error',
    message: 'hole {0} holds {1}, which cannot be called',
    hint: 'only a func`…` can be called through a hole; a number or boolean hole is a constant',
  },
  TSR1033: {
    severity: 'error',
    message: 'hole {0} has no value ({1} given)',
    hint: 'pass one value per ${…} hole',
  },
  TSR1034: {
    severity: 'error',
    message: "func '{0}' at hole {1} has errors: {2}",
    hint: "fix the errors reported for func '{0}' first",
  },
  TSR1035: {
    severity: 'warning',
    message: 'hole value {0} is never used',
    hint: 'remove it, or reference it as ${…} in the kernel text',
  },
  TSR1036: {
    severity: 'error',
    message: 'the number {0} is outside the range of f32 (largest finite value 3.4028235e38)',
    hint: 'float constants are f32 values; write inf or -inf for infinity, or a smaller number',
  },
  TSR1037: {
    severity: 'error',
    message: 'the kernel is nested too deeply here ({0})',
    hint: 'split the expression or the block with let: `let part = …;` and use part',
  },

  // ---------------------------------------------------------------- internal
  TSR9000: {
    severity: 'error',
    message: 'internal compiler error while {0}: {1}',
    hint: 'this is a bug in Tessera, not in your kernel; please report it with the kernel source',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ParseCode = keyof typeof PARSE_CODES;
