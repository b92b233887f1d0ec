/**
 * Sections of docs/benchmarks.md that a study writes on its own (first calls, defaults
 * against tuned configs): each sits between two copies of its marker comment, and a
 * study's run replaces its section in place, or appends it when the page has none; a
 * full `npm run bench`, which writes the page anew, carries them over (report.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const BENCHMARKS_PAGE = 'docs/benchmarks.md';

/** The section between two `marker`s in `file`, markers included, or '' when it has none. */
export function existingSection(marker: string, file = BENCHMARKS_PAGE): string {
  if (!existsSync(file)) return '';
  const parts = readFileSync(file, 'utf8').split(marker);
  return parts.length >= 3 ? `${marker}${parts[1] ?? ''}${marker}` : '';
}

/** Replaces (or appends) the section between two `marker`s; `body` is the text between them. */
export function spliceSection(marker: string, body: string, file = BENCHMARKS_PAGE): void {
  const section = `${marker}\n${body.trim()}\n${marker}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const parts = text.split(marker);
  const next = parts.length >= 3 ? `${parts[0] ?? ''}${section}${parts.slice(2).join(marker)}` : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
