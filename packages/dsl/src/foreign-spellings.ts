/**
 * What a kernel author coming from Python, Triton, Helion, NumPy or PyTorch writes first,
 * and how Tessera spells it. The parser and the checker reject these spellings like any
 * other mistake; the hints here make the diagnostic say what to write instead
 * (`tl.exp(x)` → `exp(x)`, `x.sum(axis=1)` → `sum(x, axis=1)`, `float('-inf')` → `-inf`,
 * `a ** b` → `pow(a, b)`, `and` → `&&`, `a if c else b` → `where(c, a, b)`).
 *
 * Every table is a Map: the names come from user text, and a plain object would answer
 * `constructor` or `__proto__` with Object.prototype's members.
 */
import { ALL_BUILTINS } from './check/builtins.ts';

/** Module prefixes carried over from Python code (`tl.exp`, `torch.sum`, `math.inf`). */
const MODULES: ReadonlySet<string> = new Set([
  'tl', 'triton', 'hl', 'helion', 'torch', 'F', 'nn', 'np', 'numpy', 'jnp', 'jax', 'lax', 'math', 'libdevice',
]);

export function isForeignModule(name: string): boolean {
  return MODULES.has(name);
}

/** Functions of other tile languages and array libraries that Tessera spells differently. */
const FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['arange', 'positions come from the tile variable: tn.index is the i32 tile of positions (Triton: pid * BLOCK + tl.arange(0, BLOCK)); '],
  ['program_id', 'the tile variable says where the tile is: tn.begin, tn.index; for one program per index write for b in grid(B); '],
  ['num_programs', 'the grid is the tile loops over the dims: the number of tiles is (N + tn.block_size - 1) / tn.block_size; '],
  ['dot', 'write a @ b (acc += a @ b accumulates, like tl.dot(a, b, acc)); '],
  ['matmul', 'write a @ b; '],
  ['bmm', 'write a @ b on 3-D tiles: acc += a[tb, tm, tk] @ b[tb, tk, tn]; '],
  ['maximum', 'max(a, b) with two arguments is elementwise; '],
  ['minimum', 'min(a, b) with two arguments is elementwise; '],
  ['amax', 'write max(x, axis=1); '],
  ['amin', 'write min(x, axis=1); '],
  ['permute', 'transpose(x) swaps the axes of a 2-D tile; '],
  ['cdiv', 'tile loops cut a dimension into blocks themselves: for tn in tile(N); '],
  ['load', 'index the tensor: x[tm, tn] reads a tile (ragged edges are masked for you); '],
  ['store', 'assign to an output: out[tm, tn] = value; '],
  ['full_like', 'write full([tm, tn], value) with the tile\'s axes; '],
  ['ones', 'write full([tm, tn], 1.0); '],
  ['ones_like', 'write zeros_like(x) + 1.0; '],
  ['relu', 'write max(x, 0.0); '],
  ['silu', 'write x * sigmoid(x); '],
  ['gelu', 'write it out (0.5 * x * (1.0 + erf(x * 0.70710678))) or pass a func`…` in a hole; '],
  ['softmax', 'write it out: let e = exp(x - max(x, axis=1, keepdim=true)); e / sum(e, axis=1, keepdim=true); '],
  ['fma', 'write a * b + c; '],
  ['cat', 'one kernel with offset stores: out[tm, tn] = a[tm, tn]; out[tm, A + tn] = b[tm, tn] (an output typed f32[M, A + B]); '],
  ['concatenate', 'one kernel with offset stores: out[tm, tn] = a[tm, tn]; out[tm, A + tn] = b[tm, tn] (an output typed f32[M, A + B]); '],
  ['register_block_size', 'a block comes from a tile loop (tuned by the config\'s blocks) or from block= in tile(D, block=…); '],
]);

/** The hint for an unknown function `name` that another language has, if it is one. */
export function foreignFunctionHint(name: string): string | undefined {
  return FUNCTIONS.get(name);
}

