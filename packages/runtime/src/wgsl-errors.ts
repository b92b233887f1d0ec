/**
 * Shader compilation messages, rendered like a compiler diagnostic: `wgsl:line:col:
 * message`, the offending WGSL line, and a caret. Generated WGSL failing to compile is
 * always a compiler bug, so this text goes into bug reports and must stand on its own.
 */

/** The error messages of `info`, formatted against `source`; undefined when there are none. */
export function formatCompilationErrors(info: GPUCompilationInfo, source: string, max = 5): string | undefined {
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length === 0) return undefined;
  const lines = source.split('\n');
  const shown = errors.slice(0, max).map((m) => formatMessage(m, lines));
  if (errors.length > max) shown.push(`… and ${errors.length - max} more`);
  return shown.join('\n');
}

function formatMessage(m: GPUCompilationMessage, lines: readonly string[]): string {
  const head = `wgsl:${m.lineNum}:${m.linePos}: error: ${m.message}`;
  // lineNum is 1-based; 0 means the message has no position (e.g. an entry-point error).
  const text = m.lineNum > 0 ? lines[m.lineNum - 1] : undefined;
  if (text === undefined) return head;
  const caret = `${' '.repeat(Math.max(0, m.linePos - 1))}^`;
  return `${head}\n  ${text}\n  ${caret}`;
}
