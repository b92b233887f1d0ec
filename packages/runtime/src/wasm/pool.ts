/**
 * A pool of worker threads over the device's shared memory: worker_threads in Node, Web
 * Workers in a browser. Runs go through each worker's mailbox when it is parked there
 * (mailbox.ts), else as messages. Workers are unref'd in Node, so an idle pool never
 * keeps a process alive; dispose() terminates them.
 */
import { BOX, Mailbox } from './mailbox.ts';
import { WEB_WORKER_SOURCE, WORKER_BODY } from './worker-source.ts';
import { platform } from '#platform';

interface Port {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

export interface RunRequest {
  readonly id: number;
  readonly module: WebAssembly.Module;
  readonly args: number;
  readonly begin: number;
  readonly end: number;
  readonly scratch: number;
  /** Address of the call's status words (artifact.ts): a trap sets the failure flag. */
  readonly status: number;
}

class PoolWorker {
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly modules = new Set<number>();
  private seq = 0;
  private readonly mailbox: Mailbox;
  constructor(private readonly port: Port, memory: WebAssembly.Memory) {
    const box = new SharedArrayBuffer(BOX.words * 4);
    this.mailbox = new Mailbox(new Int32Array(box));
    this.post({ type: 'memory', memory, box, at: 0 });
  }

  /** Every message is counted in the mailbox first, so a parked worker goes to read it. */
  private post(message: unknown): void {
    this.mailbox.beforeMessage();
    this.port.postMessage(message);
  }

  onMessage(m: { seq: number; error?: string }): void {
    const p = this.pending.get(m.seq);
    if (!p) return;
    this.pending.delete(m.seq);
    if (m.error === undefined) p.resolve();
    else p.reject(new Error(m.error));
  }

  onError(e: unknown): void {
    for (const p of this.pending.values()) p.reject(e instanceof Error ? e : new Error(String(e)));
    this.pending.clear();
  }

  run(r: RunRequest): Promise<void> {
    const known = this.modules.has(r.id);
    if (!known) {
      this.modules.add(r.id);
      this.post({ type: 'module', id: r.id, module: r.module });
    }
    const seq = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      const run = { id: r.id, seq, args: r.args, begin: r.begin, end: r.end, scratch: r.scratch, status: r.status };
      if (!known || !this.mailbox.tryRun(run)) this.post({ type: 'run', ...run });
    });
  }

  /** Whether `bytes` validate in this worker's engine. */
  validates(bytes: Uint8Array): Promise<boolean> {
    const seq = ++this.seq;
    return new Promise<boolean>((resolve) => {
      this.pending.set(seq, { resolve: () => resolve(true), reject: () => resolve(false) });
      this.post({ type: 'validate', seq, bytes });
    });
  }

  drop(id: number): void {
    if (this.modules.delete(id)) this.post({ type: 'drop', id });
  }

  terminate(): void {
    this.onError(new Error('the wasm device was disposed'));
    // Out of the mailbox first: an engine may not interrupt Atomics.wait to terminate.
    this.mailbox.beforeMessage();
    void this.port.terminate();
  }
}

type NodeWorkerModule = { Worker: new (code: string, opts: { eval: true }) => Port & { on(ev: string, f: (x: never) => void): void; unref(): void } };

async function startWorker(memory: WebAssembly.Memory): Promise<PoolWorker> {
  const g = globalThis as { Worker?: new (url: string) => Port & { onmessage: ((e: { data: never }) => void) | null; onerror: ((e: unknown) => void) | null }; Blob?: typeof Blob; URL?: typeof URL };
  // worker_threads comes through #platform, so browser bundles hold no node: module.
  const nodeWorkers = await platform.nodeWorkers();
  if (nodeWorkers !== undefined) {
    const wt = nodeWorkers.module as NodeWorkerModule;
    const w = new wt.Worker(`${WORKER_BODY}\n${nodeWorkers.connect}`, { eval: true });
    w.unref();
    const pw = new PoolWorker(w, memory);
    w.on('message', (m: { seq: number; error?: string }) => pw.onMessage(m));
    w.on('error', (e: unknown) => pw.onError(e));
    return pw;
  }
  if (!g.Worker) throw new Error('no Worker in this environment');
  const url = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new g.Worker(url);
  const pw = new PoolWorker(w, memory);
  w.onmessage = (e: { data: { seq: number; error?: string } }) => pw.onMessage(e.data);
  w.onerror = (e: unknown) => pw.onError(e);
  return pw;
}

export class WorkerPool {
  private constructor(private readonly workers: readonly PoolWorker[]) {}

  /** `count` workers (the calling thread is one more thread on top of them). */
  static async create(memory: WebAssembly.Memory, count: number): Promise<WorkerPool> {
    const workers = await Promise.all(Array.from({ length: count }, () => startWorker(memory)));
    return new WorkerPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  run(worker: number, r: RunRequest): Promise<void> {
    const w = this.workers[worker];
    if (!w) return Promise.reject(new Error(`no worker ${worker}`));
    return w.run(r);
  }

  /**
   * Whether `bytes` validate in every worker's own engine: a feature the calling thread
   * has is used only if the workers, which instantiate the same modules, have it too.
   */
  async validates(bytes: Uint8Array): Promise<boolean> {
    const answers = await Promise.all(this.workers.map((w) => w.validates(bytes)));
    return answers.every(Boolean);
  }

  drop(id: number): void {
    for (const w of this.workers) w.drop(id);
  }

  dispose(): void {
    for (const w of this.workers) w.terminate();
  }
}