/** Constants of Python modules (`math.inf`, `torch.inf`, `float('nan')`) and their spelling. */
const CONSTANTS: ReadonlyMap<string, string> = new Map([
  ['inf', 'write inf (or -inf): infinities are literals in a kernel'],
  ['nan', 'write nan: it is a literal in a kernel'],
  ['pi', 'write the number (3.14159265) or pass Math.PI in a ${…} hole'],
  ['e', 'write the number (2.71828183) or pass Math.E in a ${…} hole'],
]);

/** The hint for `module.name` used as a value (`math.inf`). */
export function foreignConstantHint(module: string, name: string): string {
  return CONSTANTS.get(name) ?? `'${module}' is not a module here: builtins are called by name (exp(x)), dims are read by name (N)`;
}

/** Tensor methods that are casts (`x.to(f16)`, `x.float()`). */
const CAST_METHODS: ReadonlyMap<string, string> = new Map([
  ['to', 'cast with f16(x), f32(x), i32(x) …'],
  ['float', 'cast with f32(x)'],
  ['half', 'cast with f16(x)'],
  ['int', 'cast with i32(x)'],
  ['bool', 'cast with bool(x)'],
  ['astype', 'cast with f16(x), f32(x), i32(x) …'],
]);

/**
 * The hint for calling a member, `object.name(…)`: a module prefix (`tl.exp(x)`), a
 * method (`x.sum(axis=1)`), or a cast method (`x.to(f16)`). `objectText` is the object
 * as written; `objectIsName` says whether it is a bare name.
 */
export function memberCallHint(objectText: string, objectIsName: boolean, name: string, hasArgs: boolean): string {
  if (objectIsName && MODULES.has(objectText)) {
    const known = FUNCTIONS.get(name);
    if (known !== undefined) return `${known}builtins take no module prefix`;
    if (ALL_BUILTINS.has(name)) return `builtins take no module prefix: write ${name}(…)`;
    return `builtins take no module prefix, and '${name}' is not one; see docs/language.md for the builtins`;
  }
  const cast = CAST_METHODS.get(name);
  if (cast !== undefined) return `tiles have no methods: ${cast}`;
  if (ALL_BUILTINS.has(name)) return `tiles have no methods: write ${name}(${objectText}${hasArgs ? ', …' : ''})`;
  const known = FUNCTIONS.get(name);
  if (known !== undefined) return `tiles have no methods; ${known}`.replace(/; $/, '');
  return 'call a builtin by name (exp(x), zeros([tm, tn], f32)) or a func through a hole (${relu}(x))';
}

/** The hint for a character the lexer cannot read, when it is a Python spelling. */
export function foreignCharacterHint(chars: string): string | undefined {
  if (chars.startsWith("'") || chars.startsWith('"')) {
    return "kernels have no strings: float('inf') is written inf, float('-inf') -inf, float('nan') nan";
  }
  return undefined;
}

/**
 * The hint for a token the parser did not expect, when it is a Python spelling:
 * `found` is the token's text and `previous` the one before it, `adjacent` whether the
 * two touch (`**`).
 */
export function foreignTokenHint(found: string, previous: string | undefined, adjacent: boolean): string | undefined {
  if (found === '*' && previous === '*' && adjacent) return TOKEN_HINTS.power;
  if (found === 'and') return TOKEN_HINTS.and;
  if (found === 'or') return TOKEN_HINTS.or;
  if (found === 'not' || previous === 'not') return TOKEN_HINTS.not;
  if (found === 'if' || found === 'else') return TOKEN_HINTS.conditional;
  if (found === 'is') return TOKEN_HINTS.is;
  return undefined;
}

const TOKEN_HINTS = {
  power: 'there is no ** operator: write pow(a, b)',
  and: "write && for 'and'",
  or: "write || for 'or'",
  not: "write ! for 'not'",
  conditional: 'a conditional value is written where(condition, a, b)',
  is: 'compare with == or !=',
} as const;

/** Whether a hint is one of foreignTokenHint's (the parser drops a second report of the same mistake). */
export function isForeignSpellingHint(hint: string): boolean {
  return (Object.values(TOKEN_HINTS) as string[]).includes(hint);
}
