/**
 * The one way user-controlled text reaches the interpreter's generated JavaScript: names
 * through `jsIdent` (always behind a fixed prefix such as `D_` or `L_`), string literals
 * through `jsString`, comment text through `jsComment`. Values (dims, scalars) are passed
 * by position at run time, never spelled into the code.
 */
import { escapeCommentText } from 'tessera-gpu-compiler';

/**
 * An identifier fragment from an IR id or name (`tm#3` → `tm_3`): letters, digits and `_`
 * kept, any other character as `$` + its code in hex (`$` never appears otherwise, so
 * distinct ids stay distinct). Callers put a prefix in front, so a fragment is never a
 * keyword or a global (`this`, `class`, `process`).
 */
export function jsIdent(id: string): string {
  return id.replace(/#/g, '_').replace(/[^A-Za-z0-9_]/gu, (c) => `$${c.codePointAt(0)?.toString(16) ?? '0'}$`);
}

/**
 * A string literal: printable ASCII other than quote and backslash as written, all else
 * (U+2028, U+2029, every line terminator, quotes) as `\u{…}` escapes.
 */
export function jsString(text: string): string {
  return `"${text.replace(/[^\x20-\x7e]|["\\]/gu, (c) => `\\u{${c.codePointAt(0)?.toString(16) ?? '0'}}`)}"`;
}

/** Text for a `//` comment: ends where the emitter ends the line (see escapeCommentText). */
export function jsComment(text: string): string {
  return escapeCommentText(text);
}
