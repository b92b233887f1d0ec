/**
 * The `tessera` command: dispatch, and the one place errors become exit codes —
 * 2 for a bad command line (one line on stderr), 1 for a failure (the error's message),
 * 130 for an autotune stopped by Ctrl-C (after printing the best so far).
 */
import { TesseraError } from 'tessera-gpu-runtime';
import { autotuneCommand } from './commands/autotune.ts';
import { cacheCommand } from './commands/cache.ts';
import { compileCommand } from './commands/compile.ts';
import { devicesCommand } from './commands/devices.ts';
import { MAIN_HELP } from './help.ts';
import { EXIT, UsageError, type CliIO } from './io.ts';

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIO) => Promise<number>>> = {
  autotune: autotuneCommand,
  compile: compileCommand,
  devices: devicesCommand,
  cache: cacheCommand,
};

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(MAIN_HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const run = COMMANDS[command];
  try {
    if (run === undefined) throw new UsageError(`unknown command '${command}' (expected ${Object.keys(COMMANDS).join(', ')})`);
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const help = error.command === undefined ? 'tessera --help' : `tessera ${error.command} --help`;
      io.stderr.write(`tessera: ${error.message} (see '${help}')\n`);
      return EXIT.usage;
    }
    if (error instanceof TesseraError) {
      io.stderr.write(`tessera: ${error.message}\n`);
      return EXIT.failure;
    }
    // Anything else is a bug here or in the user's module: show it whole.
    io.stderr.write(`tessera: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return EXIT.failure;
  }
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
