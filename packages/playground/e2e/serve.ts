/**
 * For tests: build the playground with Vite and serve the build with `vite preview`, or
 * start the dev server (what `npm run playground` runs), each on a free localhost port.
 * Nothing is written outside the package's dist/ folder.
 */
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, createServer as createViteServer, preview } from 'vite';

export const PLAYGROUND_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function buildAndServe(): Promise<Served> {
  await build({ root: PLAYGROUND_ROOT, configFile: `${PLAYGROUND_ROOT}vite.config.ts`, logLevel: 'error' });
  const port = await freePort();
  const server = await preview({
    root: PLAYGROUND_ROOT,
    configFile: `${PLAYGROUND_ROOT}vite.config.ts`,
    logLevel: 'error',
    preview: { port, strictPort: true, host: '127.0.0.1', open: false },
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}

/** The dev server, without file watching or HMR: a test's page must not reload under it. */
export async function startDevServer(): Promise<Served> {
  const port = await freePort();
  const server = await createViteServer({
    root: PLAYGROUND_ROOT,
    configFile: `${PLAYGROUND_ROOT}vite.config.ts`,
    logLevel: 'error',
    server: { port, strictPort: true, host: '127.0.0.1', watch: null, hmr: false },
  });
  await server.listen();
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}
