/**
 * Names that have broken generated code: WGSL's keywords and reserved words (WGSL spec,
 * "Keyword Summary" and "Reserved Words"), JavaScript's reserved words and globals, the
 * members of Object.prototype, and names the generated code uses for itself.
 */
export const WGSL_WORDS = `alias break case const const_assert continue continuing default diagnostic discard
enable loop override requires struct switch while
NULL Self abstract active alignas alignof as asm asm_fragment async attribute auto await become cast catch
class co_await co_return co_yield coherent column_major common compile compile_fragment concept const_cast
consteval constexpr constinit crate debugger decltype delete demote demote_to_helper do dynamic_cast enum
explicit export extends extern external fallthrough filter final finally friend from fxgroup get goto
groupshared highp impl implements import inline instanceof interface layout lowp macro macro_rules match
mediump meta mod module move mut mutable namespace new nil noexcept noinline nointerpolation non_coherent
noncoherent noperspective null nullptr of operator package packoffset partition pass patch pixelfragment
precise precision premerge priv protected pub public readonly ref regardless register reinterpret_cast
require resource restrict self set shared sizeof smooth snorm static static_assert static_cast std
subroutine super target template this thread_local throw trait try type typedef typeid typename typeof
union unless unorm unsafe unsized use using varying virtual volatile wgsl with writeonly yield`.split(/\s+/);

export const OBJECT_PROTOTYPE = Object.getOwnPropertyNames(Object.prototype);

/** JavaScript words and the generated code's own names (WGSL's `u`, `lid`; the interpreter's `dims`, `rt`). */
export const OTHER = `_ __x x__ _pad3 u lid lidx wid nwg tile_id main array vec4 bitcast ptr atomic
arguments eval undefined NaN Infinity let_ process globalThis Function Math inputs outputs dims scalars
tr rt fr rh HT run var_ t_1 off_x D_x P_x`.split(/\s+/);

/** The tile language's own keywords, which are never names. */
export const DSL_KEYWORDS = new Set(['fn', 'let', 'var', 'for', 'in', 'if', 'else', 'return', 'true', 'false']);

export const AWKWARD_NAMES: readonly string[] = [...new Set([...WGSL_WORDS, ...OBJECT_PROTOTYPE, ...OTHER])].filter((n) => !DSL_KEYWORDS.has(n));
