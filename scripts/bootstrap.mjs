#!/usr/bin/env node
// Tessera's one entry point for `npm run demo`, `npm test`, `npm run bench` and
// `npm run playground`.
//
// It does all set-up a fresh clone needs, idempotently, and is fast (well under a
// second) once everything is in place:
//   1. pnpm at the version pinned in package.json's `packageManager` (from PATH when
//      that is exactly the pinned version, else installed project-locally in .tools/);
//   2. workspace dependencies (`pnpm install --frozen-lockfile`), skipped while the
//      stamp in node_modules matches the lockfile and every package.json;
//   3. a WebGPU adapter (scripts/check-webgpu.mjs, in a child process); when there is
//      none and this is Debian run as root, Mesa's lavapipe is installed through
//      scripts/install-vulkan.sh (not for the playground: its WebGPU is the browser's);
//   4. for `test`, when the browser playground test will run: a `chromium` to run it in
//      (Debian's package, `apt-get install -y chromium`, when root on Debian);
//   5. the task itself, whose exit status becomes ours.
//
// Usage: node scripts/bootstrap.mjs <demo|test|bench|example|playground> [-- extra args for the tool]
//
// Environment:
//   TESSERA_REQUIRE_WEBGPU=1         no adapter (after trying to install one) is an error
//   TESSERA_SKIP_VULKAN_INSTALL=1    never run scripts/install-vulkan.sh
//   TESSERA_SKIP_CHROMIUM_INSTALL=1  never apt-get install chromium
//
// Plain JS, Node built-ins only: nothing is installed when this starts.
import { spawnSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants as fsConstants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'node_modules', '.tessera-install-stamp');
const TOOLS = join(ROOT, '.tools');
const IS_WINDOWS = process.platform === 'win32';

const TASKS = {
  demo: { file: 'examples/demo.ts', what: 'the demo' },
  test: { file: null, what: 'the tests' },
  bench: { file: 'bench/run.ts', what: 'the benchmarks' },
  example: { file: 'examples/run.ts', what: 'the examples' },
  playground: { file: null, what: 'the playground' },
};

const PLAYGROUND_DIR = join(ROOT, 'packages', 'playground');
/** The end-to-end test that needs a browser (chromium with WebGPU). */
const PLAYGROUND_TEST = 'test/playground/playground.test.ts';

// ---------------------------------------------------------------------------- output

function say(message) {
  process.stderr.write(`tessera: ${message}\n`);
}

function fail(message, code = 1) {
  say(message);
  process.exit(code);
}

function envFlag(name) {
  const v = process.env[name];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

// ---------------------------------------------------------------------------- helpers

/** Absolute path of `cmd` on PATH, or null. */
function which(cmd) {
  const exts = IS_WINDOWS ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, cmd + ext);
      try {
        if (statSync(candidate).isFile()) {
          if (!IS_WINDOWS) accessSync(candidate, fsConstants.X_OK);
          return candidate;
        }
      } catch {
        // not here
      }
    }
  }
  return null;
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function readIfExists(path) {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

/** Exit status of a finished child the way a shell reports it. */
function statusOf(result) {
  if (result.error) return 127;
  if (result.status !== null) return result.status;
  return 128 + (result.signal ? signalNumber(result.signal) : 1);
}

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 }[signal] ?? 1;
}

/** Runs a command with inherited stdio; resolves to its exit status. */
function runInherit(cmd, args, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: 'inherit', shell: IS_WINDOWS });
    // Ctrl-C reaches the child through the process group; let it decide, then leave.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    process.on('SIGTERM', ignore);
    child.on('error', (err) => {
      say(`could not start ${cmd}: ${err.message}`);
      resolvePromise(127);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', ignore);
      resolvePromise(code ?? 128 + (signal ? signalNumber(signal) : 1));
    });
  });
}

// ---------------------------------------------------------------------------- env

