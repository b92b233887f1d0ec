/**
 * `tessera devices`: every WebGPU adapter Tessera can run on, the one it picks first,
 * with features and limits. Under Node the adapters are dawn.node's, one Dawn instance
 * per adapter (dawn.node opens one adapter per instance); drivers installed but unknown
 * to the Vulkan loader (SwiftShader) are listed too, with how to use them.
 */
import { hasWebGPU, listDawnAdapters, type AdapterDescription, type DawnAdapter } from 'tessera-gpu-runtime';
import { flag, parse } from '../args.ts';
import { DEVICES_HELP } from '../help.ts';
import { EXIT, UsageError, type CliIO } from '../io.ts';
import { unregisteredDrivers, withDrivers } from './devices-drivers.ts';

const NAME = 'devices';

interface Listed {
  /** The name to pass as `adapter` (Dawn's, e.g. 'SwiftShader Device (Subzero)'). */
  readonly adapter: string;
  readonly backend: string;
  /** The adapter WebGPU hands out first (the one `init({ backend: 'webgpu' })` takes). */
  readonly picked: boolean;
  /** The driver manifest it needs in VK_ADD_DRIVER_FILES, when the loader does not load it by itself. */
  readonly driverFile?: string;
  readonly info?: AdapterDescription;
  readonly error?: string;
}

export async function devicesCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const p = parse(NAME, argv, { json: { type: 'boolean' } });
  if (flag(p, 'help')) {
    io.stdout.write(DEVICES_HELP);
    return EXIT.ok;
  }
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument '${p.positionals[0] ?? ''}'`, NAME);
  const found = await hasWebGPU();
  if (!found.ok) {
    if (flag(p, 'json')) io.stdout.write(`${JSON.stringify({ ok: false, reason: found.reason })}\n`);
    io.stderr.write(`tessera: no WebGPU adapter: ${found.reason}\n`);
    return EXIT.failure;
  }
  const adapters = await listAll(found.info, io);
  if (flag(p, 'json')) {
    // The picked adapter's description at the top level, as before; every adapter under `adapters`.
    io.stdout.write(`${JSON.stringify({ ...found.info, adapters }, null, 2)}\n`);
    return EXIT.ok;
  }
  const blocks = adapters.length > 0 ? adapters.map(render) : [describe(found.info)];
  // Plain init() prefers the wasm backend to a software adapter (docs/getting-started.md).
  const cpuNote = found.info.software
    ? "The WebGPU default is a software adapter, so plain init() runs kernels on the wasm backend instead; init({ backend: 'webgpu' }) uses that adapter.\n"
    : '';
  io.stdout.write(`${blocks.join('\n')}\n${adapters.length > 1 ? 'Run on another adapter with init({ adapter: NAME }) (a part of its name, any case).\n' : ''}${cpuNote}`);
  return EXIT.ok;
}

/** Every adapter, the picked one first; empty where they cannot be listed (the picked one is shown alone). */
async function listAll(picked: AdapterDescription, io: CliIO): Promise<Listed[]> {
  const known = await listDawnAdapters();
  if (!known.ok) return [];
  const extra = unregisteredDrivers(io.env);
  let added: readonly DawnAdapter[] = [];
  if (extra.length > 0) {
    // The Vulkan loader reads the real environment: set it in this process, the outermost layer.
    process.env['VK_ADD_DRIVER_FILES'] = withDrivers(io.env, extra);
    const all = await listDawnAdapters();
    if (all.ok) added = all.adapters.filter((a) => !known.adapters.some((k) => k.backend === a.backend && k.name === a.name));
  }
  const listed: Listed[] = [];
  for (const [a, driverFile] of [...known.adapters.map((a) => [a, undefined] as const), ...added.map((a) => [a, extra.join(':')] as const)]) {
    const opened = await hasWebGPU({ adapter: a.name });
    const base = { adapter: a.name, backend: a.backend, ...(driverFile === undefined ? {} : { driverFile }) };
    listed.push(opened.ok
      ? { ...base, picked: driverFile === undefined && same(opened.info, picked), info: opened.info }
      : { ...base, picked: false, error: opened.reason });
  }
  return listed.sort((x, y) => Number(y.picked) - Number(x.picked));
}

function same(a: AdapterDescription, b: AdapterDescription): boolean {
  return a.name === b.name && a.vendor === b.vendor && a.architecture === b.architecture && a.description === b.description;
}

function render(a: Listed): string {
  const head = `${a.adapter}${a.picked ? '  (WebGPU default)' : ''}`;
  const lines = [head, `  adapter              init({ adapter: '${a.adapter}' }) (${a.backend})`];
  if (a.driverFile !== undefined) lines.push(`  driver               ${a.driverFile}: not loaded by default; run with VK_ADD_DRIVER_FILES=${a.driverFile}`);
  if (a.info === undefined) return [...lines, `  unavailable          ${a.error ?? 'unknown reason'}`, ''].join('\n');
  return [...lines, ...describe(a.info).split('\n').slice(1)].join('\n');
}

function describe(info: AdapterDescription): string {
  const l = info.limits;
  return [
    `${info.name}`,
    `  vendor/architecture  ${info.vendor || '?'}/${info.architecture || '?'}`,
    `  kind                 ${info.software ? 'software adapter (runs on the CPU)' : 'hardware GPU'}`,
    `  description          ${info.description || '—'}`,
    `  features             ${info.features.join(', ') || 'none'}`,
    `  invocations/workgroup ${l.maxComputeInvocationsPerWorkgroup} (x ≤ ${l.maxComputeWorkgroupSizeX})`,
    `  workgroup storage    ${l.maxComputeWorkgroupStorageSize} bytes`,
    `  workgroups/dimension ${l.maxComputeWorkgroupsPerDimension}`,
    `  storage binding      ${Math.floor(l.maxStorageBufferBindingSize / 2 ** 20)} MiB (buffers ≤ ${Math.floor(l.maxBufferSize / 2 ** 20)} MiB)`,
    '',
  ].join('\n');
}
