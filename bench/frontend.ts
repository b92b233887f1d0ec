/**
 * Front-end and compiler speed: parse + check of the matmul kernel (target < 1 ms median)
 * and template → WGSL for one config (target < 2 ms median), after warm-up.
 *
 *   npx tsx bench/frontend.ts
 */
import { Bench } from 'tinybench';
import { kernelFromSource } from 'tessera-gpu-dsl';
import { checkKernel } from 'tessera-gpu-dsl/check';
import { compileWgsl, lowerToIR } from 'tessera-gpu-compiler';
import { matmulBiasRelu } from '../examples/matmul.ts';
import { softmax } from '../examples/softmax.ts';

// The example kernels' own source text, re-parsed from scratch each iteration.
const MATMUL_BIAS_RELU = matmulBiasRelu.def.source.text;
const SOFTMAX = softmax.def.source.text;

function parseAndCheck(src: string) {
  const def = kernelFromSource(src);
  if (!def.ast) throw new Error(def.diagnostics.map((d) => d.message).join('\n'));
  const r = checkKernel(def.ast, def.holes);
  if (!r.kernel) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.kernel;
}

function compile(src: string, blocks: Record<string, number>): string {
  return compileWgsl(lowerToIR(parseAndCheck(src)), { blocks }).wgsl;
}

export async function runFrontendBench(): Promise<{ name: string; medianMs: number; targetMs: number }[]> {
  const bench = new Bench({ time: 1000, warmupTime: 200 });
  let salt = 0;
  // A fresh source text each iteration (a changed comment) so no cache can answer.
  const fresh = (src: string) => `${src}\n// ${salt++}`;
  bench
    .add('parse + check: matmul_bias_relu', () => void parseAndCheck(fresh(MATMUL_BIAS_RELU)))
    .add('parse + check: softmax', () => void parseAndCheck(fresh(SOFTMAX)))
    .add('template → WGSL: softmax', () => void compile(fresh(SOFTMAX), { tm: 4 }));
  let matmulCompiles = true;
  try {
    compile(MATMUL_BIAS_RELU, {});
    bench.add('template → WGSL: matmul_bias_relu', () => void compile(fresh(MATMUL_BIAS_RELU), {}));
  } catch {
    matmulCompiles = false;
  }
  await bench.run();
  const targets: Record<string, number> = { 'parse + check': 1, 'template → WGSL': 2 };
  const rows = bench.tasks.map((t) => {
    const r = t.result;
    const medianMs = r && 'latency' in r ? r.latency.p50 ?? NaN : NaN;
    const kind = t.name.split(':')[0] ?? '';
    return { name: t.name, medianMs, targetMs: targets[kind] ?? Infinity };
  });
  if (!matmulCompiles) rows.push({ name: 'template → WGSL: matmul_bias_relu (WGSL backend lacks @)', medianMs: NaN, targetMs: 2 });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runFrontendBench();
  console.log('front end and compiler, median per call after warm-up:');
  for (const r of rows) {
    const verdict = Number.isNaN(r.medianMs) ? 'n/a' : r.medianMs < r.targetMs ? 'ok' : 'SLOW';
    console.log(`  ${r.name.padEnd(48)} ${r.medianMs.toFixed(3).padStart(8)} ms  (target < ${r.targetMs} ms) ${verdict}`);
  }
}
