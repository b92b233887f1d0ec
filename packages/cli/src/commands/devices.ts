/** `tessera devices`: the adapter Tessera picks, with its features and limits. */
import { hasWebGPU } from 'tessera-gpu-runtime';
import { flag, parse } from '../args.ts';
import { DEVICES_HELP } from '../help.ts';
import { EXIT, UsageError, type CliIO } from '../io.ts';

const NAME = 'devices';

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
  const info = found.info;
  if (flag(p, 'json')) {
    io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return EXIT.ok;
  }
  const l = info.limits;
  io.stdout.write([
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
  ].join('\n'));
  return EXIT.ok;
}
