/**
 * The playground is a plain Vite app over the workspace's TypeScript sources: the
 * `tessera-source` export condition resolves the tessera packages to their src/ (no
 * build of them needed), and the `browser` condition picks the runtime's browser
 * platform (IndexedDB tuning cache, navigator.gpu). The runtime
 * reaches Dawn's Node binding (the `webgpu` package, a native addon) only through a
 * dynamic import with a computed specifier, which bundlers leave alone; naming it external
 * here as well keeps a future literal import from pulling a native addon into the bundle.
 * Node built-ins imported by Node-only runtime modules get throw-when-called stubs
 * (vite-node-stubs.ts), so they cannot stop the page from loading.
 */
import { defaultClientConditions, defineConfig } from 'vite';
import { nodeBuiltinStubs } from './vite-node-stubs.ts';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [nodeBuiltinStubs()],
  // The workspace packages from their TypeScript sources (no build step); the runtime's
  // `#platform` import resolves to its browser side through the `browser` condition.
  resolve: { conditions: ['tessera-source', ...defaultClientConditions] },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { external: ['webgpu'] },
  },
  optimizeDeps: { exclude: ['webgpu'] },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
