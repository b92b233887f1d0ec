/**
 * The program each worker thread runs, as JavaScript source (a worker is started from
 * text, so the same program runs under Node's worker_threads and in a browser Worker
 * without a separate file to bundle). A worker receives the device's shared memory once,
 * then kernel modules (instantiated once per worker) and run requests: tiles
 * [begin, end) of one call, answered with { seq, error? }; and, at start, feature probes
 * (module bytes to validate in the worker's own engine, answered the same way).
 *
 * WORKER_BODY ends with a `handle(message)` and an unassigned `post(reply)`; what connects
 * them to the host differs: WEB_WORKER_SOURCE adds the Web Worker way, and the Node
 * platform (#platform, nodeWorkers) the worker_threads way, so browser bundles hold no
 * Node code, not even as text.
 */
import { MATH_SOURCE } from './math-imports.ts';

export const WORKER_BODY = `
'use strict';
const math = (function () { ${MATH_SOURCE} })();
const instances = new Map();
let memory;
let post;
function handle(m) {
  if (m.type === 'memory') { memory = m.memory; return; }
  if (m.type === 'module') {
    try { instances.set(m.id, new WebAssembly.Instance(m.module, { env: { memory }, m: math })); }
    catch (e) { instances.set(m.id, String(e && e.message || e)); }
    return;
  }
  if (m.type === 'drop') { instances.delete(m.id); return; }
  if (m.type === 'validate') {
    post(WebAssembly.validate(m.bytes) ? { seq: m.seq } : { seq: m.seq, error: 'invalid here' });
    return;
  }
  if (m.type === 'run') {
    const inst = instances.get(m.id);
    try {
      if (typeof inst === 'string') throw new Error(inst);
      if (!inst) throw new Error('module ' + m.id + ' was not sent to this worker');
      inst.exports.run(m.args, m.begin, m.end, m.scratch);
      post({ seq: m.seq });
    } catch (e) {
      // The caller waits on the done count, which this run's tiles never reach: flag the
      // failure and wake it (status words: counter, done, failed).
      const status = new Int32Array(memory.buffer, m.status, 3);
      Atomics.store(status, 2, 1);
      Atomics.notify(status, 1);
      post({ seq: m.seq, error: String(e && e.message || e) });
    }
  }
}
`;

export const WEB_WORKER_SOURCE = `${WORKER_BODY}
post = (x) => self.postMessage(x);
self.onmessage = (e) => handle(e.data);
`;
