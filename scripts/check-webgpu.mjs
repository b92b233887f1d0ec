#!/usr/bin/env node
// Probes for a WebGPU adapter through Dawn (the `webgpu` npm package) and prints one
// line of JSON on stdout:
//   {"ok":true,"name":...,"vendor":...,"architecture":...,"software":true|false}
//   {"ok":false,"reason":"..."}                 (no adapter: a driver problem)
//   {"ok":false,"package":false,"reason":"..."} (`webgpu` missing or unloadable)
// Exit status: 0 when an adapter was found, 2 when none was, 3 when `webgpu` itself
// could not be loaded. Plain JS with Node built-ins only (plus `webgpu`), so that
// scripts/bootstrap.mjs can run it before anything else works.
//
// Run it in a child process: loading dawn.node and the Vulkan driver can abort the
// whole process on a broken driver, and Dawn keeps the event loop alive.
//
// Usage: node scripts/check-webgpu.mjs
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function report({ exitCode, ...result }) {
  process.stdout.write(JSON.stringify(result) + '\n');
  // Dawn keeps handles open; leave explicitly once stdout is flushed.
  process.stdout.write('', () => process.exit(result.ok ? 0 : (exitCode ?? 2)));
}

/** `webgpu` is a dependency of tessera-gpu-runtime; the workspace root may not see it. */
function resolveWebgpu() {
  const bases = [
    join(root, 'packages', 'runtime', 'package.json'),
    join(root, 'package.json'),
  ];
  for (const base of bases) {
    try {
      return createRequire(base).resolve('webgpu');
    } catch {
      // try the next base
    }
  }
  return null;
}

async function main() {
  if (!process.env.XDG_RUNTIME_DIR) {
    // Not fatal, only noisy; bootstrap.mjs sets it. Keep the loader quiet here too.
    const { mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = join(tmpdir(), 'tessera-xdg');
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      process.env.XDG_RUNTIME_DIR = dir;
    } catch {
      // ignore
    }
  }

  const entry = resolveWebgpu();
  if (!entry) {
    return report({
      ok: false,
      exitCode: 3,
      package: false,
      reason: 'the `webgpu` npm package is not installed (run pnpm install)',
    });
  }

  let mod;
  try {
    mod = await import(pathToFileURL(entry).href);
  } catch (err) {
    return report({
      ok: false,
      exitCode: 3,
      package: false,
      reason: `could not load the webgpu package (dawn.node): ${firstLine(err)}`,
    });
  }

  let adapter;
  try {
    const gpu = mod.create([]);
    adapter = await gpu.requestAdapter();
  } catch (err) {
    return report({ ok: false, reason: `requestAdapter() threw: ${firstLine(err)}` });
  }
  if (!adapter) {
    return report({
      ok: false,
      reason: 'requestAdapter() returned null: no usable Vulkan driver was found',
    });
  }

  const info = adapter.info ?? {};
  const name = info.description || info.device || '';
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const text = `${vendor} ${architecture} ${name} ${info.device ?? ''}`.toLowerCase();
  const software =
    vendor.toLowerCase() === 'mesa' ||
    architecture.toLowerCase() === 'software' ||
    /swiftshader|llvmpipe|lavapipe/.test(text) ||
    info.isFallbackAdapter === true;
  return report({ ok: true, name, vendor, architecture, software });
}

function firstLine(err) {
  return String(err?.message ?? err).split('\n')[0];
}

main().catch((err) => report({ ok: false, reason: `unexpected error: ${firstLine(err)}` }));
