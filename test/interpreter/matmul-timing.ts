/**
 * Times a 256×256×256 f32 matmul in the interpreter against TF.js's CPU backend
 * (tf.matMul), interleaved so both see the same machine load. Not a test (timings are
 * machine-dependent): `npx tsx test/interpreter/matmul-timing.ts [blocksJSON]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { resolveConfig } from 'tessera-gpu-compiler';
import { compileInterpreter } from '../../packages/runtime/src/interpreter/index.ts';
import { irOf, randF32, rng } from './support.ts';
import { matmul } from '../../examples/matmul.ts';

const MATMUL = matmul.def.source.text;

const n = 256;
const blocks = JSON.parse(process.argv[2] ?? '{}') as Record<string, number>;
const ir = irOf(MATMUL);
const config = resolveConfig(ir, { blocks });
const k = compileInterpreter(ir, config);
const r = rng(1);
const a = randF32(r, n * n);
const b = randF32(r, n * n);
const out = new Float32Array(n * n);

await tf.setBackend('cpu');
const ta = tf.tensor2d(a, [n, n]);
const tb = tf.tensor2d(b, [n, n]);

const times: Record<string, number[]> = { interpreter: [], 'tf.matMul (cpu)': [] };
for (let round = 0; round < 15; round++) {
  let t = performance.now();
  k.run([a, b], [out], { M: n, N: n, K: n });
  times.interpreter?.push(performance.now() - t);
  t = performance.now();
  const c = tf.matMul(ta, tb);
  c.dataSync();
  c.dispose();
  times['tf.matMul (cpu)']?.push(performance.now() - t);
}
console.log(`256³ f32 matmul, config ${JSON.stringify(config.blocks)}, 15 runs each (first ones include JIT warm-up)`);
for (const [name, ts] of Object.entries(times)) {
  const sorted = [...ts].sort((x, y) => x - y);
  console.log(`${name.padEnd(16)} median ${(sorted[7] ?? NaN).toFixed(1)} ms, min ${(sorted[0] ?? NaN).toFixed(1)} ms`);
}
