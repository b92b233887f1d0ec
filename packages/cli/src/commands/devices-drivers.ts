/**
 * Vulkan drivers that are installed but not registered with the Vulkan loader, so that
 * `tessera devices` can list their adapters too. SwiftShader comes with Chromium (Debian's
 * package puts its manifest at /usr/lib/chromium/vk_swiftshader_icd.json), not among the
 * loader's drivers. The loader reads VK_ADD_DRIVER_FILES each time a Vulkan instance is
 * created, so adding the manifest to it in the CLI's own process before Dawn lists the
 * adapters is enough. Nothing is added when the user has chosen drivers
 * (VK_ICD_FILENAMES, VK_DRIVER_FILES).
 */
import { existsSync } from 'node:fs';

type Env = Readonly<Record<string, string | undefined>>;

const DEBIAN_CHROMIUM_SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Manifests of installed drivers the loader would not load: TESSERA_SWIFTSHADER_ICD, else Chromium's SwiftShader. */
export function unregisteredDrivers(env: Env, exists: (path: string) => boolean = existsSync): string[] {
  if (nonEmpty(env['VK_ICD_FILENAMES']) || nonEmpty(env['VK_DRIVER_FILES'])) return [];
  const added = (env['VK_ADD_DRIVER_FILES'] ?? '').split(':');
  const candidate = nonEmpty(env['TESSERA_SWIFTSHADER_ICD']) ? env['TESSERA_SWIFTSHADER_ICD'] ?? '' : DEBIAN_CHROMIUM_SWIFTSHADER;
  return exists(candidate) && !added.includes(candidate) ? [candidate] : [];
}

/** VK_ADD_DRIVER_FILES with `manifests` appended. */
export function withDrivers(env: Env, manifests: readonly string[]): string {
  return [...(env['VK_ADD_DRIVER_FILES'] ?? '').split(':').filter(nonEmpty), ...manifests].join(':');
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}
