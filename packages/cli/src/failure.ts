/**
 * How a failed command is reported: every failure is one line on stderr (one per
 * diagnostic for a kernel with source errors) and an exit code; the stack only with
 * --verbose. The classes of failure and their codes:
 *
 *   UsageError             2  a bad command line or a path of the wrong kind
 *   CliError               1  a failure the CLI detected itself (e.g. an unusable cache)
 *   KernelSourceFailure    1  the kernel's source has errors: file:line:col per diagnostic
 *   ModuleLoadFailure      1  the user's module did not load (syntax, a throw at top level)
 *   TesseraError           1  anything Tessera reports (no adapter, a lost device, …)
 *   a Node system error    1  a file operation failed: what, which path, why
 *   anything else          1  a bug: said to be one, with the message
 */
import { formatFileLocation, locateInFile, type Diagnostic, type KernelSource } from 'tessera-gpu-dsl';
import { TesseraError } from 'tessera-gpu-runtime';
import { CliError, EXIT, UsageError } from './io.ts';

/** Diagnostics shown before "… and N more"; a pasted blob must not flood the terminal. */
const MAX_DIAGNOSTICS = 10;
/** Longest line printed for a message, so one huge message stays readable. */
const MAX_LINE = 400;

/** The kernel's source has errors; `source` places them in the user's file when known. */
export class KernelSourceFailure extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[], readonly source: KernelSource, cause: unknown) {
    super(`kernel source has ${diagnostics.length} error(s)`, { cause });
    this.name = 'KernelSourceFailure';
  }
}

/** The user's module threw while it was being loaded. */
export class ModuleLoadFailure extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(`cannot load ${file}: ${oneLine(messageOf(cause))}`, { cause });
    this.name = 'ModuleLoadFailure';
  }
}

export interface Report {
  readonly code: number;
  /** Lines for stderr, without the `tessera: ` prefix and without newlines. */
  readonly lines: readonly string[];
  /** With --verbose: the stacks (of the error and its causes), printed as they are. */
  readonly detail: readonly string[];
}

export function reportFailure(error: unknown, verbose: boolean): Report {
  return { ...describe(error), detail: verbose ? stacks(error) : [] };
}

function describe(error: unknown): Omit<Report, 'detail'> {
  if (error instanceof UsageError) {
    const help = error.command === undefined ? 'tessera --help' : `tessera ${error.command} --help`;
    return { code: EXIT.usage, lines: [`${oneLine(error.message)} (see '${help}')`] };
  }
  if (error instanceof CliError) return { code: EXIT.failure, lines: [clip(oneLine(error.message))] };
  if (error instanceof KernelSourceFailure) return { code: EXIT.failure, lines: diagnosticLines(error.diagnostics, error.source) };
  if (error instanceof ModuleLoadFailure) {
    const cause = error.cause;
    // A kernel`…` that throws while the module loads reports its own diagnostics.
    if (cause instanceof KernelSourceFailure) return describe(cause);
    return { code: EXIT.failure, lines: [clip(error.message)] };
  }
  if (error instanceof TesseraError) {
    const hint = error.hint === undefined || error.message.includes(error.hint) ? '' : ` (hint: ${oneLine(error.hint)})`;
    return { code: EXIT.failure, lines: [clip(`${oneLine(error.message)}${hint}`)] };
  }
  const system = systemError(error);
  if (system !== undefined) return { code: EXIT.failure, lines: [clip(system)] };
  return { code: EXIT.failure, lines: [clip(`internal error: ${oneLine(messageOf(error))} (run with --verbose for the stack; this is a bug in tessera)`)] };
}

function diagnosticLines(diagnostics: readonly Diagnostic[], source: KernelSource): string[] {
  const lines = diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) => {
    const start = d.span.start;
    const where = source.origin === undefined ? `kernel:${start.line}:${start.col}` : formatFileLocation(locateInFile(source.text, source.origin, start));
    return clip(`${where}: ${d.severity}[${d.code}]: ${oneLine(d.message)}${d.hint === undefined ? '' : ` (hint: ${oneLine(d.hint)})`}`);
  });
  const more = diagnostics.length - MAX_DIAGNOSTICS;
  if (more > 0) lines.push(`… and ${more} more error(s)`);
  return lines;
}

/** What the Node fs layer throws (`code`, `syscall`, `path`): a sentence without the stack. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'it already exists',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
};

function systemError(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall, path } = error as Error & { code?: unknown; syscall?: unknown; path?: unknown };
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return undefined;
  const reason = REASONS[code] ?? oneLine(error.message.replace(/^[A-Z0-9]+: /, ''));
  const what = typeof syscall === 'string' ? syscall : 'access';
  return typeof path === 'string' ? `cannot ${what} ${path}: ${reason}` : `${what} failed: ${reason}`;
}

function stacks(error: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const text = `${depth === 0 ? '' : 'caused by: '}${e.stack ?? e.message}`;
    out.push(...text.split('\n'));
  }
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Lines joined (blank ones dropped), so a multi-line message prints as one. */
function oneLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '').join(' ');
}

function clip(text: string): string {
  return text.length <= MAX_LINE ? text : `${text.slice(0, MAX_LINE - 1)}…`;
}
