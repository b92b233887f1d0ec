/**
 * Kernel-text positions → positions in the user's file, given where the template sits.
 * Lines map one to one (assuming no `${…}` expression in the file spans lines). Columns
 * are exact only when no hole precedes the position on its line: `${relu}` in the file
 * is `${0}` in the kernel text, so columns after a hole shift by an unknown amount.
 */
import type { Pos } from '../ast.ts';
import type { SourceOrigin } from './diagnostic.ts';

export interface FileLocation {
  readonly file: string;
  readonly line: number;
  /** `undefined` when a hole earlier on the line makes the column unknowable. */
  readonly col: number | undefined;
}

const HOLE = /\$\{\d+\}/;

export function locateInFile(text: string, origin: SourceOrigin, pos: Pos): FileLocation {
  const line = origin.line + pos.line - 1;
  const lineStart = pos.offset - (pos.col - 1);
  const before = text.slice(Math.max(0, lineStart), pos.offset);
  if (HOLE.test(before)) return { file: origin.file, line, col: undefined };
  // Only the template's first line starts mid-line in the file (right after the backtick).
  const col = pos.line === 1 ? origin.col + pos.col - 1 : pos.col;
  return { file: origin.file, line, col };
}

/** `file:line:col`, or `file:line` when the column is not known. */
export function formatFileLocation(loc: FileLocation): string {
  return loc.col === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.col}`;
}
