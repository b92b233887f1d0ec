/**
 * The `tessera` command. Help, argument errors (one line, exit 2) and compile run
 * in-process through main() (a child process costs seconds on a busy 2-core machine);
 * the rest runs as users run it, `node packages/cli/bin/tessera.mjs …` in a child
 * process: exit codes, devices, autotune --json with its cache, the cache subcommands,
 * Ctrl-C during a search, failures (one line each, from a plain npm project too),
 * --version, and `pnpm exec tessera`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/src/main.ts';
import type { CliIO } from '../../packages/cli/src/io.ts';
import { webgpu } from '../support/webgpu.ts';
import { swiftShaderIcd } from '../support/swiftshader.ts';
import { unregisteredDrivers, withDrivers } from '../../packages/cli/src/commands/devices-drivers.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/cli/bin/tessera.mjs');

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let cacheHome = '';

interface SpawnOptions {
  /** May send signals once it sees some output. */
  readonly onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs the CLI's real bin in a child process. */
function tessera(args: readonly string[], options: SpawnOptions = {}): Promise<Ran> {
  const onStderr = options.onStderr;
  return new Promise((resolve, reject) => {
    const env = { ...process.env, XDG_CACHE_HOME: cacheHome, ...options.env };
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** main() with captured output. */
async function inProcess(args: readonly string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
    env: { XDG_CACHE_HOME: cacheHome },
    cwd: ROOT,
    onInterrupt: () => () => undefined,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** stderr without Dawn's start-up notices (printed by the native module, not by us). */
const ours = (stderr: string): string[] => stderr.split('\n').filter((l) => l !== '' && !l.startsWith('Warning: '));

beforeAll(async () => {
  cacheHome = await mkdtemp(join(tmpdir(), 'tessera-cli-test-'));
});
afterAll(async () => {
  await rm(cacheHome, { recursive: true, force: true });
});

describe('tessera help and argument errors', { timeout: 60_000 }, () => {
  it('--help lists the commands (the real bin)', async () => {
    const r = await tessera(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tessera <command>/);
    for (const c of ['autotune', 'compile', 'devices', 'cache']) expect(r.stdout).toContain(c);
  });

  it('a bad option exits 2 with one line (the real bin)', async () => {
    const r = await tessera(['compile', 'examples/add.ts', '--bogus']);
    expect(r.code).toBe(2);
    expect(ours(r.stderr)).toEqual(["tessera: Unknown option '--bogus' (see 'tessera compile --help')"]);
  });

  it.each(['autotune', 'compile', 'devices', 'cache'])('%s --help', async (command) => {
    const r = await inProcess([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: tessera ${command}`));
  });

  it.each([
    [[], /^$/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['autotune', 'examples/softmax.ts', '--bogus'], /Unknown option '--bogus'/],
    [['autotune', 'examples/softmax.ts', '--shape', 'M=64'], /--shape must give M=…,N=… .*missing N/],
    [['autotune', 'examples/softmax.ts', '--shape', 'M=64,N=x'], /NAME=VALUE pairs/],
    [['autotune', 'examples/softmax.ts', '--shape', 'M=4,N=4,Q=2'], /has no dim Q/],
    [['autotune', 'examples/softmax.ts', '--shape', 'M=4,N=4', '--effort', 'max'], /--effort must be one of none, quick, full/],
    [['autotune', 'examples/missing.ts', '--shape', 'M=4'], /cannot read examples\/missing\.ts/],
    [['autotune', 'examples/softmax.ts', '--shape', 'M=4,N=4', '--space', 'blocks.tm'], /--space: expected KNOB=V1\|V2/],
    [['autotune', 'examples/softmax.ts', '--shape', 'M=4,N=4', '--space', 'tiles=4'], /--space: .*tiles/],
    [['compile', 'examples/softmax.ts', '--kernel', 'nope'], /no kernel 'nope' in examples\/softmax\.ts; it exports: softmax/],
    [['compile', 'examples/softmax.ts', '--config', '{oops'], /--config is not valid JSON/],
    [['compile', 'examples/softmax.ts', '--config', '{"workgroupSize":3}'], /workgroupSize=3 is not a positive power of two/],
    [['compile', 'examples/softmax.ts', '--emit', 'ptx'], /--emit must be one of wgsl, ir/],
    [['cache', 'shred'], /unknown action 'shred'/],
    [['cache', 'export'], /cache export needs a FILE/],
  ] as const)('%j exits 2 with one line', async (args, message) => {
    const r = await inProcess(args);
    expect(r.code).toBe(2);
    const lines = ours(r.stderr);
    if (args.length === 0) {
      expect(r.stdout).toMatch(/^Usage: tessera/);
      return;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tessera: /);
    expect(lines[0]).toMatch(message);
  });
});

describe('tessera compile', { timeout: 60_000 }, () => {
  it('--emit wgsl prints the compute shader for a config', async () => {
    const r = await inProcess(['compile', 'examples/softmax.ts', '--kernel', 'softmax', '--config', '{"blocks":{"tm":4},"workgroupSize":64}', '--emit', 'wgsl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('@compute @workgroup_size(64');
    // Whole rows are reduced in vec4 steps (config/row-vectors.ts).
    expect(r.stdout).toContain('var<storage, read> buf_x: array<vec4<f32>>');
  });

  it('--emit ir prints the tile IR', async () => {
    const r = await inProcess(['compile', 'examples/add.ts', '--emit', 'ir']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kernel add\(x: f32\[N\], y: f32\[N\]\)/);
  });
});

describe('devices: drivers unknown to the Vulkan loader', () => {
  const installed = (path: string) => path === '/opt/ss/icd.json';
  it('adds an installed SwiftShader manifest once, after what VK_ADD_DRIVER_FILES has', () => {
    const env = { TESSERA_SWIFTSHADER_ICD: '/opt/ss/icd.json', VK_ADD_DRIVER_FILES: '/a.json' };
    expect(unregisteredDrivers(env, installed)).toEqual(['/opt/ss/icd.json']);
    expect(withDrivers(env, ['/opt/ss/icd.json'])).toBe('/a.json:/opt/ss/icd.json');
    expect(unregisteredDrivers({ ...env, VK_ADD_DRIVER_FILES: '/opt/ss/icd.json' }, installed)).toEqual([]);
    expect(unregisteredDrivers({ TESSERA_SWIFTSHADER_ICD: '/missing.json' }, installed)).toEqual([]);
  });
  it('adds nothing when the user chose the drivers', () => {
    for (const chosen of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES']) {
      expect(unregisteredDrivers({ TESSERA_SWIFTSHADER_ICD: '/opt/ss/icd.json', [chosen]: '/x.json' }, installed)).toEqual([]);
    }
  });
});

describe.skipIf(!webgpu.ok)('tessera on the adapter', { timeout: 120_000 }, () => {
  it('devices lists every adapter: the picked one first, SwiftShader from its manifest, each opened by name', async () => {
    const icd = swiftShaderIcd();
    // The loader's own drivers, plus SwiftShader's manifest where it is installed.
    const env = { TESSERA_SWIFTSHADER_ICD: icd ?? '/nonexistent/icd.json', VK_ADD_DRIVER_FILES: '' };
    const json = await tessera(['devices', '--json'], { env });
    expect(json.code).toBe(0);
    type Listed = { adapter: string; picked: boolean; driverFile?: string; info?: { name: string; architecture: string; software: boolean } };
    const out = JSON.parse(json.stdout) as { backend: string; name: string; adapters: Listed[] };
    // The top level stays the picked adapter's description.
    expect(out.backend).toBe('webgpu');
    if (webgpu.ok) expect(out.name).toBe(webgpu.info.name);
    expect(out.adapters[0]).toMatchObject({ picked: true, info: { name: out.name } });
    expect(out.adapters.filter((a) => a.picked)).toHaveLength(1);
    // Each adapter was opened on its own instance: different adapters, not one several times.
    expect(new Set(out.adapters.map((a) => a.info?.name)).size).toBe(out.adapters.length);
    const swiftshader = out.adapters.find((a) => /swiftshader/i.test(a.adapter));
    if (icd === undefined) expect(swiftshader).toBeUndefined();
    else expect(swiftshader).toMatchObject({ picked: false, driverFile: icd, info: { architecture: 'swiftshader' } });

    const text = await tessera(['devices'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/invocations\/workgroup/);
    expect(text.stdout).toContain(`${out.adapters[0]?.adapter ?? '?'}  (WebGPU default)`);
    for (const a of out.adapters) expect(text.stdout).toContain(`init({ adapter: '${a.adapter}' })`);
    if (out.adapters[0]?.info?.software === true) expect(text.stdout).toMatch(/plain init\(\) runs kernels on the wasm backend/);
    if (icd !== undefined) expect(text.stdout).toContain(`VK_ADD_DRIVER_FILES=${icd}`);
  });

  it('autotune --json on a small shape, then the cache commands', async () => {
    const args = ['autotune', 'examples/softmax.ts', '--kernel', 'softmax', '--shape', 'M=32,N=64', '--effort', 'quick', '--max-configs', '6', '--json'];
    const r = await tessera(args);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { best: { workgroupSize: number }; bestMs: number; results: { ms: number | null; throughput: number | null }[]; fromCache: boolean; dims: unknown; work: { unit: string } };
    expect(result.fromCache).toBe(false);
    expect(result.bestMs).toBeGreaterThan(0);
    expect(result.best.workgroupSize).toBeGreaterThan(0);
    expect(result.dims).toEqual({ M: 32, N: 64 });
    expect(result.work.unit).toBe('GB/s');
    expect(result.results.length).toBeGreaterThan(0);
    expect(result.results[0]?.throughput).toBeGreaterThan(0);
    // Progress went to stderr, one plain line per config (not a terminal).
    expect(ours(r.stderr).some((l) => /^\[1\/6\] tm=\d+ /.test(l))).toBe(true);

    const again = JSON.parse((await tessera(args)).stdout) as { fromCache: boolean; benchmarks: number; best: unknown };
    expect(again.fromCache).toBe(true);
    expect(again.benchmarks).toBe(0);
    expect(again.best).toEqual(result.best);

    const list = await inProcess(['cache', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/1 tuned config\(s\) in .*tessera\/autotune\.json/);
    expect(list.stdout).toMatch(/softmax +M=32,N=64/);

    const exported = join(cacheHome, 'shipped.json');
    expect((await inProcess(['cache', 'export', exported])).code).toBe(0);
    expect(JSON.parse(await readFile(exported, 'utf8'))).toMatchObject({ format: 'tessera-tunings', version: 1 });
    expect((await inProcess(['cache', 'clear'])).stdout).toMatch(/cleared 1 entry/);
    expect((await inProcess(['cache', 'list'])).stdout).toMatch(/no tuned configs/);
    expect((await inProcess(['cache', 'import', exported, '--pin'])).stdout).toMatch(/imported 1 entry \(pinned\)/);
    expect((await inProcess(['cache', 'list'])).stdout).toMatch(/pinned/);
  });

  it('the human table fits the terminal width, fastest first, configs as the knobs that differ', async () => {
    const r = await tessera(['autotune', 'examples/add.ts', '--shape', 'N=4096', '--max-configs', '6', '--no-cache'], { env: { COLUMNS: '72' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kernel add +N=4096/);
    expect(r.stdout).toMatch(/^#\s+time\s+noise\s+GB\/s\s+vs default\s+config/m);
    expect(r.stdout).toMatch(/the default config/);
    expect(r.stdout).toMatch(/^default config: tn=\d+ workgroupSize=/m);
    // Every line but the copyable full config fits in 72 columns.
    for (const line of r.stdout.split('\n').filter((l) => !l.startsWith('config: '))) expect(line.length).toBeLessThanOrEqual(72);
    const times = [...r.stdout.matchAll(/^\s*\d+\s+([\d.]+) (µs|ms)/gm)].map((m) => Number(m[1]) * (m[2] === 'ms' ? 1000 : 1));
    expect(times.length).toBeGreaterThan(1);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(r.stdout).toMatch(/^config: \{"blocks":\{"tn":\d+\}/m);
  });

  it('a shape too large for the adapter is a one-line argument error, before any allocation', async () => {
    const r = await tessera(['autotune', 'examples/add.ts', '--shape', 'N=1e12', '--no-cache']);
    expect(r.code).toBe(2);
    expect(ours(r.stderr)).toEqual([expect.stringMatching(/^tessera: --shape: x: f32\[N=1000000000000\] needs 3\.64 TiB, more than this adapter's largest buffer/)]);
  });

  it('--space narrows the search to the given knob values', async () => {
    const r = await inProcess(['autotune', 'examples/add.ts', '--shape', 'N=4096', '--space', 'blocks.tn=64|128,workgroupSize=64,vectorWidth=4', '--effort', 'full', '--no-cache', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { spaceSize: number; results: { config: { blocks: { tn: number }; workgroupSize: number } }[] };
    expect(result.spaceSize).toBe(2);
    for (const row of result.results) {
      expect([64, 128]).toContain(row.config.blocks.tn);
      expect(row.config.workgroupSize).toBe(64);
    }
  });

  it('Ctrl-C stops the search and prints the best config so far', async () => {
    let sent = false;
    const cacheFile = join(cacheHome, 'interrupted.json');
    const onStderr = (text: string, child: ReturnType<typeof spawn>): void => {
      if (!sent && /^\[2\//m.test(text)) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    const r = await tessera(['autotune', 'examples/softmax.ts', '--shape', 'M=128,N=256', '--effort', 'full', '--cache', cacheFile], { onStderr });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted: stopping after the current config/);
    expect(r.stdout).toMatch(/interrupted, best so far/);
    expect(r.stdout).toMatch(/^best: /m);
    // The best so far is kept, marked partial, so the next run searches again.
    expect(r.stderr).toMatch(/kept the best so far in .*interrupted\.json, marked partial/);
    const best = (/^config: (.*)$/m.exec(r.stdout) ?? [])[1] ?? '';
    const kept = Object.values((JSON.parse(await readFile(cacheFile, 'utf8')) as { entries: Record<string, { partial?: boolean; config: unknown }> }).entries);
    expect(kept).toHaveLength(1);
    expect(kept[0]?.partial).toBe(true);
    expect(kept[0]?.config).toEqual(JSON.parse(best));
    expect((await inProcess(['cache', 'list', '--cache', cacheFile])).stdout).toMatch(/full \(partial\)/);
  });
});

describe('every failure is one line with the right exit code (the real bin)', { timeout: 120_000 }, () => {
  let project = '';
  beforeAll(async () => {
    // A plain npm project: package.json without "type": "module", tessera installed.
    project = await mkdtemp(join(tmpdir(), 'tessera-cli-project-'));
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'plain', version: '1.0.0' }));
    await mkdir(join(project, 'node_modules'));
    await symlink(join(ROOT, 'packages/tessera'), join(project, 'node_modules/tessera-gpu'));
    await writeFile(join(project, 'block.ts'), 'export const BLOCK = 64;\n');
    await writeFile(join(project, 'kernel.ts'), [
      "import { kernel } from 'tessera-gpu';",
      "import { BLOCK } from './block.ts';",
      'export const scale = kernel`',
      'fn scale(x: f32[N]) -> f32[N] {',
      '  let out = empty([N], f32);',
      '  for tn in tile(N, block=${BLOCK}) {',
      '    out[tn] = x[tn] * 2.0;',
      '  }',
      '  return out;',
      '}`;',
      '',
    ].join('\n'));
    await writeFile(join(project, 'typo.ts'), [
      "import { kernel } from 'tessera-gpu';",
      'export const typo = kernel`',
      'fn typo(x: f32[N]) -> f32[N] {',
      '  let out = empty([N], f32);',
      '  for tn in tile(N) {',
      '    out[tn] = x[tn] + y[tn];',
      '  }',
      '  return out;',
      '}`;',
      '',
    ].join('\n'));
    await writeFile(join(project, 'throws.ts'), "throw new Error('boom at load');\n");
    await writeFile(join(project, 'broken.ts'), 'export const = 1;\n');
    await mkdir(join(project, 'kernels.ts'));
    execFileSync('mkfifo', [join(project, 'fifo.ts')]);
  });
  afterAll(async () => {
    if (project !== '') await rm(project, { recursive: true, force: true });
  });

  const oneLine = (r: Ran, code: number, message: RegExp): void => {
    expect(r.code).toBe(code);
    const lines = ours(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tessera: /);
    expect(lines[0]).toMatch(message);
  };

  it('a .ts kernel file of a plain npm project (no "type": "module") loads, with its relative imports', async () => {
    const r = await tessera(['compile', 'kernel.ts', '--emit', 'ir'], { cwd: project });
    expect(ours(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kernel scale\(x: f32\[N\]\)/);
  });

  it.each([
    [['compile', '/dev/zero'], 2, /\/dev\/zero is not a regular file/],
    [['compile', 'fifo.ts'], 2, /fifo\.ts is not a regular file/],
    [['compile', 'kernels.ts'], 2, /kernels\.ts is a directory/],
    [['compile', 'package.json'], 2, /package\.json is not a module: expected a file ending in \.ts/],
    [['compile', 'throws.ts'], 1, /^tessera: cannot load throws\.ts: boom at load$/],
    [['compile', 'broken.ts'], 1, /^tessera: cannot load broken\.ts: .*broken\.ts:1:\d+/],
    [['compile', 'typo.ts'], 1, /^tessera: typo\.ts:6:23: error\[TSR\d{4}\]: .*'y'/],
    [['cache', 'export', '.'], 2, /^tessera: \. is a directory; give a file name/],
    [['cache', 'export', 'missing/dir/t.json'], 2, /the folder .*missing\/dir does not exist/],
    [['cache', 'list', '--cache', '.'], 2, /^tessera: --cache \.: is a directory/],
    [['cache', 'list', '--cache', 'package.json/x.json'], 2, /package\.json is a file, not a folder/],
  ] as const)('%j: exit %i, one line, no stack', async (args, code, message) => {
    const r = await tessera(args, { cwd: project });
    oneLine(r, code, message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('--verbose adds the stack', async () => {
    const r = await tessera(['compile', 'throws.ts', '--verbose'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tessera: cannot load throws\.ts: boom at load$/m);
    expect(r.stderr).toMatch(/caused by: Error: boom at load\n\s+at .*throws\.ts:1/);
  });

  it('--version prints the versions', async () => {
    const r = await tessera(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^tessera \d+\.\d+\.\d+ \(tessera-gpu-cli; compiler \d+\.\d+\.\d+, node [\d.]+\)\n$/);
  });
});

describe('pnpm exec', { timeout: 60_000 }, () => {
  it('runs the bin from the repo root', async () => {
    const r = await new Promise<Ran>((resolve, reject) => {
      const child = spawn(join(ROOT, 'node_modules/.bin/tessera'), ['--help'], { cwd: ROOT });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tessera/);
  });
});
