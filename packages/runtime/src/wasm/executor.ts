/**
 * The wasm backend's executor: lowers a kernel's IR per config to a module (compiled
 * once, instantiated on the calling thread and on each worker), and runs a call on
 * every thread at once, each with its own scratch memory, claiming the launch grid's
 * tiles one at a time from a shared counter (artifact.ts); the calling thread is one of
 * them.
 */
import {
  lowerWasm, relaxedSimdProbe, simdProbe,
  type DType, type KernelConfig, type KernelIR, type WasmArtifact, type WasmFeatures,
} from 'tessera-gpu-compiler';
import { DeviceError } from '../errors.ts';
import { hostArray, type HostArray } from '../interpreter/host.ts';
import { mathImports } from './math-imports.ts';
import { WasmMemory } from './memory.ts';
import { WorkerPool } from './pool.ts';
import { canBlock, waitForTiles } from './wait.ts';
import { platform } from '#platform';

export interface WasmBackendOptions {
  /** Threads in all, the calling one included (default: the machine's hardware threads). */
  readonly threads?: number;
  /** Most bytes of wasm memory (default 2 GiB; 256 MiB fixed without SharedArrayBuffer). */
  readonly memoryBytes?: number;
}

interface Compiled {
  readonly id: number;
  readonly artifact: WasmArtifact;
  readonly module: WebAssembly.Module;
  readonly exports: { run(args: number, begin: number, end: number, scratch: number): number; scratch(args: number, a: number, b: number, c: number): number };
  readonly compileMs: number;
  /** Milliseconds one tile took the calling thread in earlier calls, by the call's dims (threadsFor). */
  readonly tileMs: Map<string, number>;
}

export interface CallArgs {
  readonly inputs: readonly HostArray[];
  readonly outputs: readonly HostArray[];
  readonly dims: Readonly<Record<string, number>>;
  readonly scalars: Readonly<Record<string, number>>;
}

async function hardwareThreads(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  let n = nav?.hardwareConcurrency;
  // Node's thread count comes through #platform, so browser bundles hold no node:os.
  n ??= await platform.hardwareThreads();
  return typeof n === 'number' && n > 0 ? Math.min(n, 16) : 1;
}

function canShare(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean; process?: unknown };
  // Browsers hand shared memory to workers only on cross-origin-isolated pages.
  return g.process !== undefined || g.crossOriginIsolated !== false;
}

export class WasmBackend {
  private readonly math = mathImports();
  private readonly compiled = new WeakMap<KernelIR, Map<string, Promise<Compiled>>>();
  /** The same, by config object: a frozen config (the call path's, config-memo.ts) cannot change, so it needs no key text. */
  private readonly byFrozenConfig = new WeakMap<KernelIR, WeakMap<KernelConfig, Promise<Compiled>>>();
  private nextId = 1;
  private disposed = false;

  private constructor(
    readonly memory: WasmMemory,
    private readonly pool: WorkerPool | undefined,
    readonly threads: number,
    readonly features: WasmFeatures,
  ) {}

