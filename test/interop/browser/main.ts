/**
 * The TF.js MLP block of examples/tfjs-mlp in a browser page: pure TF.js and with the
 * Tessera layernorm + GEGLU kernels, on TF.js's WebGPU backend (Chromium's adapter).
 * The outcome goes to window.__interop for test/interop/browser.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import { tfjsDevice } from 'tessera-gpu/tfjs';
import { mlpFused, mlpTf, randomWeights } from '../../../examples/tfjs-mlp/block.ts';
import { rng } from '../../support/random.ts';

export interface InteropOutcome {
  readonly ok: boolean;
  readonly error?: string;
  readonly adapter?: string;
  readonly adopted?: boolean;
  readonly maxError?: number;
  readonly maxValue?: number;
}

async function run(): Promise<InteropOutcome> {
  if (!(await tf.setBackend('webgpu'))) return { ok: false, error: 'TF.js has no webgpu backend here' };
  await tf.ready();
  const device = await tfjsDevice(tf);
  const [t, d, f] = [45, 96, 136];
  const random = rng(7);
  const weights = randomWeights(tf, d, f, random);
  const x = tf.tensor2d(Float32Array.from({ length: t * d }, () => random() * 4 - 2), [t, d]);
  const want = await mlpTf(tf, x, weights).data();
  const got = await (await mlpFused(tf, weights)(x)).data();
  let maxError = 0;
  let maxValue = 0;
  for (let i = 0; i < want.length; i++) {
    maxError = Math.max(maxError, Math.abs((want[i] ?? 0) - (got[i] ?? NaN)) || (Number.isNaN(got[i]) ? Infinity : 0));
    maxValue = Math.max(maxValue, Math.abs(want[i] ?? 0));
  }
  return { ok: true, adapter: device.describe(), adopted: device.adopted, maxError, maxValue };
}

const target = window as unknown as { __interop?: InteropOutcome };
run().then((outcome) => {
  target.__interop = outcome;
}, (e: unknown) => {
  target.__interop = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}).finally(() => {
  const status = document.getElementById('status');
  if (status) status.textContent = JSON.stringify(target.__interop);
});
