/**
 * Tessera's own output: warnings, autotune progress, printed shaders. One level for the
 * process (TESSERA_LOG, or setLogLevel), lines to stderr in Node and the console in
 * browsers (#platform). Library code asks `logs(level)` before building a line.
 */
import { platform } from '#platform';
import { LOG_LEVELS, type EnvironmentSettings, type LogLevel } from './environment.ts';

let settings: EnvironmentSettings | undefined;
let level: LogLevel | undefined;

/** The environment's settings, read once; problems with them are printed once. */
export function environmentSettings(): EnvironmentSettings {
  if (settings === undefined) {
    settings = platform.environment();
    if (logs('warn')) for (const p of settings.problems) platform.writeLine(p);
  }
  return settings;
}

/** Sets how much Tessera prints (overrides TESSERA_LOG). */
export function setLogLevel(next: LogLevel): void {
  level = next;
}

export function logLevel(): LogLevel {
  return level ?? environmentSettings().log ?? 'info';
}

/** Whether lines of this level are printed now. */
export function logs(at: Exclude<LogLevel, 'silent'>): boolean {
  return LOG_LEVELS.indexOf(logLevel()) >= LOG_LEVELS.indexOf(at);
}

export function logLine(at: Exclude<LogLevel, 'silent'>, line: string): void {
  if (logs(at)) platform.writeLine(line);
}