  /** Whether this thread may block in Atomics.wait (not a browser's main thread). */
  private readonly blocking = canBlock();

  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(simdProbe() as BufferSource)) {
      throw new DeviceError('internal', 'this JavaScript engine has no WebAssembly SIMD', 'Use a current browser or Node 20+, or init({ backend: "interpreter" }).', undefined, { backend: 'wasm' });
    }
    const shared = canShare();
    const memory = new WasmMemory({ shared, maxBytes: options.memoryBytes ?? (shared ? 2 ** 31 : 2 ** 28) });
    const threads = shared ? Math.max(1, Math.floor(options.threads ?? (await hardwareThreads()))) : 1;
    let pool: WorkerPool | undefined;
    let got = threads;
    if (threads > 1) {
      try {
        pool = await WorkerPool.create(memory.memory, threads - 1);
      } catch {
        // No workers here (a sandbox without them): the calling thread runs every tile.
        got = 1;
      }
    }
    // Modules compiled here run on the workers too: relaxed SIMD only where all have it.
    const relaxed = relaxedSimdProbe();
    const relaxedSimd = WebAssembly.validate(relaxed as BufferSource) && (pool === undefined || await pool.validates(relaxed));
    const features: WasmFeatures = { relaxedSimd };
    return new WasmBackend(memory, pool, got, features);
  }

  /** Lowers and compiles (cached per IR and config). */
  prepare(ir: KernelIR, config: KernelConfig): Promise<Compiled> {
    if (!Object.isFrozen(config)) return this.prepareByKey(ir, config);
    let byObject = this.byFrozenConfig.get(ir);
    if (!byObject) this.byFrozenConfig.set(ir, (byObject = new WeakMap()));
    let hit = byObject.get(config);
    if (!hit) {
      hit = this.prepareByKey(ir, config);
      byObject.set(config, hit);
      hit.catch(() => byObject.delete(config));
    }
    return hit;
  }

  private prepareByKey(ir: KernelIR, config: KernelConfig): Promise<Compiled> {
    let perIR = this.compiled.get(ir);
    if (!perIR) {
      perIR = new Map();
      this.compiled.set(ir, perIR);
    }
    const key = JSON.stringify(config);
    let hit = perIR.get(key);
    if (!hit) {
      hit = this.compile(ir, config);
      perIR.set(key, hit);
      // A failed compile is not cached: the error is reported each time.
      hit.catch(() => perIR.delete(key));
    }
    return hit;
  }

  private async compile(ir: KernelIR, config: KernelConfig): Promise<Compiled> {
    const t0 = performance.now();
    const artifact = lowerWasm(ir, config, { features: this.features, shared: this.memory.shared });
    let module: WebAssembly.Module;
    let instance: WebAssembly.Instance;
    try {
      module = await WebAssembly.compile(artifact.bytes as BufferSource);
      instance = await WebAssembly.instantiate(module, { env: { memory: this.memory.memory }, m: this.math });
    } catch (e) {
      throw new DeviceError('internal', `the WebAssembly module for kernel '${ir.name}' failed to compile: ${String(e)}`,
        'This is a Tessera bug (the wasm lowering emitted an invalid module); please report it with the kernel.', ir.name, { cause: e, backend: 'wasm' });
    }
    const exports = instance.exports as unknown as Compiled['exports'];
    return { id: this.nextId++, artifact, module, exports, compileMs: performance.now() - t0, tileMs: new Map() };
  }

  /** Runs one call: every tile of the grid, over the threads. */
  async run(ir: KernelIR, config: KernelConfig, call: CallArgs): Promise<void> {
    this.assertAlive(ir.name);
    const c = await this.prepare(ir, config);
    const a = c.artifact;
    let tiles = 1;
    for (const g of a.grid) {
      const size = typeof g.dim === 'number' ? g.dim : call.dims[g.dim] ?? 0;
      tiles *= Math.ceil(size / g.block);
    }
    if (tiles === 0) return;
    // Every run starts from zeroed accumulating outputs, as a WebGPU dispatch clears its
    // zeroInit bindings: repeated runs into the same outputs (measure(), the autotuner,
    // caller-given outputs) must not add onto the previous run's atomics.
    ir.outputs.forEach((o, i) => {
      if (o.zeroInit) call.outputs[i]?.fill(0);
    });
    const args = this.writeArgs(a, call);
    let scratch = 0;
    let jobs: Promise<void>[] = [];
    // The argument block and scratch stay allocated until every worker sent a run has
    // answered: one that starts after the grid is done still reads the block's counter.
    let releaseWhenAnswered = false;
    const release = (): void => {
      this.memory.release(args);
      if (scratch !== 0) this.memory.release(scratch);
    };
    try {
      // Each thread's scratch on cache lines of its own (and none shared with the argument
      // block's counter, which every thread updates): a row kernel writes its row results
      // at the end of its scratch, next to the start of the next thread's.
      const perThread = Math.ceil(c.exports.scratch(args, 0, 0, 0) / LINE) * LINE;
      const dimsKey = a.slots.dims.map((d) => call.dims[d] ?? 0).join(',');
      const threads = threadsFor(a.threads, this.threads, tiles, c.tileMs.get(dimsKey));
      scratch = this.memory.allocate(perThread * threads + LINE, `the scratch memory of kernel '${ir.name}' (${threads} thread(s) × ${perThread} bytes for its tiles)`,
        `The config's blocks make tiles too large for the wasm memory: use smaller blocks (${Object.entries(a.config.blocks).map(([k, v]) => `${k}=${v}`).join(', ')} now), or create the device with a larger wasmMemoryBytes.`);
      const base = Math.ceil(scratch / LINE) * LINE;
      // Every thread claims tiles of [0, tiles) from the argument block's counter.
      const status = args + 4 * argSlots(a);
      for (let t = 1; t < threads && this.pool; t++) {
        jobs.push(this.pool.run(t - 1, { id: c.id, module: c.module, args, begin: 0, end: tiles, scratch: base + t * perThread, status }));
      }
      let error: unknown;
      const t0 = performance.now();
      let mine = 0;
      let ownMs = 0;
      try {
        mine = c.exports.run(args, 0, tiles, base);
        ownMs = performance.now() - t0;
      } catch (e) {
        error = e;
      }
      if (error === undefined && jobs.length > 0) {
        releaseWhenAnswered = (await waitForTiles(this.memory.i32, status, tiles, jobs, this.blocking)) === 'done';
      }
      if (error === undefined) {
        // The calling thread's own time per tile; where the workers ran every tile, the
        // call's time spread over all its threads (an upper bound).
        const ms = mine > 0 ? ownMs / mine : ((performance.now() - t0) * threads) / tiles;
        const before = c.tileMs.get(dimsKey);
        // A kernel called at ever new sizes keeps the estimates of its recent ones only.
        if (before === undefined && c.tileMs.size >= TILE_ESTIMATES) c.tileMs.clear();
        c.tileMs.set(dimsKey, before === undefined ? ms : (before + ms) / 2);
      }
      if (jobs.length > 0 && !releaseWhenAnswered) {
        // A thread failed: wait for every thread (none may still write), then report.
        const results = await Promise.allSettled(jobs);
        jobs = [];
        error ??= results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
        error ??= new Error('a worker thread stopped before the grid was done');
      }
      if (error !== undefined) {
        throw new DeviceError('internal', `kernel '${ir.name}' failed on the wasm backend: ${error instanceof Error ? error.message : String(error)}`,
          'This is a Tessera bug (an out-of-bounds access in generated code); please report it with the kernel and shapes.', ir.name, { cause: error, backend: 'wasm' });
      }
    } finally {
      if (releaseWhenAnswered && jobs.length > 0) void Promise.allSettled(jobs).then(release);
      else release();
    }
  }

  /** The argument block: tensor addresses, dims, scalars, one 4-byte slot each (artifact.ts). */
  private writeArgs(a: WasmArtifact, call: CallArgs): number {
    const s = a.slots;
    const count = argSlots(a);
    // Then the tile counter, the done count and the failure flag (artifact.ts), zero.
    const addr = this.memory.allocate((count + STATUS_WORDS) * 4, 'a kernel argument block');
    const buffer = this.memory.memory.buffer;
    for (const list of [call.inputs, call.outputs]) {
      for (const t of list) {
        if (t.buffer !== buffer && !(this.memory.shared && t.buffer instanceof SharedArrayBuffer)) {
          this.memory.release(addr);
          throw new DeviceError('internal', `kernel '${a.kernelName}' got a tensor that does not live in this wasm device's memory`, 'Pass tensors created on the same wasm device.', a.kernelName, { backend: 'wasm' });
        }
      }
    }
    const { i32, f32 } = this.memory;
    let i = addr >> 2;
    for (const t of call.inputs) i32[i++] = t.byteOffset;
    for (const t of call.outputs) i32[i++] = t.byteOffset;
    for (const d of s.dims) i32[i++] = call.dims[d] ?? 0;
    for (const p of s.scalars) {
      const v = call.scalars[p.name] ?? 0;
      if (p.dtype === 'f32') f32[i] = v;
      else if (p.dtype === 'f16') f32[i] = roundScalarHalf(v, this.math);
      else if (p.dtype === 'bool') i32[i] = v ? 1 : 0;
      else i32[i] = p.dtype === 'u32' ? v >>> 0 : v | 0;
      i++;
    }
    for (let w = 0; w < STATUS_WORDS; w++) i32[i++] = 0;
    return addr;
  }

  /** Storage for a tensor of the device: a view into the memory (zero-filled with `zero`). */
  storage(dtype: DType, size: number, zero: boolean): HostArray {
    const proto = hostArray(dtype, 0);
    const bytes = size * proto.BYTES_PER_ELEMENT;
    const addr = this.memory.allocate(bytes, `a tensor of ${size} ${dtype} elements`);
    const Ctor = proto.constructor as new (b: ArrayBufferLike, offset: number, length: number) => HostArray;
    const v = this.memory.view((buffer, at) => new Ctor(buffer, at, size), addr);
    if (zero) v.fill(0);
    return v;
  }

  releaseStorage(v: HostArray): void {
    this.memory.releaseView(v);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pool?.dispose();
  }

  private assertAlive(kernel: string): void {
    if (this.disposed) throw new DeviceError('lost', 'the device was disposed', 'Create a new device with init().', kernel, { backend: 'wasm' });
  }
}

