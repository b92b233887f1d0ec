/**
 * `npm run demo`: compiles the example kernels, runs them on the WebGPU adapter under a few
 * configs, checks every result against a plain-JS reference, and times each config.
 * Exits non-zero if any result is wrong.
 */
import { init, type ConfigInput, type Kernel, type Tensor } from 'tessera';
import type { Device } from '@tessera/runtime';
import { add, addReference } from './add.ts';
import { random } from './random.ts';
import { softmax, softmaxReference } from './softmax.ts';
import { matmulBiasRelu, matmulReference } from './matmul.ts';

interface Case {
  readonly title: string;
  readonly kernel: Kernel;
  readonly configs: readonly ConfigInput[];
  readonly tolerance: number;
  /** Inputs on the device, and the reference output. */
  make(device: Device): { args: Tensor[]; expected: Float32Array; bytes: number };
}

const N = 1_000_003;
const [M, COLS] = [4096, 1024];
const MM = 384;
const CASES: Case[] = [
  {
    title: `matmul + bias + ReLU, ${MM}x${MM}x${MM}`,
    kernel: matmulBiasRelu,
    configs: [{}, { microTile: [4, 4] }, { blocks: { tm: 32, tn: 32, tk: 16 }, microTile: [4, 4], stageA: true, stageB: true }],
    tolerance: 1e-3,
    make(device) {
      const a = random(MM * MM, 4, 1);
      const b = random(MM * MM, 5, 1);
      const bias = random(MM, 6, 1);
      return {
        args: [device.tensor(a, [MM, MM]), device.tensor(b, [MM, MM]), device.tensor(bias, [MM])],
        expected: matmulReference(a, b, MM, MM, MM, bias),
        bytes: 12 * MM * MM,
      };
    },
  },
  {
    title: `vector add, N=${N}`,
    kernel: add,
    configs: [{}, { blocks: { tn: 1024 }, workgroupSize: 256 }, { blocks: { tn: 64 }, workgroupSize: 64 }],
    tolerance: 0,
    make(device) {
      const x = random(N, 1, 100);
      const y = random(N, 2, 100);
      return { args: [device.tensor(x, [N]), device.tensor(y, [N])], expected: addReference(x, y), bytes: 12 * N };
    },
  },
  {
    title: `row softmax, ${M}x${COLS}`,
    kernel: softmax,
    configs: [{}, { blocks: { tm: 4 }, workgroupSize: 256 }, { blocks: { tm: 16 }, workgroupSize: 128 }],
    tolerance: 1e-6,
    make(device) {
      const x = random(M * COLS, 3, 8);
      return { args: [device.tensor(x, [M, COLS])], expected: softmaxReference(x, M, COLS), bytes: 8 * M * COLS };
    },
  },
];

function maxAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? NaN) - (b[i] ?? NaN));
    m = Number.isNaN(d) ? Infinity : Math.max(m, d);
  }
  return m;
}

async function main(): Promise<number> {
  const device = await init();
  console.log(`adapter: ${device.describe()}`);
  let failures = 0;
  for (const c of CASES) {
    console.log(`\n${c.title}  (kernel '${c.kernel.kernelName}')`);
    const { args, expected, bytes } = c.make(device);
    for (const config of c.configs) {
      const full = c.kernel.resolveConfig(config);
      // Knobs other than blocks and workgroup size only matter to kernels with `@`.
      const resolved = c.kernel === matmulBiasRelu ? full : { blocks: full.blocks, workgroupSize: full.workgroupSize };
      const [out] = await c.kernel.run(args, { config });
      if (!out) throw new Error('kernel returned no output');
      const err = maxAbsError(await out.read(), expected);
      out.destroy();
      const t = await c.kernel.measure(args, { config, repeats: 15, maxMs: 1500 });
      const ok = err <= c.tolerance;
      if (!ok) failures++;
      const rate = c.kernel === matmulBiasRelu ? `${((2 * MM ** 3) / (t.medianMs * 1e6)).toFixed(2)} GFLOP/s` : `${(bytes / (t.medianMs * 1e6)).toFixed(2)} GB/s`;
      console.log(`  ${ok ? 'ok  ' : 'FAIL'} config ${JSON.stringify(resolved)}  max|err| ${err.toExponential(2)}  median ${t.medianMs.toFixed(3)} ms (${t.method})  ${rate}`);
    }
    for (const a of args) a.destroy();
  }
  device.dispose();
  console.log(failures === 0 ? '\nall results match their references' : `\n${failures} result(s) did not match`);
  return failures === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
