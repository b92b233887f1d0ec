/**
 * Tessera as a user gets it. Every published package is built, packed and installed from
 * its tarball into projects outside the workspace (offline: project.ts), then:
 *   - the packed manifests and files: ESM + .d.ts only, no TypeScript sources, no
 *     workspace: ranges, every exports/imports target present; `npm publish --dry-run` passes;
 *   - a plain `node app.mjs` runs a kernel on the WebGPU adapter (lavapipe here) and checks it;
 *   - `tsc --noEmit` with a strict NodeNext tsconfig (skipLibCheck false) on the docs' examples;
 *   - a Vite production build of a browser app: no Node built-ins, no dawn.node, and its size;
 *   - an esbuild --platform=node bundle runs autotune (through the file tuning store).
 * Vite, esbuild and TypeScript are the workspace's; the user projects have only Tessera.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireWebGPU, webgpu } from '../support/webgpu.ts';
import { findChromium, launchChromium } from '../../packages/playground/e2e/browser.ts';
import { freePort } from '../../packages/playground/e2e/serve.ts';
import { docModule, userDocs } from './doc-examples.ts';
import {
  PACKAGES, ROOT, buildPackages, installProject, installedDirIn, installedManifest, packAll, userEnv, workspaceTool,
  type PackageFolder,
} from './project.ts';

const run = promisify(execFile);
const FIXTURES = join(ROOT, 'test', 'packaging', 'fixtures');
/** Where the browser bundle's size is kept for docs/benchmarks.md (bench/report.ts reads it). */
const BUNDLE_SIZE_FILE = join(ROOT, 'bench', 'results', 'bundle-size.json');

const work = mkdtempSync(join(tmpdir(), 'tessera-packaging-'));
let tarballs: Record<PackageFolder, string> | undefined;
let nodeApp = '';
let webApp = '';
/** The browser app's Vite build (set by the build test, served to Chromium after it). */
let webBuild: { readonly root: string; readonly outDir: string } | undefined;
const chromiumPath = findChromium();
const timings: Record<string, number> = {};

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await f();
  } finally {
    timings[label] = Math.round(performance.now() - start);
  }
}