/**
 * The least single-thread work (ms) a call must hold per thread before it takes one more:
 * handing tiles to a parked worker and waiting for its last one costs tens of
 * microseconds, more where the machine is busy (64x1024 softmax, 0.08 ms on one thread,
 * took 0.15–0.2 ms on two on a loaded 2-core machine; 256 rows, 0.24 ms, took 0.3 ms).
 */
const MIN_MS_PER_THREAD = 0.25;
/** Sizes per compiled kernel whose time per tile is remembered. */
const TILE_ESTIMATES = 64;

/**
 * Threads for a call: the config's `threads` when it sets one (the autotuner's knob),
 * else as many of the pool's as the call's work fills at MIN_MS_PER_THREAD each,
 * estimated from the calling thread's time per tile in earlier calls with the same dims
 * (every thread of the pool for a first call, whose cost is unknown).
 */
export function threadsFor(configured: number, pool: number, tiles: number, tileMs: number | undefined): number {
  if (configured > 0) return Math.max(1, Math.min(configured, pool, tiles));
  const byWork = tileMs === undefined ? pool : Math.floor((tileMs * tiles) / MIN_MS_PER_THREAD);
  return Math.max(1, Math.min(pool, tiles, byWork));
}

const STATUS_WORDS = 3;
/** Bytes of a cache line, or of the pair that x86 cores fetch together. */
const LINE = 128;

function argSlots(a: WasmArtifact): number {
  const s = a.slots;
  return s.inputs + s.outputs + s.dims.length + s.scalars.length;
}

function roundScalarHalf(v: number, math: Record<string, (...a: number[]) => number>): number {
  const r = math['roundHalf'];
  return r ? r(v) : v;
}
