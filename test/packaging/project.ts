/**
 * Building, packing and installing Tessera the way a user gets it: the published
 * packages are built (scripts/build-packages.mjs), packed with `pnpm pack` (which applies
 * publishConfig and turns workspace: ranges into versions), and installed from the
 * tarballs into a project outside the workspace with `pnpm install --offline`. Nothing
 * reaches a registry: the tarballs are files, and the few third-party packages they
 * depend on are linked from the workspace's own install (pnpm overrides).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The published packages: folder under packages/ → package name. */
export const PACKAGES = {
  dsl: 'tessera-gpu-dsl',
  compiler: 'tessera-gpu-compiler',
  runtime: 'tessera-gpu-runtime',
  tessera: 'tessera-gpu',
  cli: 'tessera-gpu-cli',
} as const;

export type PackageFolder = keyof typeof PACKAGES;

/** Third-party packages the tarballs (or a user app) depend on, found where the workspace installed them. */
const LINKED: Readonly<Record<string, string>> = {
  chevrotain: 'packages/dsl',
  '@webgpu/types': 'packages/runtime',
  webgpu: 'packages/runtime',
  tsx: 'packages/cli',
};

/**
 * An environment for the user's processes: the workspace's source condition removed from
 * NODE_OPTIONS (a user has none), XDG_RUNTIME_DIR kept (the Vulkan loader wants one).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  const options = (env['NODE_OPTIONS'] ?? '').split(/\s+/).filter((o) => o !== '' && !o.includes('tessera-source'));
  if (options.length === 0) delete env['NODE_OPTIONS'];
  else env['NODE_OPTIONS'] = options.join(' ');
  return env;
}

/** How to run the workspace's pinned pnpm: project-local (.tools) if bootstrap put it there, else PATH. */
function pnpm(): { readonly cmd: string; readonly args: readonly string[] } {
  const local = join(ROOT, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  return existsSync(local) ? { cmd: process.execPath, args: [local] } : { cmd: 'pnpm', args: [] };
}

export async function runPnpm(args: readonly string[], cwd: string): Promise<string> {
  const p = pnpm();
  const { stdout } = await run(p.cmd, [...p.args, ...args], {
    cwd, env: userEnv({ COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' }), maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Builds dist/ of every published package (incremental: tsc -b). */
export async function buildPackages(): Promise<void> {
  await run(process.execPath, [join(ROOT, 'scripts', 'build-packages.mjs')], { cwd: ROOT, env: userEnv(), maxBuffer: 16 * 1024 * 1024 });
}

/** Packs every published package into `dir`; returns the tarball paths by folder. */
export async function packAll(dir: string): Promise<Record<PackageFolder, string>> {
  mkdirSync(dir, { recursive: true });
  const out: Partial<Record<PackageFolder, string>> = {};
  await Promise.all((Object.keys(PACKAGES) as PackageFolder[]).map(async (folder) => {
    const printed = await runPnpm(['pack', '--pack-destination', dir], join(ROOT, 'packages', folder));
    const tarball = printed.trim().split('\n').map((l) => l.trim()).reverse().find((l) => l.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`pnpm pack printed no tarball for packages/${folder}:\n${printed}`);
    out[folder] = tarball;
  }));
  return out as Record<PackageFolder, string>;
}

/** The directory the workspace installed `name` in (followed through pnpm's links). */
function installedDir(name: string, from: string): string {
  for (const base of [join(ROOT, from), ROOT]) {
    const candidate = join(base, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
  }
  throw new Error(`${name} is not installed in the workspace (run npm test, which installs dependencies)`);
}

export interface UserProject {
  readonly dir: string;
  readonly dependencies: Readonly<Record<string, string>>;
}

/**
 * Writes a user project (package.json depending on `direct` tarballs and `extra` packages)
 * and installs it offline. Every Tessera package resolves to its tarball, wherever it is
 * depended on, through pnpm overrides.
 */
export async function installProject(
  dir: string, tarballs: Record<PackageFolder, string>, direct: readonly PackageFolder[], extra: readonly string[] = [],
): Promise<UserProject> {
  mkdirSync(dir, { recursive: true });
  const fileSpec = (folder: PackageFolder): string => `file:${tarballs[folder]}`;
  const dependencies: Record<string, string> = {};
  for (const folder of direct) dependencies[PACKAGES[folder]] = fileSpec(folder);
  for (const name of extra) dependencies[name] = `link:${installedDir(name, LINKED[name] ?? '.')}`;
  const overrides: Record<string, string> = {};
  for (const folder of Object.keys(PACKAGES) as PackageFolder[]) overrides[PACKAGES[folder]] = fileSpec(folder);
  for (const [name, from] of Object.entries(LINKED)) overrides[name] = `link:${installedDir(name, from)}`;
  const manifest = { name: `tessera-user-${dir.split(/[\\/]/).pop() ?? 'app'}`, private: true, type: 'module', dependencies, pnpm: { overrides } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await runPnpm(['install', '--offline', '--config.confirm-modules-purge=false', '--config.auto-install-peers=false'], dir);
  return { dir, dependencies };
}

/** Where `name` was installed in `project`: linked at the top when direct, in pnpm's store folder otherwise. */
export function installedDirIn(project: string, name: string): string {
  const top = join(project, 'node_modules', name);
  if (existsSync(join(top, 'package.json'))) return realpathSync(top);
  const store = join(project, 'node_modules', '.pnpm');
  for (const entry of readdirSync(store)) {
    const candidate = join(store, entry, 'node_modules', name);
    if (entry.startsWith(`${name.replace('/', '+')}@`) && existsSync(join(candidate, 'package.json'))) return candidate;
  }
  throw new Error(`${name} is not installed in ${project}`);
}

/** The package.json a tarball installed in `project` carries (what the registry would serve). */
export function installedManifest(project: string, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(installedDirIn(project, name), 'package.json'), 'utf8')) as Record<string, unknown>;
}

/** A workspace dev tool's module entry (vite, esbuild, typescript): the user project has none of its own. */
export function workspaceTool(name: string): string {
  return installedDir(name, '.');
}

export function dirOf(file: string): string {
  return dirname(file);
}
