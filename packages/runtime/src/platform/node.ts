/**
 * The Node side of `#platform` (see platform.ts). The imports below are literal, so a
 * Node bundler (esbuild --platform=node) follows them; `webgpu` is a native addon and an
 * optional peer dependency, loaded only when a WebGPU device is asked for.
 */
import { FileStore } from '../autotune/cache/file-store.ts';
import { defaultCacheFile } from '../autotune/cache/location.ts';
import { readEnvironment } from '../settings/environment.ts';
import type { DawnModule, Platform } from './platform.ts';

export const platform: Platform = {
  name: 'node',
  loadDawn: async () => (await import('webgpu')) as DawnModule,
  hardwareThreads: async () => (await import('node:os')).availableParallelism(),
  nodeWorkers: async () => ({
    module: await import('node:worker_threads'),
    connect: [
      "const { parentPort } = require('node:worker_threads');",
      'post = (x) => parentPort.postMessage(x);',
      "parentPort.on('message', handle);",
    ].join('\n'),
  }),
  fileStore: (path, options) => Promise.resolve(new FileStore(path, options)),
  defaultStore: () => Promise.resolve(new FileStore(defaultCacheFile(process.env, process.platform))),
  // The one place the library reads the process environment (STYLE.md 13): the values
  // become defaults of options, which win when given.
  environment: () => readEnvironment(process.env),
  writeLine: (line) => {
    process.stderr.write(`${line}\n`);
  },
  writeStatus: (line) => {
    if (process.stderr.isTTY !== true) return false;
    const width = process.stderr.columns > 0 ? process.stderr.columns - 1 : 79;
    process.stderr.write(`\r${line.slice(0, width).padEnd(width)}`);
    return true;
  },
};

