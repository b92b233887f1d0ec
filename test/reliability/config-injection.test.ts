/**
 * Configs come from users, tunings files and share links: nothing in one may reach
 * generated code except validated knob values. A config key or value that would end the
 * header comment of the WGSL or the interpreter's JavaScript (U+2028, U+2029 and every
 * other line terminator) and append code is a ConfigError naming the key, at run, in
 * wgsl(), at import, and a cache file's bad entry is dropped with a warning. The escaping
 * used for comment text is checked against every line terminator and breakout.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, TuningCache, kernel } from 'tessera-gpu';
import { escapeCommentText } from 'tessera-gpu-compiler';
import { compileInterpreter } from '../../packages/runtime/src/interpreter/index.ts';
import { describeOnBackends } from '../support/backends.ts';
import { randomF32 } from '../support/random.ts';

/** Every character JavaScript or WGSL ends a line (or a line comment) at. */
const TERMINATORS = ['\n', '\r', '\r\n', '\u000b', '\u000c', '\u0085', '\u2028', '\u2029'];

const add = kernel`
fn add(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[tn] + y[tn];
  }
  return out;
}`;

const payloads = TERMINATORS.flatMap((t) => [
  `${t}process.getBuiltinModule('fs').writeFileSync('/tmp/tessera-pwned', 'x')//`,
  `${t}fn max(a: f32, b: f32) -> f32 { return -7.0; }//`,
  `*/${t}globalThis.pwned = 1;/*`,
  `'${t}"; globalThis.pwned = 1; "`,
]);

const hostileConfigs: unknown[] = payloads.flatMap((p) => [
  { [p]: 1 },
  { blocks: { [p]: 64 } },
  { blocks: { tn: 64, [p]: 64 } },
  { reduction: p },
  { workgroupSize: p },
  { microTile: [p, 1] },
  { stageA: p },
]);

/** Only printable ASCII on the first (header) line, and the header is one line. */
function headerIsClean(code: string): boolean {
  const header = code.split('\n').find((l) => l.startsWith('//')) ?? '';
  return /^[\x20-\x7e\u2014]*$/.test(header);
}

describe('comment escaping', () => {
  it('no line terminator, non-ASCII character or block-comment delimiter survives', () => {
    for (const t of TERMINATORS) {
      for (const text of [`a${t}b`, `*/${t}x/*`, `${t}${t}`, `x\u0000y`, 'é\u{1F600}']) {
        const out = escapeCommentText(text);
        expect(out).toMatch(/^[\x20-\x7e]*$/);
        expect(out).not.toMatch(/\*\/|\/\*/);
      }
    }
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => /^[\x20-\x7e]*$/.test(escapeCommentText(s)) && !/\*\/|\/\*/.test(escapeCommentText(s))));
  });

  it('each line terminator escapes to its own text', () => {
    const outs = new Set(TERMINATORS.map((t) => escapeCommentText(`a${t}b`)));
    expect(outs.size).toBe(TERMINATORS.length);
  });
});

describeOnBackends('hostile configs', (device) => {
  it('every hostile config is a ConfigError naming the bad key; nothing runs', async () => {
    const d = device();
    const x = d.tensor(randomF32(37, 1), [37]);
    const y = d.tensor(randomF32(37, 2), [37]);
    for (const config of hostileConfigs) {
      const err = await add.run([x, y], { config: config as never }).then(() => undefined, (e: unknown) => e);
      expect(err, JSON.stringify(config)).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/key|blocks|reduction|workgroupSize|microTile|stageA/);
      expect(() => add.wgsl(config as never)).toThrow(ConfigError);
    }
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
    x.destroy();
    y.destroy();
  });
});

describe('generated code depends on validated knob values only', () => {
  const ir = (): ReturnType<typeof add.prepared>['ir'] => add.prepared().ir;
  const knobs = fc.record({
    blocks: fc.record({ tn: fc.constantFrom(1, 2, 32, 64, 256) }, { requiredKeys: [] }),
    workgroupSize: fc.constantFrom(1, 32, 64, 256),
    rowCache: fc.constantFrom(0, 256),
    vectorWidth: fc.constantFrom(1, 2, 4),
  }, { requiredKeys: [] });
  const junk = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom(...payloads));

  it('headers hold validated knobs only; any extra key, whatever it holds, is refused', () => {
    fc.assert(fc.property(knobs, junk, fc.jsonValue(), (clean, key, value) => {
      const wgsl = add.wgsl(clean);
      const js = compileInterpreter(ir(), add.resolveConfig(clean)).source;
      expect(headerIsClean(wgsl)).toBe(true);
      expect(headerIsClean(js)).toBe(true);
      const dirty = { ...clean, [key]: value };
      if (Object.hasOwn(clean, key)) return;
      expect(() => add.wgsl(dirty as never)).toThrow(ConfigError);
      expect(() => add.resolveConfig(dirty as never)).toThrow(ConfigError);
    }), { numRuns: 150 });
  });
});

describe('tunings files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-config-injection-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const entry = (config: unknown): object => ({
    key: { kernel: 'add', hash: 'h', compiler: '0', adapter: 'a', dtypes: 'f32', shape: 'N=37', space: 's' },
    config, ms: 1, defaultMs: 2, effort: 'quick', configsTried: 1, tunedAt: '2026-01-01T00:00:00.000Z', pinned: false,
  });

  it('import refuses a file with a hostile config, naming the entry and the key', async () => {
    for (const config of hostileConfigs.slice(0, 14)) {
      const file = { format: 'tessera-tunings', version: 1, entries: { good: entry({ blocks: { tn: 64 } }), evil: entry(config) } };
      const cache = TuningCache.memory();
      await expect(cache.import(JSON.stringify(file))).rejects.toThrow(ConfigError);
      await expect(cache.import(file)).rejects.toThrow(/entry 'evil'/);
      expect(Object.keys(await cache.entries())).toEqual([]);
    }
  });

  it('a cache file read from disk drops the bad entry with a warning and keeps the rest', async () => {
    const path = join(dir, 'autotune.json');
    const evil = { [payloads[0] ?? '']: 1, blocks: { tn: 64 } };
    const entries = { good: entry({ blocks: { tn: 64 } }), evil: entry(evil) };
    // An own key `__proto__` (as JSON.parse makes it) is an entry like any other.
    Object.defineProperty(entries, '__proto__', { value: entry({ blocks: { tn: 32 } }), enumerable: true });
    await writeFile(path, JSON.stringify({ format: 'tessera-tunings', version: 1, entries }));
    const warnings: string[] = [];
    const read = await TuningCache.file(path, { onWarning: (m) => warnings.push(m) }).entries();
    expect(Object.keys(read).sort()).toEqual(['__proto__', 'good']);
    expect(warnings.join('\n')).toMatch(/dropped 1 malformed entry.*'evil'.*unknown config key/);
    expect(warnings.join('\n')).toMatch(/^[\x20-\x7e]*$/);
  });
});
