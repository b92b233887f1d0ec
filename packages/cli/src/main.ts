/**
 * The `tessera` command: dispatch, and the one place errors become exit codes —
 * 2 for a bad command line, 1 for a failure, each one line on stderr (failure.ts; the
 * stack only with --verbose), 130 for an autotune stopped by Ctrl-C (after printing the
 * best so far).
 */
import { autotuneCommand } from './commands/autotune.ts';
import { cacheCommand } from './commands/cache.ts';
import { compileCommand } from './commands/compile.ts';
import { devicesCommand } from './commands/devices.ts';
import { reportFailure } from './failure.ts';
import { MAIN_HELP } from './help.ts';
import { EXIT, UsageError, type CliIO } from './io.ts';
import { versionLine } from './version.ts';

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIO) => Promise<number>>> = {
  autotune: autotuneCommand,
  compile: compileCommand,
  devices: devicesCommand,
  cache: cacheCommand,
};

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const { args, verbose } = takeVerbose(argv);
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(MAIN_HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout.write(`${versionLine()}\n`);
    return EXIT.ok;
  }
  const run = COMMANDS[command];
  try {
    if (run === undefined) throw new UsageError(`unknown command '${command}' (expected ${Object.keys(COMMANDS).join(', ')})`);
    return await run(rest, io);
  } catch (error) {
    const report = reportFailure(error, verbose);
    for (const line of report.lines) io.stderr.write(`tessera: ${line}\n`);
    for (const line of report.detail) io.stderr.write(`${line}\n`);
    return report.code;
  }
}

/** `--verbose` works before or after the command, in any command (up to a `--`). */
function takeVerbose(argv: readonly string[]): { args: string[]; verbose: boolean } {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  const tail = end === -1 ? [] : argv.slice(end);
  const args = head.filter((a) => a !== '--verbose');
  return { args: [...args, ...tail], verbose: args.length !== head.length };
}

/** Runs with the real process: argv, streams, environment, Ctrl-C; exits with main's code. */
export async function runFromProcess(): Promise<never> {
  let interrupts = 0;
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(handler) {
      const listener = (): void => {
        // The second Ctrl-C quits at once.
        if (++interrupts > 1) process.exit(EXIT.interrupted);
        handler();
      };
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
  };
  const code = await main(process.argv.slice(2), io);
  // A WebGPU instance can keep the event loop alive after its device is gone.
  process.exit(code);
}
