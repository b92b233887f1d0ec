/**
 * The program each worker thread runs, as JavaScript source (a worker is started from
 * text, so the same program runs under Node's worker_threads and in a browser Worker
 * without a separate file to bundle). A worker receives the device's shared memory and
 * its mailbox (mailbox.ts) once, then kernel modules (instantiated once per worker) and
 * run requests: tiles [begin, end) of one call, answered with { seq, error? }; and, at
 * start, feature probes (module bytes to validate in the worker's own engine, answered
 * the same way).
 *
 * Between messages a worker parks in its mailbox (Atomics.wait): a run of a module it
 * already has is handed to it there, which wakes it in microseconds where a message
 * first goes through its event loop. It leaves the mailbox for its event loop when the
 * host has a message for it (the host counts and kicks), and every PARK_MS, so a
 * message or a terminate is never held up for long.
 *
 * WORKER_BODY ends with a `handle(message)` and an unassigned `post(reply)`; what connects
 * them to the host differs: WEB_WORKER_SOURCE adds the Web Worker way, and the Node
 * platform (#platform, nodeWorkers) the worker_threads way, so browser bundles hold no
 * Node code, not even as text.
 */
import { MATH_SOURCE } from './math-imports.ts';
import { BOX, PARK_MS, STATE } from './mailbox.ts';

export const WORKER_BODY = `
'use strict';
const math = (function () { ${MATH_SOURCE} })();
const instances = new Map();
const S = ${JSON.stringify(STATE)};
const B = ${JSON.stringify(BOX)};
let memory;
let box;
let post;
let parkTimer;
function run(id, seq, args, begin, end, scratch, status) {
  const inst = instances.get(id);
  try {
    if (typeof inst === 'string') throw new Error(inst);
    if (!inst) throw new Error('module ' + id + ' was not sent to this worker');
    inst.exports.run(args, begin, end, scratch);
    post({ seq });
  } catch (e) {
    // The caller waits on the done count, which this run's tiles never reach: flag the
    // failure and wake it (status words: counter, done, failed).
    const words = new Int32Array(memory.buffer, status, 3);
    Atomics.store(words, 2, 1);
    Atomics.notify(words, 1);
    post({ seq, error: String(e && e.message || e) });
  }
}
// Waits in the mailbox for runs until the host has a message for this worker, kicks
// it, or PARK_MS pass with nothing to do; then back to the event loop.
function park() {
  parkTimer = undefined;
  if (!box) return;
  for (;;) {
    Atomics.store(box, B.state, S.parked);
    // Stored before the check: a host that counts a message after it sees the park and kicks.
    if (Atomics.load(box, B.messages) > 0 && Atomics.compareExchange(box, B.state, S.parked, S.busy) === S.parked) return;
    let s = Atomics.load(box, B.state);
    while (s === S.parked || s === S.claimed) {
      const r = Atomics.wait(box, B.state, s, ${PARK_MS});
      if (r === 'timed-out' && s === S.parked && Atomics.compareExchange(box, B.state, S.parked, S.busy) === S.parked) {
        parkTimer = setTimeout(park, 0);
        return;
      }
      s = Atomics.load(box, B.state);
    }
    if (s !== S.ready) {
      // Kicked: the host posted a message.
      Atomics.store(box, B.state, S.busy);
      return;
    }
    const id = box[B.id], seq = box[B.seq], args = box[B.args], begin = box[B.begin], end = box[B.end], scratch = box[B.scratch], status = box[B.status];
    Atomics.store(box, B.state, S.busy);
    run(id, seq, args, begin, end, scratch, status);
  }
}
function handle(m) {
  if (box) Atomics.sub(box, B.messages, 1);
  if (parkTimer !== undefined) { clearTimeout(parkTimer); parkTimer = undefined; }
  if (m.type === 'memory') { memory = m.memory; box = m.box ? new Int32Array(m.box, m.at, B.words) : undefined; if (box) Atomics.sub(box, B.messages, 1); }
  else if (m.type === 'module') {
    try { instances.set(m.id, new WebAssembly.Instance(m.module, { env: { memory }, m: math })); }
    catch (e) { instances.set(m.id, String(e && e.message || e)); }
  } else if (m.type === 'drop') instances.delete(m.id);
  else if (m.type === 'validate') post(WebAssembly.validate(m.bytes) ? { seq: m.seq } : { seq: m.seq, error: 'invalid here' });
  else if (m.type === 'run') run(m.id, m.seq, m.args, m.begin, m.end, m.scratch, m.status);
  // Back to the mailbox after this message (park returns at once while more are queued).
  if (box) queueMicrotask(park);
}
`;

export const WEB_WORKER_SOURCE = `${WORKER_BODY}
post = (x) => self.postMessage(x);
self.onmessage = (e) => handle(e.data);
`;
