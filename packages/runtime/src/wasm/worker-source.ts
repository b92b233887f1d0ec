/**
 * The program each worker thread runs, as JavaScript source (a worker is started from
 * text, so the same program runs under Node's worker_threads and in a browser Worker
 * without a separate file to bundle). A worker receives the device's shared memory once,
 * then kernel modules (instantiated once per worker) and run requests: tiles
 * [begin, end) of one call, answered with { seq, error? }.
 */
import { MATH_SOURCE } from './math-imports.ts';

export const WORKER_SOURCE = `
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
  if (m.type === 'run') {
    const inst = instances.get(m.id);
    try {
      if (typeof inst === 'string') throw new Error(inst);
      if (!inst) throw new Error('module ' + m.id + ' was not sent to this worker');
      inst.exports.run(m.args, m.begin, m.end, m.scratch);
      post({ seq: m.seq });
    } catch (e) {
      post({ seq: m.seq, error: String(e && e.message || e) });
    }
  }
}
if (typeof self === 'undefined' || typeof self.postMessage !== 'function') {
  const { parentPort } = require('node:worker_threads');
  post = (x) => parentPort.postMessage(x);
  parentPort.on('message', handle);
} else {
  post = (x) => self.postMessage(x);
  self.onmessage = (e) => handle(e.data);
}
`;
