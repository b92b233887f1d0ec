/**
 * SwiftShader, a second software Vulkan driver, for running suites on a different WebGPU
 * adapter than lavapipe. Debian's chromium package ships its Vulkan ICD manifest beside
 * libvk_swiftshader.so; Dawn picks the driver up when VK_ICD_FILENAMES names that manifest
 * (which must be set before the process starts, hence a child process).
 */
import { existsSync } from 'node:fs';

/** Where Debian's chromium puts the manifest. */
const DEBIAN_CHROMIUM_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The SwiftShader ICD manifest: TESSERA_SWIFTSHADER_ICD when set, else chromium's, if installed. */
export function swiftShaderIcd(): string | undefined {
  const fromEnv = process.env['TESSERA_SWIFTSHADER_ICD'];
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : undefined;
  return existsSync(DEBIAN_CHROMIUM_ICD) ? DEBIAN_CHROMIUM_ICD : undefined;
}
