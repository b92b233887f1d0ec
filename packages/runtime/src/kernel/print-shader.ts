/**
 * TESSERA_PRINT_WGSL=1 (or init({ printWgsl: true })): each shader as it is compiled, like
 * TF.js's WEBGPU_PRINT_SHADER, on stderr in Node and the console in browsers. Printed
 * unless TESSERA_LOG=silent: asking for shaders is asking to see them.
 */
import type { KernelConfig } from 'tessera-gpu-compiler';
import { platform } from '#platform';
import { logs } from '../settings/log.ts';

export function printShader(kernel: string, config: KernelConfig, wgsl: string): void {
  if (!logs('warn')) return;
  platform.writeLine(`// tessera: WGSL of kernel '${kernel}', config ${JSON.stringify(config)}\n${wgsl}`);
}
