/**
 * The one way user-controlled text reaches WGSL: names through `wgslIdent`, comment text
 * through `wgslComment`. Kernel names, dims, parameters, locals, loops and funcs are the
 * author's; configs and share links are anyone's. Nothing else pastes outside text into
 * a shader.
 *
 * Mangling keeps ordinary names as written (so shaders stay readable and `u.M` is still
 * `u.M`), and rewrites every name that WGSL would not take, or that could meet a name of
 * the shader's own, to `_m` + an escaped spelling. Safe names never start with `_`, so a
 * mangled name never equals a safe one, and the shader's own names starting with `_`
 * (`_pad3`) never start with `_m`.
 */
import { WGSL_RESERVED } from './reserved.ts';

const PLAIN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Whether `name` can be used as written. */
function isSafe(name: string): boolean {
  return PLAIN.test(name) && !WGSL_RESERVED.has(name);
}

/**
 * A WGSL identifier for a name or IR id (`tm#3` → `tm_3`; IR ids end in a counter unique
 * in the kernel, so that `#` → `_` never merges two). A name that is not safe as written
 * becomes `_m_` + the name, with any character outside letters, digits and `_` written
 * as `x` + its code in hex.
 */
export function wgslIdent(raw: string): string {
  const plain = raw.replace(/#/g, '_');
  if (isSafe(plain)) return plain;
  return `_m_${plain.replace(/[^A-Za-z0-9_]/gu, (c) => `x${c.codePointAt(0)?.toString(16) ?? '0'}`)}`;
}

/** The member of the Uniforms struct holding a dim or scalar parameter, and how the shader reads it. */
export const uniformMember = (name: string): string => wgslIdent(name);
export const uniformRef = (name: string): string => `u.${uniformMember(name)}`;

/**
 * Text for a `//` comment: printable ASCII only. Everything else (every line terminator
 * WGSL knows: LF, VT, FF, CR, NEL, U+2028, U+2029; any other non-ASCII) is written as
 * `\u{…}`, so the comment ends where the emitter ends the line and nowhere else. `/*` and
 * `*\/` are split so the text cannot open or close a block comment either.
 */
export function wgslComment(text: string): string {
  return escapeCommentText(text);
}

/** Shared by the WGSL and JS comment writers: both languages end a line comment at the same characters. */
export function escapeCommentText(text: string): string {
  return text
    .replace(/[^\x20-\x7e]/gu, (c) => `\\u{${c.codePointAt(0)?.toString(16) ?? '0'}}`)
    .replace(/\/\*/g, '/ *')
    .replace(/\*\//g, '* /');
}
