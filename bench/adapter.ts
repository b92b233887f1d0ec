/**
 * `--adapter NAME` for the bench scripts: run on the WebGPU adapter whose name contains
 * NAME, ignoring case (init's `adapter` option; `tessera devices` lists the names), e.g.
 * `llvmpipe` or `swiftshader`. SwiftShader is not registered with the Vulkan loader by
 * default: Debian's chromium ships its ICD manifest, which is added to the loader's
 * drivers here, at the outermost layer, before Dawn starts.
 */
import { existsSync } from 'node:fs';
import { init, type Device } from 'tessera-gpu';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
/** Dawn rounds timestamps for browser privacy; nothing here needs that (see the runtime's default flags). */
const TIMESTAMPS = 'disable-dawn-features=timestamp_quantization';

/** The adapter named by `--adapter` in `argv`, else the default one. */
export function adapterArg(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--adapter');
  return i >= 0 ? argv[i + 1] : undefined;
}

export async function benchDevice(argv: readonly string[]): Promise<Device> {
  const name = adapterArg(argv);
  if (name === undefined) return init({ backend: 'webgpu' });
  if (/swiftshader/i.test(name) && existsSync(SWIFTSHADER_ICD)) {
    const added = process.env['VK_ADD_DRIVER_FILES'];
    process.env['VK_ADD_DRIVER_FILES'] = added ? `${added}:${SWIFTSHADER_ICD}` : SWIFTSHADER_ICD;
  }
  return init({ backend: 'webgpu', dawnFlags: [TIMESTAMPS], adapter: name });
}
