/**
 * Command-line parsing: node's parseArgs (strict: an unknown option is an error) plus the
 * value formats of this CLI (`M=1024,N=512`, JSON configs, choices, counts). Every
 * mistake becomes a UsageError with a one-line message.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

export function parse(command: string, args: readonly string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (error) {
    // parseArgs messages are one sentence plus advice about '--' that does not apply here.
    const text = error instanceof Error ? error.message.split('. ')[0] ?? error.message : String(error);
    throw new UsageError(text.replace(/\.$/, ''), command);
  }
}

export function stringOption(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

export function choice<T extends string>(p: Parsed, name: string, allowed: readonly T[], fallback: T, command: string): T {
  const v = stringOption(p, name);
  if (v === undefined) return fallback;
  const hit = allowed.find((a) => a === v);
  if (hit === undefined) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${v}')`, command);
  return hit;
}

export function count(p: Parsed, name: string, command: string): number | undefined {
  const v = stringOption(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number (got '${v}')`, command);
  return n;
}

/** `M=1024,N=512` (also `M=1024 N=512` or `M=1k`) → { M: 1024, N: 512 }. */
export function parseAssignments(text: string, option: string, command: string, integer = true): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(/[,\s]+/).filter((s) => s !== '')) {
    const m = /^([A-Za-z_]\w*)=(-?[\d.]+(?:e-?\d+)?)([kKmM]?)$/.exec(part);
    if (m === null) throw new UsageError(`--${option} expects NAME=VALUE pairs like M=1024,N=512 (got '${part}')`, command);
    const [, name = '', digits = '', suffix = ''] = m;
    const value = Number(digits) * (suffix.toLowerCase() === 'k' ? 1024 : suffix.toLowerCase() === 'm' ? 1024 * 1024 : 1);
    if (!Number.isFinite(value) || (integer && (!Number.isInteger(value) || value < 0))) {
      throw new UsageError(`--${option}: ${name} must be a non-negative integer (got '${digits}${suffix}')`, command);
    }
    out[name] = value;
  }
  return out;
}

export function parseJsonObject(text: string, option: string, command: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--${option} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, command);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`--${option} must be a JSON object, e.g. '{"workgroupSize":64}'`, command);
  return v as Record<string, unknown>;
}