/** XDG_RUNTIME_DIR silences the Vulkan loader's complaints; any writable dir works. */
function ensureXdgRuntimeDir(env) {
  if (IS_WINDOWS || process.platform === 'darwin' || env.XDG_RUNTIME_DIR) return;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const dir = join(tmpdir(), `tessera-xdg-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, fsConstants.W_OK);
    env.XDG_RUNTIME_DIR = dir;
  } catch {
    try {
      env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'tessera-xdg-'));
    } catch {
      // leave it unset: the loader only gets noisy
    }
  }
}

/**
 * The workspace runs on the packages' TypeScript sources, with no build step: their
 * `exports` have a `tessera-source` condition pointing at src/ (vitest.config.ts says
 * more). NODE_OPTIONS carries it to tsx and to every Node process a test starts.
 */
function useSourceCondition(env) {
  const flag = '--conditions=tessera-source';
  const current = env.NODE_OPTIONS ?? '';
  if (!current.split(/\s+/).includes(flag)) env.NODE_OPTIONS = `${current} ${flag}`.trim();
}

// ---------------------------------------------------------------------------- 1. pnpm

function pinnedPnpmVersion() {
  const pm = readJson(join(ROOT, 'package.json')).packageManager ?? '';
  const m = /^pnpm@(\d+\.\d+\.\d+[^+]*)/.exec(pm);
  if (!m) fail(`package.json's "packageManager" does not pin pnpm (found "${pm}")`);
  return m[1];
}

/** Version of the pnpm at `path` (a file on PATH), without starting it when possible. */
function pnpmVersionAt(path) {
  try {
    const real = realpathSync(path);
    // npm/corepack-free installs link to <pkg>/bin/pnpm.cjs; read <pkg>/package.json.
    if (/^pnpm\.c?js$/.test(basename(real))) {
      const pkg = readJson(join(dirname(real), '..', 'package.json'));
      if (pkg.name === 'pnpm' && pkg.version) return pkg.version;
    }
  } catch {
    // fall through to asking it
  }
  const result = spawnSync(path, ['--version'], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'ignore'],
    // corepack shims would otherwise stop and ask before downloading.
    env: { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' },
    shell: IS_WINDOWS,
  });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** `{ cmd, args }` that runs the pinned pnpm, installing it into .tools/ if needed. */
function ensurePnpm(version) {
  const localPkg = join(TOOLS, 'node_modules', 'pnpm');
  const local = () => {
    try {
      if (readJson(join(localPkg, 'package.json')).version === version) {
        return { cmd: process.execPath, args: [join(localPkg, 'bin', 'pnpm.cjs')], where: 'project-local' };
      }
    } catch {
      // not installed
    }
    return null;
  };

  const found = local();
  if (found) return found;

  const onPath = which('pnpm');
  if (onPath && pnpmVersionAt(onPath) === version) {
    return { cmd: onPath, args: [], where: onPath };
  }

  say(`installing pnpm ${version} (project-local, in .tools/)…`);
  // Prefer the npm that started us (npm_execpath), else npm on PATH.
  const npmCli = process.env.npm_execpath;
  const npm =
    npmCli && /npm-cli\.[cm]?js$/.test(npmCli) && existsSync(npmCli)
      ? { cmd: process.execPath, args: [npmCli] }
      : { cmd: 'npm', args: [] };
  const result = spawnSync(
    npm.cmd,
    [
      ...npm.args,
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '--prefix',
      TOOLS,
      `pnpm@${version}`,
    ],
    { cwd: ROOT, stdio: 'inherit', shell: IS_WINDOWS && npm.cmd === 'npm' },
  );
  if (statusOf(result) !== 0) {
    fail(`could not install pnpm ${version} with npm (exit ${statusOf(result)}); is the npm registry reachable?`);
  }
  const installed = local();
  if (!installed) fail(`npm finished, but ${localPkg} does not hold pnpm ${version}`);
  return installed;
}

// ---------------------------------------------------------------------------- 2. dependencies

/** Directories of the workspace packages (pnpm-workspace.yaml's `packages:` globs). */
function workspaceDirs() {
  const dirs = new Set([ROOT]);
  let text = '';
  try {
    text = readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8');
  } catch {
    return [...dirs];
  }
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^packages:\s*$/.test(line)) {
      inPackages = true;
      continue;
    }
    if (!inPackages) continue;
    if (/^\S/.test(line)) break; // next top-level key
    const m = /^\s*-\s*['"]?([^'"#\s]+)['"]?/.exec(line);
    if (!m || m[1].startsWith('!')) continue;
    const pattern = m[1].replace(/\/+$/, '');
    const star = pattern.indexOf('*');
    if (star === -1) {
      dirs.add(resolve(ROOT, pattern));
      continue;
    }
    // `dir/*` and `dir/**`: the package directories one level below `dir`.
    const base = resolve(ROOT, pattern.slice(0, star));
    let entries = [];
    try {
      entries = readdirSync(base, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules') dirs.add(join(base, e.name));
    }
  }
  return [...dirs].filter((d) => existsSync(join(d, 'package.json'))).sort();
}

