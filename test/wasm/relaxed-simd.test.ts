/**
 * Both multiply-adds of the wasm backend's `@` micro-kernel, for real: relaxed-simd.child.ts
 * runs `@` kernels at ragged sizes against f64 references in a Node started with
 * `--experimental-wasm-relaxed-simd` (relaxed SIMD on: `f32x4.relaxed_madd`) and in one
 * without it (the `f32x4.mul` + `f32x4.add` fallback), on one thread and on three. The
 * flag is a V8 option Node takes on its command line only (NODE_OPTIONS refuses it), so
 * each path gets its own process. Also the workers' half of the feature probe: a module
 * the calling thread would use must validate in every worker's engine too.
 *
 * The whole conformance suite runs on the relaxed path the same way, with the flag
 * handed to vitest's workers:
 *   pnpm exec vitest run --execArgv=--experimental-wasm-relaxed-simd test/conformance/wasm.test.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relaxedSimdProbe, simdProbe } from 'tessera-gpu-compiler';
import { init } from 'tessera-gpu';
import { WasmMemory } from '../../packages/runtime/src/wasm/memory.ts';
import { WorkerPool } from '../../packages/runtime/src/wasm/pool.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FLAG = '--experimental-wasm-relaxed-simd';

interface Report { features: boolean; threads: number[]; modules: boolean[]; worst: number; cases: number; fusedSum: number }

function runChild(flags: readonly string[]): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', 'test/wasm/relaxed-simd.child.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('relaxed-simd-report '));
      if (code !== 0 || !line) reject(new Error(`child exited ${code}:\n${output.slice(-3000)}`));
      else resolve(JSON.parse(line.slice('relaxed-simd-report '.length)) as Report);
    });
  });
}

// Node builds whose V8 no longer knows the flag (relaxed SIMD on by default) refuse it.
const probe = spawnSync(process.execPath, [FLAG, '-e', ''], { encoding: 'utf8' });
const flagAccepted = probe.status === 0;

// (1 + 2⁻¹³)² − (1 + 2⁻¹²) = 2⁻²⁶: kept by a fused multiply-add, lost to two roundings.
const FUSED = 2 ** -26;

describe('wasm @ multiply-add paths', () => {
  it.skipIf(!flagAccepted)(`relaxed SIMD (${FLAG}): the modules hold f32x4.relaxed_madd and the products are right${flagAccepted ? '' : ` — skipped: this Node refuses the flag (${probe.stderr.trim()})`}`, async () => {
    const r = await runChild([FLAG]);
    expect(r.features).toBe(true);
    expect(r.threads).toEqual([1, 3]);
    expect(r.modules.length).toBe(r.cases);
    expect(r.modules.every((m) => m)).toBe(true);
    expect(r.worst).toBeLessThan(1e-5);
    // relaxed_madd may fuse or not (the engine's choice); both must pass.
    expect([0, FUSED]).toContain(r.fusedSum);
  }, 180_000);

  it('plain SIMD (no flag): multiply then add, rounded twice, and the products are right', async () => {
    const r = await runChild([]);
    const here = WebAssembly.validate(relaxedSimdProbe() as BufferSource);
    expect(r.features).toBe(here);
    expect(r.threads).toEqual([1, 3]);
    expect(r.modules.every((m) => m === here)).toBe(true);
    expect(r.worst).toBeLessThan(1e-5);
    if (!here) expect(r.fusedSum).toBe(0);
  }, 180_000);

  it('the device uses relaxed SIMD exactly when this engine validates it', async () => {
    const d = await init({ backend: 'wasm', threads: 2 });
    try {
      expect(d.wasm?.features.relaxedSimd).toBe(WebAssembly.validate(relaxedSimdProbe() as BufferSource));
      expect(d.info.description).toContain(d.wasm?.features.relaxedSimd ? 'SIMD128 + relaxed SIMD' : '(SIMD128,');
    } finally {
      d.dispose();
    }
  });

  it('workers answer feature probes from their own engine', async () => {
    const memory = new WasmMemory({ shared: true, maxBytes: 2 ** 20 });
    const pool = await WorkerPool.create(memory.memory, 2);
    try {
      expect(await pool.validates(simdProbe())).toBe(true);
      expect(await pool.validates(relaxedSimdProbe())).toBe(WebAssembly.validate(relaxedSimdProbe() as BufferSource));
      // A module with a byte flipped in its code no longer validates, there as here.
      const broken = simdProbe();
      broken[broken.length - 2] = 0xff;
      expect(WebAssembly.validate(broken as BufferSource)).toBe(false);
      expect(await pool.validates(broken)).toBe(false);
    } finally {
      pool.dispose();
    }
  });
});
