/**
 * `npm run demo`: compiles the example kernels, runs them on the WebGPU adapter under a few
 * configs, checks every result against a plain-JS reference, and times each config.
 * Exits non-zero if any result is wrong.
 */
import { init, type ConfigInput } from 'tessera-gpu';
import { EXAMPLES, runCheck, type ExampleCheck } from './checks.ts';

interface DemoCase {
  readonly check: ExampleCheck;
  /** Multiplies the example's own (small, ragged) problem size. */
  readonly scale: number;
  readonly configs: readonly ConfigInput[];
}

const example = (name: string): ExampleCheck => {
  const e = EXAMPLES.find((x) => x.name === name);
  if (!e) throw new Error(`no example named ${name}`);
  return e;
};

const CASES: DemoCase[] = [
  {
    check: example('matmul-bias-relu'), scale: 2,
    configs: [{}, { microTile: [4, 4] }, { blocks: { tm: 32, tn: 32, tk: 16 }, microTile: [4, 4], stageA: true, stageB: true }],
  },
  { check: example('add'), scale: 10, configs: [{}, { blocks: { tn: 4096 }, workgroupSize: 256 }, { blocks: { tn: 256 }, workgroupSize: 256, vectorWidth: 1 }] },
  { check: example('softmax'), scale: 12, configs: [{}, { blocks: { tm: 4 }, workgroupSize: 256 }, { blocks: { tm: 16 }, workgroupSize: 128 }] },
];

async function main(): Promise<number> {
  // The demo prints each config's WGSL header: WebGPU on any adapter, software ones included.
  const device = await init({ cpuBackend: 'interpreter' });
  console.log(`adapter: ${device.describe()}`);
  let failures = 0;
  for (const { check, scale, configs } of CASES) {
    const c = check.make(device, scale);
    const shapes = c.args.map((a) => (typeof a === 'number' ? String(a) : a.shape.join('x'))).join(', ');
    console.log(`\n${check.title}, ${shapes}  (kernel '${check.kernel.kernelName}')`);
    // More than a FLOP per byte moved: compute-bound, so quote GFLOP/s; else GB/s.
    const computeBound = c.flops > c.bytes;
    for (const config of configs) {
      // The knobs this kernel's shader depends on, as its header comment states them.
      const header = check.kernel.artifact(config, device).wgsl.split('\n')[0] ?? '';
      const resolved = header.slice(header.indexOf('config ') + 'config '.length);
      const err = await runCheck(check, c, { config });
      const t = await check.kernel.measure(c.args, { config, repeats: 15, maxMs: 1500 });
      const ok = err <= check.tolerance;
      if (!ok) failures++;
      const rate = computeBound ? `${(c.flops / (t.medianMs * 1e6)).toFixed(2)} GFLOP/s` : `${(c.bytes / (t.medianMs * 1e6)).toFixed(2)} GB/s`;
      console.log(`  ${ok ? 'ok  ' : 'FAIL'} config ${resolved}  max|err| ${err.toExponential(2)}  median ${t.medianMs.toFixed(3)} ms (${t.method})  ${rate}`);
    }
    for (const a of c.args) if (typeof a !== 'number') a.destroy();
  }
  device.dispose();
  console.log(failures === 0 ? '\nall results match their references' : `\n${failures} result(s) did not match`);
  return failures === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