/** Hash of everything that decides what `pnpm install` would do. */
function installKey(pnpmVersion, dirs) {
  const hash = createHash('sha256');
  hash.update(`tessera-install-v1\0pnpm ${pnpmVersion}\0${process.platform}-${process.arch}\0`);
  for (const file of ['pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc', '.pnpmfile.cjs']) {
    const data = readIfExists(join(ROOT, file));
    hash.update(`${file}\0${data ? data.length : -1}\0`);
    if (data) hash.update(data);
  }
  for (const dir of dirs) {
    const rel = dir === ROOT ? '.' : dir.slice(ROOT.length + 1).replaceAll('\\', '/');
    const data = readFileSync(join(dir, 'package.json'));
    hash.update(`${rel}/package.json\0${data.length}\0`);
    hash.update(data);
  }
  return hash.digest('hex');
}

function dependenciesUpToDate(key, dirs) {
  const stamp = readIfExists(STAMP);
  if (!stamp || stamp.toString('utf8').trim() !== key) return false;
  // A package with dependencies whose node_modules was removed also needs an install.
  for (const dir of dirs) {
    const pkg = readJson(join(dir, 'package.json'));
    const hasDeps =
      Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length > 0;
    if (hasDeps && !existsSync(join(dir, 'node_modules'))) return false;
  }
  return true;
}

function ensureDependencies(pnpmVersion) {
  const dirs = workspaceDirs();
  const key = installKey(pnpmVersion, dirs);
  if (existsSync(join(ROOT, 'node_modules')) && dependenciesUpToDate(key, dirs)) return;

  const pnpm = ensurePnpm(pnpmVersion);
  say(`installing dependencies (pnpm ${pnpmVersion} install --frozen-lockfile)…`);
  const result = spawnSync(
    pnpm.cmd,
    [
      ...pnpm.args,
      'install',
      '--frozen-lockfile',
      // never stop to ask before recreating node_modules (there is no TTY in CI)
      '--config.confirm-modules-purge=false',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' },
      shell: IS_WINDOWS && pnpm.args.length === 0,
    },
  );
  const code = statusOf(result);
  if (code !== 0) {
    fail(
      `pnpm install failed (exit ${code}). If a package.json changed without the lockfile, ` +
        `update pnpm-lock.yaml with: ${[pnpm.cmd, ...pnpm.args].join(' ')} install`,
      code,
    );
  }
  writeFileSync(STAMP, key + '\n');
}

// ---------------------------------------------------------------------------- 3. WebGPU

function checkWebGpu(env) {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-webgpu.mjs')], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = (result.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line);
    if (typeof parsed.ok === 'boolean') return { ...parsed, stderr: result.stderr ?? '' };
  } catch {
    // fall through
  }
  const how = result.error
    ? result.error.message
    : result.signal
      ? `killed by ${result.signal}`
      : `exit ${result.status}`;
  return { ok: false, reason: `the adapter check crashed (${how})`, stderr: result.stderr ?? '' };
}

function osRelease() {
  const info = {};
  const text = readIfExists('/etc/os-release')?.toString('utf8') ?? '';
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) info[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  return info;
}

function howToGetAnAdapter(os) {
  const lines = [
    'Tessera runs kernels through Dawn (the `webgpu` npm package), which needs a GPU driver:',
  ];
  if (process.platform === 'linux') {
    const like = `${os.ID ?? ''} ${os.ID_LIKE ?? ''}`;
    lines.push('  Linux needs a Vulkan driver; without a GPU, Mesa\'s software driver (lavapipe) works.');
    if (/\bdebian\b/.test(like) && os.ID === 'debian') {
      lines.push(
        '  Debian: as root, run `bash scripts/install-vulkan.sh`. It installs mesa-vulkan-drivers',
        '  and libvulkan1; on bookworm from bookworm-backports (added from your existing apt',
        "  source), because bookworm's own mesa 22 is too old for Dawn.",
      );
    } else if (/\b(debian|ubuntu)\b/.test(like)) {
      lines.push('  Debian/Ubuntu: apt-get install mesa-vulkan-drivers libvulkan1 (mesa 24 or newer).');
    } else {
      lines.push('  Install your distribution\'s Mesa Vulkan drivers (lavapipe) and the Vulkan loader.');
    }
  } else if (process.platform === 'darwin') {
    lines.push('  macOS uses Metal; a Mac with Metal support should work as is.');
  } else if (IS_WINDOWS) {
    lines.push('  Windows needs a D3D12- or Vulkan-capable GPU driver.');
  } else {
    lines.push('  Install a Vulkan-capable GPU driver.');
  }
  return lines;
}

