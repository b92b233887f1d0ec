/**
 * Every awkward name (WGSL keywords and reserved words, Object.prototype's members,
 * JavaScript globals, the generated code's own names) in every position a name can take
 * — kernel and func names, dims, tensors, scalar parameters, locals, func parameters,
 * tile and range loop variables, outputs, and block keys of the config — runs and gives
 * the plain-JS reference's result on every backend.
 *
 * To stay quick the names are batched: each kernel has five groups of positions, and the
 * kernels are filled from one queue of names per kind of position until every name has
 * been in every kind.
 */
import { expect, it } from 'vitest';
import { func, kernel, type Tensor } from 'tessera-gpu';
import { describeOnBackends } from '../support/backends.ts';
import { randomF32 } from '../support/random.ts';
import { AWKWARD_NAMES } from './awkward-names.ts';

// Three storage buffers per group: five groups stay within WebGPU's 16 per stage.
const GROUPS = 5;

const CLASSES = {
  fn: GROUPS + 1, dim: GROUPS + 1, tensor: 2 * GROUPS, scalar: GROUPS,
  local: 4 * GROUPS, loop: 2 * GROUPS + 1, output: GROUPS,
} as const;
type Kind = keyof typeof CLASSES;

/** Per kernel, the names of each kind; every name reaches every kind in some kernel. */
function assignNames(names: readonly string[]): Record<Kind, string[]>[] {
  const kinds = Object.keys(CLASSES) as Kind[];
  const queues = new Map(kinds.map((k, i) => [k, [...names.slice(i * 7), ...names.slice(0, i * 7)]]));
  const seen = new Map(kinds.map((k) => [k, new Set<string>()]));
  const kernels: Record<Kind, string[]>[] = [];
  while (kinds.some((k) => (seen.get(k)?.size ?? 0) < names.length)) {
    const used = new Set<string>();
    const pick = {} as Record<Kind, string[]>;
    for (const k of kinds) {
      const queue = queues.get(k) ?? [];
      const skipped: string[] = [];
      pick[k] = [];
      while (pick[k].length < CLASSES[k]) {
        const n = queue.shift();
        if (n === undefined) break;
        // Names differ only in case (NULL, null) in one kernel: fine; the same name twice: not.
        if (used.has(n)) skipped.push(n);
        else {
          used.add(n);
          pick[k].push(n);
          seen.get(k)?.add(n);
          queue.push(n);
        }
      }
      queue.unshift(...skipped);
    }
    kernels.push(pick);
  }
  return kernels;
}

interface NamedKernel {
  readonly names: Record<Kind, string[]>;
  readonly source: string;
  readonly run: (args: (Tensor | number)[], config: object) => Promise<Tensor[]>;
}

function at(list: readonly string[], i: number): string {
  const n = list[i];
  if (n === undefined) throw new Error(`no name ${i}`);
  return n;
}

function build(names: Record<Kind, string[]>): NamedKernel {
  const [kn, d, tl] = [at(names.fn, GROUPS), at(names.dim, GROUPS), at(names.loop, 2 * GROUPS)];
  const g = Array.from({ length: GROUPS }, (_, i) => ({
    fn: at(names.fn, i), e: at(names.dim, i), t: at(names.tensor, 2 * i), w: at(names.tensor, 2 * i + 1),
    s: at(names.scalar, i), a: at(names.local, 4 * i), l: at(names.local, 4 * i + 1), p: at(names.local, 4 * i + 2),
    q: at(names.local, 4 * i + 3), tk: at(names.loop, 2 * i), r: at(names.loop, 2 * i + 1), o: at(names.output, i),
  }));
  const funcs = g.map((x) => {
    const text = `fn ${x.fn}(${x.p}: f32) -> f32 { let ${x.q} = ${x.p} * 2.0; return ${x.q}; }`;
    return func(Object.assign([text], { raw: [text] }) as unknown as TemplateStringsArray);
  });
  const params = [...g.flatMap((x) => [`${x.t}: f32[${d}]`, `${x.w}: f32[${x.e}]`]), ...g.map((x) => `${x.s}: f32`)];
  const pieces = [
    `fn ${kn}(${params.join(', ')}) -> (${g.map(() => `f32[${d}]`).join(', ')}) {\n`
    + g.map((x) => `  let ${x.o} = empty([${d}], f32);\n`).join('')
    + `  for ${tl} in tile(${d}) {\n`,
  ];
  g.forEach((x, i) => {
    // The nested tile loop counts its tiles: ceil(E / block) checks the block came through.
    pieces[pieces.length - 1] += `    var ${x.a} = 0.0;
    for ${x.tk} in tile(${x.e}) { ${x.a} += 1.0; }
    for ${x.r} in range(3) { ${x.a} += f32(${x.r}); }
    let ${x.l} = ${x.t}[${tl}] * ${x.s} + ${x.a} + ${x.w}[0];
    ${x.o}[${tl}] = `;
    pieces.push(`(${x.l}) + f32(${d});\n${i === GROUPS - 1 ? `  }\n  return (${g.map((y) => y.o).join(', ')});\n}` : ''}`);
  });
  const strings = Object.assign([...pieces], { raw: [...pieces] }) as unknown as TemplateStringsArray;
  const k = kernel(strings, ...funcs);
  return { names, source: pieces.join('${f}'), run: (args, config) => k.run(args, { config }) };
}

/** Plain-JS reference: out_g = 2 L + D with L = t_g s_g + A + w_g[0], A = ceil(E / 2) tiles + 0 + 1 + 2. */
function reference(t: Float32Array, w: Float32Array, s: number, d: number): number[] {
  const a = Math.ceil(w.length / 2) + 3;
  return Array.from(t, (ti) => 2 * (ti * s + a + (w[0] ?? NaN)) + d);
}

const KERNELS = assignNames(AWKWARD_NAMES).map(build);

describeOnBackends('awkward names in every position', (device) => {
  it(`${AWKWARD_NAMES.length} names × 7 kinds of position in ${KERNELS.length} kernels`, async () => {
    const n = 37;
    for (const [ki, k] of KERNELS.entries()) {
      const dev = device();
      const data = Array.from({ length: GROUPS }, (_, i) => ({
        t: randomF32(n, ki * 100 + i), w: randomF32(3 + i, ki * 100 + 50 + i), s: 0.5 + i / 4,
      }));
      const args = [...data.flatMap((x) => [dev.tensor(x.t, [n]), dev.tensor(x.w, [x.w.length])]), ...data.map((x) => x.s)];
      // Block sizes keyed by the awkward loop names: the outer loop ragged at 37, nested ones at 2.
      const blocks = Object.fromEntries([[at(k.names.loop, 2 * GROUPS), 16], ...Array.from({ length: GROUPS }, (_, i) => [at(k.names.loop, 2 * i), 2])]);
      const outs = await k.run(args, { blocks });
      for (const [i, x] of data.entries()) {
        const got = Array.from((await outs[i]?.read()) ?? []);
        const want = reference(x.t, x.w, x.s, n);
        const worst = Math.max(...want.map((v, j) => Math.abs((got[j] ?? NaN) - v) / Math.max(1, Math.abs(v))));
        expect(worst, `kernel ${ki} output ${i}:\n${k.source}`).toBeLessThan(1e-5);
      }
      for (const t of [...args, ...outs]) if (typeof t !== 'number') t.destroy();
    }
  }, 300_000);
});
