/**
 * The `kernel` and `func` tagged templates. The template is rendered to text with hole
 * `i` written as `${i}` (what diagnostics show and what positions count in), parsed
 * eagerly, and returned with its diagnostics; the tags never throw.
 */
import type { HoleValue, FuncDef, KernelDef } from './defs.ts';
import type { SourceOrigin } from './diagnostics/diagnostic.ts';
import { holeLabel } from './holes.ts';
import { parseKernelSource } from './parse.ts';

/**
 * Joins the template's raw strings with `${0}`, `${1}`, … Raw strings, because they are
 * what the user's file holds (so columns match), and because a cooked string is
 * `undefined` after an invalid escape such as `\u` in a comment.
 */
export function renderTemplate(strings: TemplateStringsArray | readonly string[]): string {
  const raw: readonly string[] = 'raw' in strings && Array.isArray(strings.raw) ? strings.raw : strings;
  let text = raw[0] ?? '';
  for (let i = 1; i < raw.length; i++) text += holeLabel(i - 1) + (raw[i] ?? '');
  return text;
}

/** This package's source folder: stack frames in it are ours, not the caller's. */
const OWN_DIR = normalizeFile(new URL('.', import.meta.url).href);

function normalizeFile(file: string): string {
  let f = file.replace(/[?#].*$/, '');
  if (f.startsWith('file://')) {
    try {
      f = decodeURIComponent(f.slice('file://'.length));
    } catch {
      f = f.slice('file://'.length);
    }
    if (/^\/[A-Za-z]:\//.test(f)) f = f.slice(1); // file:///C:/… on Windows
  }
  return f;
}

function currentDir(): string | undefined {
  try {
    return typeof process !== 'undefined' && typeof process.cwd === 'function' ? process.cwd() : undefined;
  } catch {
    return undefined;
  }
}

/** Matches V8 (`at f (file:1:2)`, `at file:1:2`) and Firefox/Safari (`f@file:1:2`) frames. */
const FRAME = /^\s*(?:at\s+(?:.*?\()?|[^@\s]*@)(.+?):(\d+):(\d+)\)?\s*$/;

/**
 * Where the tag was called: the first stack frame outside this package. V8 reports a
 * tagged template call at its backtick, so the text starts one column later. Best
 * effort: `undefined` whenever the stack says nothing usable.
 */
export function captureOrigin(stack: string | undefined = new Error().stack): SourceOrigin | undefined {
  try {
    if (stack === undefined) return undefined;
    for (const line of stack.split('\n')) {
      const m = FRAME.exec(line);
      if (m === null) continue;
      const [, rawFile, l, c] = m;
      if (rawFile === undefined || l === undefined || c === undefined) continue;
      const file = normalizeFile(rawFile);
      if (file.startsWith(OWN_DIR) || file.startsWith('node:') || file === 'native' || file.includes('<anonymous>')) continue;
      const cwd = currentDir();
      const shown = cwd !== undefined && file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
      return { file: shown, line: Number(l), col: Number(c) + 1 };
    }
  } catch {
    // Best effort only.
  }
  return undefined;
}

function define<K extends 'kernel' | 'func'>(kind: K, strings: TemplateStringsArray, values: readonly HoleValue[]) {
  const text = renderTemplate(strings);
  const r = parseKernelSource(text, values, captureOrigin());
  return Object.freeze({
    kind,
    name: r.name ?? '<anonymous>',
    source: r.source,
    ast: r.ast,
    diagnostics: r.diagnostics,
    holes: Object.freeze([...values]),
  });
}

/**
 * A kernel: kernel`fn name(x: f32[N]) -> f32[N] { … }`. Holes take numbers and booleans
 * (compile-time constants) and funcs (`${relu}(x)`). Errors are in `diagnostics`.
 */
export function kernel(strings: TemplateStringsArray, ...values: HoleValue[]): KernelDef {
  return define('kernel', strings, values);
}

/** A device function callable from kernels and funcs: func`fn relu(x: f32) -> f32 { … }`. */
export function func(strings: TemplateStringsArray, ...values: HoleValue[]): FuncDef {
  return define('func', strings, values);
}
