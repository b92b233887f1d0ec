/** The error for a config that cannot be used: its reasons, each naming the knob. */
import { TesseraError } from 'tessera-gpu-dsl/errors';

export class ConfigError extends TesseraError {
  constructor(kernel: string, reasons: readonly string[]) {
    super('TSR3001', `invalid config for kernel '${kernel}': ${reasons.join('; ')}`,
      'block sizes and the workgroup size must be powers of two within the adapter limits; see kernel.configSpace()');
  }
}