function packed(): Record<PackageFolder, string> {
  if (tarballs === undefined) throw new Error('packing failed (see beforeAll)');
  return tarballs;
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/** The text around the first match of `re` in `code` (null when none): a failure shows where, not the whole bundle. */
function around(code: string, re: RegExp): string | null {
  const m = re.exec(code);
  return m === null ? null : code.slice(Math.max(0, m.index - 120), m.index + 120);
}

/** Targets of an exports/imports map (every condition's path). */
function targets(map: unknown): string[] {
  if (typeof map === 'string') return [map];
  if (typeof map !== 'object' || map === null) return [];
  return Object.values(map).flatMap(targets);
}

beforeAll(async () => {
  await timed('build', buildPackages);
  tarballs = await timed('pack', () => packAll(join(work, 'tarballs')));
  nodeApp = (await timed('install node project', () => installProject(join(work, 'node-app'), packed(), ['tessera', 'dsl', 'compiler', 'runtime', 'cli'], ['webgpu']))).dir;
  webApp = (await timed('install browser project', () => installProject(join(work, 'web-app'), packed(), ['tessera']))).dir;
}, 600_000);

afterAll(() => {
  console.info(`packaging test timings (ms): ${JSON.stringify(timings)}`);
  rmSync(work, { recursive: true, force: true });
});

describe('published packages', () => {
  it.each(Object.entries(PACKAGES))('%s (%s): ESM + .d.ts, no sources, exports resolve', (folder, name) => {
    const dir = installedDirIn(nodeApp, name);
    const manifest = installedManifest(nodeApp, name);
    expect(manifest['type']).toBe('module');
    expect(manifest['license']).toBe('MIT');
    expect(manifest['private']).toBeUndefined();
    expect(manifest['repository']).toBeTruthy();
    expect(manifest['engines']).toEqual({ node: '>=20.19' });
    for (const field of ['dependencies', 'peerDependencies']) {
      for (const spec of Object.values((manifest[field] ?? {}) as Record<string, string>)) expect(spec).not.toMatch(/^workspace:/);
    }
    const files = [...filesUnder(dir)].map((f) => f.slice(dir.length + 1));
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    for (const target of [...targets(manifest['exports']), ...targets(manifest['imports'])]) {
      expect(target, `${name}: ${target}`).not.toMatch(/(?<!\.d)\.ts$|\/src\//);
      expect(existsSync(join(dir, target)), `${name}: ${target} is in the tarball`).toBe(true);
    }
    // Each import-able entry has its declarations beside it.
    const entries = targets(manifest['exports']).filter((t) => t.endsWith('.js'));
    for (const entry of entries) expect(existsSync(join(dir, entry.replace(/\.js$/, '.d.ts')))).toBe(true);
    // Declaration files name published files only (.js specifiers, never .ts).
    for (const f of files.filter((x) => x.endsWith('.d.ts'))) {
      expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(/from\s+['"]\.{1,2}\/[^'"]*\.ts['"]/);
    }
    // No computed import() that a bundler could not follow. The one exception is the CLI
    // loading the kernel file a user names on its command line.
    for (const f of files.filter((x) => x.endsWith('.js') && !(name === 'tessera-gpu-cli' && x === 'dist/load.js'))) {
      expect(around(readFileSync(join(dir, f), 'utf8'), /(?:\bawait\s+|\breturn\s+|[=(,:?]\s*)import\(\s*(?!['"`])/), f).toBeNull();
    }
    expect(folder).toBeTruthy();
  });

  it('webgpu (dawn.node) is an optional peer dependency, and a browser project does not install it', () => {
    for (const name of ['tessera-gpu-runtime', 'tessera-gpu']) {
      const manifest = installedManifest(webApp, name);
      expect((manifest['peerDependenciesMeta'] as Record<string, { optional?: boolean }>)['webgpu']?.optional).toBe(true);
      expect(Object.keys((manifest['dependencies'] ?? {}) as object)).not.toContain('webgpu');
    }
    const store = readdirSync(join(webApp, 'node_modules', '.pnpm'));
    expect(store.filter((d) => d.startsWith('webgpu@'))).toEqual([]);
    expect(existsSync(join(webApp, 'node_modules', 'webgpu'))).toBe(false);
  });

  it('npm publish --dry-run accepts every tarball', async () => {
    const results = await timed('npm publish --dry-run', () => Promise.all(Object.values(packed()).map((tgz) =>
      run('npm', ['publish', '--dry-run', '--offline', tgz], { cwd: work, env: userEnv() }))));
    for (const r of results) expect(`${r.stdout}${r.stderr}`).toMatch(/\+ tessera-gpu/);
  }, 180_000);
});

describe('in a user project', () => {
  const needsWebGPU = webgpu.ok || requireWebGPU;

  it.runIf(needsWebGPU)('node app.mjs runs a kernel on the WebGPU adapter and checks it', async () => {
    copyFileSync(join(FIXTURES, 'node-app.mjs'), join(nodeApp, 'app.mjs'));
    const { stdout, stderr } = await timed('node app.mjs', () => run(process.execPath, ['app.mjs'], {
      cwd: nodeApp, env: userEnv({ TESSERA_PRINT_WGSL: '1', TESSERA_CACHE_DIR: join(work, 'cache') }),
    }));
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { backend?: string; wrong?: number; n?: number };
    expect(result).toMatchObject({ backend: 'webgpu', wrong: 0, n: 10007 });
    // TESSERA_PRINT_WGSL=1: the shader is printed as it is compiled.
    expect(stderr).toMatch(/\/\/ tessera: WGSL of kernel 'add'[\s\S]*@compute/);
  }, 120_000);

  it('node app.mjs runs on the interpreter backend without WebGPU', async () => {
    copyFileSync(join(FIXTURES, 'node-app.mjs'), join(nodeApp, 'app.mjs'));
    const { stdout } = await run(process.execPath, ['app.mjs', 'interpreter'], { cwd: nodeApp, env: userEnv() });
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toMatchObject({ backend: 'interpreter', wrong: 0 });
  }, 120_000);

  it('the installed `tessera` command compiles a kernel module to WGSL', async () => {
    copyFileSync(join(FIXTURES, 'kernels.mjs'), join(nodeApp, 'kernels.mjs'));
    const bin = join(nodeApp, 'node_modules', '.bin', 'tessera');
    const { stdout } = await timed('tessera compile', () => run(bin, ['compile', 'kernels.mjs', '--kernel', 'double', '--emit', 'wgsl'], { cwd: nodeApp, env: userEnv() }));
    expect(stdout).toMatch(/@compute @workgroup_size\(/);
  }, 120_000);

  it('tsc --noEmit (strict, NodeNext, skipLibCheck false) type-checks the docs\' examples', async () => {
    const dir = join(nodeApp, 'typecheck');
    mkdirSync(dir, { recursive: true });
    const checked: string[] = [];
    for (const doc of userDocs()) {
      const module = docModule(doc);
      if (module === undefined) continue;
      const file = `${doc.replace(/[\\/.]/g, '_')}.ts`;
      writeFileSync(join(dir, file), module);
      checked.push(file);
    }
    expect(checked).toContain('README_md.ts');
    writeFileSync(join(nodeApp, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
        skipLibCheck: false, noEmit: true, types: [],
      },
      include: ['typecheck/*.ts'],
    }, null, 2));
    const tsc = join(workspaceTool('typescript'), 'bin', 'tsc');
    const result = await timed('tsc', () => run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: nodeApp, env: userEnv() })
      .then((r) => ({ code: 0, out: r.stdout }), (e: { code?: number; stdout?: string }) => ({ code: e.code ?? 1, out: e.stdout ?? String(e) })));
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  }, 180_000);

  it('a Vite production build of a browser app has no Node built-ins and no dawn.node', async () => {
    const appDir = join(webApp, 'app');
    mkdirSync(appDir, { recursive: true });
    for (const f of ['index.html', 'main.ts']) copyFileSync(join(FIXTURES, 'web', f), join(appDir, f));
    const vite = (await import(join(workspaceTool('vite'), 'dist', 'node', 'index.js'))) as typeof import('vite');
    const outDir = join(webApp, 'dist');
    const warnings: string[] = [];
    await timed('vite build', () => vite.build({
      root: appDir, configFile: false, logLevel: 'silent',
      build: { outDir, emptyOutDir: true, target: 'es2022', rollupOptions: { onwarn: (w) => { warnings.push(String(w.message)); } } },
    }));
    const js = [...filesUnder(outDir)].filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    const code = js.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(around(code, /\bfrom\s*["']node:|import\(\s*["']node:|require\(\s*["']node:/)).toBeNull();
    // Nothing of the `webgpu` package (a native addon loaded through createRequire from a
    // path ending in .node) and no Node-only stream or module.
    expect(around(code, /createRequire|["'`][^"'`\s]*\/[^"'`\s]*\.node["'`]|["']webgpu["']\)|from\s*["']webgpu["']|process\.stderr/)).toBeNull();
    expect(warnings.filter((w) => /externalized for browser compatibility|node:/.test(w))).toEqual([]);
    webBuild = { root: appDir, outDir };
    const bytes = js.reduce((n, f) => n + statSync(f).size, 0);
    const gzip = gzipSync(Buffer.from(code)).length;
    // What the page loads first (its <script> entry) and the chunks loaded on demand (the
    // wasm backend's path, loaded only when an app asks for that backend).
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const entry = js.find((f) => html.includes(f.slice(outDir.length + 1).replace(/\\/g, '/')));
    const entryCode = entry === undefined ? '' : readFileSync(entry, 'utf8');
    const size = {
      kernel: 'vector add', bytes, gzipBytes: gzip, files: js.length,
      entryBytes: Buffer.byteLength(entryCode), entryGzipBytes: gzipSync(Buffer.from(entryCode)).length,
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(BUNDLE_SIZE_FILE, `${JSON.stringify(size, null, 2)}\n`);
    console.info(`browser bundle (one vector-add kernel): ${(bytes / 1000).toFixed(1)} kB, ${(gzip / 1000).toFixed(1)} kB gzip; entry chunk ${(size.entryBytes / 1000).toFixed(1)} kB, ${(size.entryGzipBytes / 1000).toFixed(1)} kB gzip`);
    expect(size.entryBytes).toBeGreaterThan(0);
    // A guard against regressions (586 kB in all, 186 kB gzip; see docs/benchmarks.md):
    // most of it is the parser generator and the WGSL lowering. Growth with the language's
    // checks and the per-adapter defaults is expected; a jump of tens of kB (a Node
    // built-in's polyfill, a second copy of a package) is what this catches.
    expect(size.entryBytes).toBeLessThan(460_000);
    expect(bytes).toBeLessThan(595_000);
  }, 180_000);

  it.runIf(chromiumPath !== undefined || requireWebGPU)('the built browser app runs its kernel in Chromium (WebGPU on SwiftShader)', async () => {
    if (chromiumPath === undefined) throw new Error('no `chromium` on PATH (TESSERA_REQUIRE_WEBGPU=1 needs it)');
    if (webBuild === undefined) throw new Error('the Vite build test did not run');
    const vite = (await import(join(workspaceTool('vite'), 'dist', 'node', 'index.js'))) as typeof import('vite');
    const port = await freePort();
    const server = await vite.preview({
      root: webBuild.root, configFile: false, logLevel: 'silent',
      build: { outDir: webBuild.outDir }, preview: { port, strictPort: true, host: '127.0.0.1', open: false },
    });
    const launched = await launchChromium(chromiumPath);
    try {
      const page = await launched.browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => 'tesseraResult' in window || (document.getElementById('out')?.textContent ?? '').startsWith('error'), undefined, { timeout: 90_000 });
      const shown = await page.textContent('#out');
      expect(JSON.parse(shown ?? '{}')).toMatchObject({ backend: 'webgpu', n: 10007, wrong: 0 });
    } finally {
      await launched.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  }, 180_000);

  it.runIf(needsWebGPU)('an esbuild --platform=node bundle runs autotune (file tuning cache)', async () => {
    const esbuild = (await import(join(workspaceTool('esbuild'), 'lib', 'main.js'))) as typeof import('esbuild');
    copyFileSync(join(FIXTURES, 'autotune-app.mjs'), join(nodeApp, 'autotune-app.mjs'));
    const outfile = join(nodeApp, 'bundle', 'autotune.mjs');
    await timed('esbuild', () => esbuild.build({
      entryPoints: [join(nodeApp, 'autotune-app.mjs')], absWorkingDir: nodeApp, bundle: true, platform: 'node',
      format: 'esm', target: 'node20', outfile, external: ['webgpu'], logLevel: 'silent',
    }));
    // The bundle holds Tessera itself: only the native addon stays outside.
    const bundled = readFileSync(outfile, 'utf8');
    expect(bundled).not.toMatch(/from\s*["']tessera-gpu/);
    const cacheDir = join(work, 'autotune-cache');
    const { stdout, stderr } = await timed('bundled autotune', () => run(process.execPath, [outfile], {
      cwd: join(nodeApp, 'bundle'), env: userEnv({ TESSERA_CACHE_DIR: cacheDir }),
    }));
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { wrong?: number; configsTried?: number; fromCache?: boolean };
    expect(result.wrong).toBe(0);
    expect(result.fromCache).toBe(false);
    expect(result.configsTried).toBeGreaterThan(0);
    // TESSERA_CACHE_DIR: the winner was written where it says.
    const cache = JSON.parse(readFileSync(join(cacheDir, 'autotune.json'), 'utf8')) as { entries?: object };
    expect(Object.keys(cache.entries ?? {}).length).toBe(1);
    // autotune reports its progress on stderr by default, in one line at the end here.
    expect(stderr).toMatch(/tessera: autotuned scale: \d+ configs in [\d.]+ s, best [\d.]+ ms/);
  }, 180_000);
});
