/** `tessera compile <file> --kernel NAME [--config JSON] [--emit wgsl|ir]`. */
import { ConfigError, type ConfigInput } from 'tessera-gpu-compiler';
import { choice, flag, parse, parseJsonObject, stringOption } from '../args.ts';
import { COMPILE_HELP } from '../help.ts';
import { EXIT, UsageError, type CliIO } from '../io.ts';
import { loadKernels, pickKernel } from '../load.ts';

const NAME = 'compile';

export async function compileCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = parse(NAME, argv, {
    kernel: { type: 'string', short: 'k' },
    config: { type: 'string', short: 'c' },
    emit: { type: 'string' },
  });
  if (flag(p, 'help')) {
    io.stdout.write(COMPILE_HELP);
    return EXIT.ok;
  }
  if (p.positionals.length > 1) throw new UsageError(`expected one <file>, got ${p.positionals.length}: ${p.positionals.join(' ')}`, NAME);
  const emit = choice(p, 'emit', ['wgsl', 'ir'] as const, 'wgsl', NAME);
  const configText = stringOption(p, 'config');
  // Checked field by field by the compiler (resolveConfig + configProblems) below.
  const config = configText === undefined ? undefined : (parseJsonObject(configText, 'config', NAME) as ConfigInput);
  const file = p.positionals[0];
  const { kernel } = pickKernel(await loadKernels(file, io.cwd, NAME), stringOption(p, 'kernel'), file ?? '', NAME);
  if (emit === 'ir') {
    if (config !== undefined) throw new UsageError('--config applies to --emit wgsl only (the tile IR does not depend on the config)', NAME);
    io.stdout.write(`${kernel.ir()}\n`);
    return EXIT.ok;
  }
  try {
    io.stdout.write(`${kernel.wgsl(config)}\n`);
  } catch (error) {
    // A config from the command line that the compiler rejects is a bad argument.
    if (error instanceof ConfigError) throw new UsageError(error.message.split('\n')[0] ?? error.message, NAME);
    throw error;
  }
  return EXIT.ok;
}
