/**
 * The TESSERA_* environment variables, parsed from an environment object passed in. Only
 * the Node platform calls this, with `process.env`; each value becomes the default of an
 * option, and an option given in code wins.
 *
 *   TESSERA_AUTOTUNE_EFFORT=none|quick|full   default effort of autotune() and first-call tuning
 *   TESSERA_PRINT_WGSL=1                      print each shader as it is compiled
 *   TESSERA_LOG=silent|warn|info|debug        how much Tessera prints (default info)
 *   TESSERA_CACHE_DIR=DIR                     where the tuning cache file lives (cache/location.ts)
 */
import type { Effort } from '../autotune/effort.ts';

export type LogLevel = 'silent' | 'warn' | 'info' | 'debug';

export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'warn', 'info', 'debug'];

export interface EnvironmentSettings {
  readonly autotuneEffort?: Effort;
  readonly printWgsl?: boolean;
  readonly log?: LogLevel;
  /** Values that could not be used, one line each (printed once as warnings). */
  readonly problems: readonly string[];
}

const EFFORT_VALUES: readonly Effort[] = ['none', 'quick', 'full'];

export function readEnvironment(env: Readonly<Record<string, string | undefined>>): EnvironmentSettings {
  const problems: string[] = [];
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = raw.trim().toLowerCase();
    const found = allowed.find((a) => a === value);
    if (found === undefined) problems.push(`tessera: ignoring ${name}=${JSON.stringify(raw)}: expected one of ${allowed.join(', ')}`);
    return found;
  };
  const autotuneEffort = pick('TESSERA_AUTOTUNE_EFFORT', EFFORT_VALUES);
  const log = pick('TESSERA_LOG', LOG_LEVELS);
  const printWgsl = flag(env['TESSERA_PRINT_WGSL'], 'TESSERA_PRINT_WGSL', problems);
  return {
    ...(autotuneEffort === undefined ? {} : { autotuneEffort }),
    ...(log === undefined ? {} : { log }),
    ...(printWgsl === undefined ? {} : { printWgsl }),
    problems,
  };
}

function flag(raw: string | undefined, name: string, problems: string[]): boolean | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  problems.push(`tessera: ignoring ${name}=${JSON.stringify(raw)}: expected 1 or 0`);
  return undefined;
}