function ensureWebGpu(env) {
  let check = checkWebGpu(env);
  if (check.ok) {
    say(`WebGPU adapter: ${describe(check)}`);
    return true;
  }
  if (check.package === false) {
    // The `webgpu` package itself is missing or does not load: not a driver problem.
    // Make the next run reinstall the dependencies.
    try {
      writeFileSync(STAMP, 'stale\n');
    } catch {
      // ignore
    }
    say(`no WebGPU: ${check.reason}`);
    if (check.stderr.trim()) process.stderr.write(indent(check.stderr.trim().split('\n').slice(-8), '  | ') + '\n');
    if (envFlag('TESSERA_REQUIRE_WEBGPU')) fail('TESSERA_REQUIRE_WEBGPU is set and WebGPU is unavailable: stopping.');
    say('continuing without WebGPU: tests that need it will be skipped.');
    return false;
  }

  const os = osRelease();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const canInstall =
    process.platform === 'linux' && isRoot && os.ID === 'debian' && which('apt-get') !== null;
  say(`no WebGPU adapter: ${check.reason}`);
  if (canInstall && !envFlag('TESSERA_SKIP_VULKAN_INSTALL')) {
    say("installing Mesa's software Vulkan driver (lavapipe): bash scripts/install-vulkan.sh…");
    const result = spawnSync('bash', [join(ROOT, 'scripts', 'install-vulkan.sh')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (statusOf(result) !== 0) say(`install-vulkan.sh failed (exit ${statusOf(result)})`);
    check = checkWebGpu(env);
    if (check.ok) {
      say(`WebGPU adapter: ${describe(check)}`);
      return true;
    }
    say(`still no WebGPU adapter: ${check.reason}`);
  }

  if (check.stderr.trim()) {
    process.stderr.write(indent(check.stderr.trim().split('\n').slice(-8), '  | ') + '\n');
  }
  const lines = howToGetAnAdapter(os);
  for (const name of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES']) {
    if (process.env[name]) lines.push(`  Note: ${name}=${process.env[name]} limits which Vulkan drivers are loaded.`);
  }
  if (canInstall && envFlag('TESSERA_SKIP_VULKAN_INSTALL')) {
    lines.push('  (TESSERA_SKIP_VULKAN_INSTALL is set, so it was not installed automatically.)');
  } else if (process.platform === 'linux' && os.ID === 'debian' && !isRoot) {
    lines.push('  (not root, so it was not installed automatically.)');
  }
  for (const l of lines) process.stderr.write(`tessera: ${l}\n`);
  if (envFlag('TESSERA_REQUIRE_WEBGPU')) {
    fail('TESSERA_REQUIRE_WEBGPU is set and there is no WebGPU adapter: stopping.');
  }
  say('continuing without WebGPU: tests that need it will be skipped (TESSERA_REQUIRE_WEBGPU=1 makes this an error).');
  return false;
}

function describe(check) {
  const bits = [check.vendor && `vendor ${check.vendor}`, check.architecture && `architecture ${check.architecture}`];
  if (check.software) bits.push('software renderer');
  const detail = bits.filter(Boolean).join(', ');
  return `${check.name || '(unnamed)'}${detail ? ` (${detail})` : ''}`;
}

function indent(lines, prefix) {
  return lines.map((l) => prefix + l).join('\n');
}

// ---------------------------------------------------------------------------- 4. chromium

/**
 * Whether vitest, given these arguments, would run the playground test. Its positional
 * arguments are file filters (a file runs when its path contains one); a word right
 * after a bare `--option` may be that option's value, so it is not taken as a filter
 * (erring towards "it will run", which at worst installs chromium once).
 */
function playgroundTestWillRun(extra) {
  const filters = extra.filter((a, i) => !a.startsWith('-') && !/^--?[^=]+$/.test(extra[i - 1] ?? ''));
  if (filters.length === 0) return true;
  return filters.some((f) => PLAYGROUND_TEST.includes(f.replaceAll('\\', '/').replace(/^\.\//, '')));
}

function findChromium() {
  return which('chromium') ?? which('chromium-browser');
}

function aptInstallChromium(env) {
  const run = (args) =>
    statusOf(
      spawnSync('apt-get', args, {
        cwd: ROOT,
        env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );
  if (run(['install', '-y', '-qq', 'chromium']) === 0) return true;
  // A fresh image has no package lists yet: fetch them (from the configured sources) and retry.
  say('apt-get could not install chromium; updating the package lists (apt-get update) and retrying…');
  return run(['update', '-qq']) === 0 && run(['install', '-y', '-qq', 'chromium']) === 0;
}

/** The playground test runs in Debian's chromium (headless, WebGPU on SwiftShader). */
function ensureChromium(env) {
  const found = findChromium();
  if (found) return;
  const os = osRelease();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const canInstall = process.platform === 'linux' && isRoot && os.ID === 'debian' && which('apt-get') !== null;
  if (canInstall && !envFlag('TESSERA_SKIP_CHROMIUM_INSTALL')) {
    say("installing Debian's chromium for the browser playground test (apt-get install -y chromium; a minute or two)…");
    if (aptInstallChromium(env) && findChromium()) {
      say(`chromium: ${findChromium()}`);
      return;
    }
    say('could not install chromium with apt-get');
  }
  const like = `${os.ID ?? ''} ${os.ID_LIKE ?? ''}`;
  const how =
    process.platform !== 'linux'
      ? 'install Chromium and put a `chromium` command on PATH'
      : /\bdebian\b/.test(like) && os.ID === 'debian'
        ? 'as root: apt-get install chromium'
        : /\bubuntu\b/.test(like) || os.ID === 'ubuntu'
          ? 'install chromium (e.g. `snap install chromium`) so `chromium` is on PATH'
          : "install your distribution's chromium package so `chromium` is on PATH";
  say(`no chromium for the browser playground test: ${how}.`);
  if (canInstall && envFlag('TESSERA_SKIP_CHROMIUM_INSTALL')) {
    say('(TESSERA_SKIP_CHROMIUM_INSTALL is set, so it was not installed automatically.)');
  }
  say(
    envFlag('TESSERA_REQUIRE_WEBGPU')
      ? 'TESSERA_REQUIRE_WEBGPU is set, so that test will fail.'
      : 'that test will be skipped (TESSERA_REQUIRE_WEBGPU=1 makes this an error).',
  );
}

// ---------------------------------------------------------------------------- 5. task

/** Runs a binary of a node_modules/.bin (the workspace root's by default), as `pnpm exec` would. */
function execBin(name, args, env, binDir = join(ROOT, 'node_modules', '.bin')) {
  const bin = join(binDir, IS_WINDOWS ? `${name}.cmd` : name);
  if (!existsSync(bin)) fail(`${name} is not installed in node_modules/.bin (dependencies incomplete?)`);
  const childEnv = { ...env, PATH: `${binDir}${delimiter}${env.PATH ?? ''}` };
  return runInherit(bin, args, childEnv);
}

async function runTask(task, extra, env) {
  if (task === 'playground') {
    // `vite <root>`: the dev server for packages/playground (its vite.config.ts); it
    // prints the local URL. Open it in a browser with WebGPU.
    say('playground (vite dev server for packages/playground)…');
    return execBin('vite', [PLAYGROUND_DIR, ...extra], env, join(PLAYGROUND_DIR, 'node_modules', '.bin'));
  }
  if (task === 'test') {
    say('type check (tsc -p tsconfig.json --noEmit)…');
    const tsc = await execBin('tsc', ['-p', 'tsconfig.json', '--noEmit'], env);
    if (tsc !== 0) say(`type check failed (exit ${tsc}); running the tests anyway`);
    say(`tests (vitest run${extra.length ? ' ' + extra.join(' ') : ''})…`);
    const vitest = await execBin('vitest', ['run', ...extra], env);
    if (tsc !== 0 && vitest === 0) say('tests passed, but the type check failed');
    return tsc !== 0 ? tsc : vitest;
  }
  const { file, what } = TASKS[task];
  if (!existsSync(join(ROOT, file))) {
    fail(`${file} does not exist yet, so there is nothing to run for ${what}.`);
  }
  say(`${task} (tsx ${file})…`);
  return execBin('tsx', [file, ...extra], env);
}

// ---------------------------------------------------------------------------- main

async function main() {
  const [task, ...rest] = process.argv.slice(2);
  if (!task || !(task in TASKS)) {
    fail(`usage: node scripts/bootstrap.mjs <${Object.keys(TASKS).join('|')}> [-- args]`, 2);
  }
  const extra = rest[0] === '--' ? rest.slice(1) : rest;

  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    say(`warning: Node ${process.versions.node} is older than the required 20.19`);
  }

  const file = TASKS[task].file;
  if (file && !existsSync(join(ROOT, file))) {
    fail(`${file} does not exist yet, so there is nothing to run for ${TASKS[task].what}.`);
  }

  const env = { ...process.env };
  ensureXdgRuntimeDir(env);
  useSourceCondition(env);

  const pnpmVersion = pinnedPnpmVersion();
  ensureDependencies(pnpmVersion);
  if (task !== 'playground') ensureWebGpu(env);
  if (task === 'test' && playgroundTestWillRun(extra)) ensureChromium(env);
  process.exitCode = await runTask(task, extra, env);
}

main().catch((err) => fail(`unexpected error: ${err?.stack ?? err}`));
