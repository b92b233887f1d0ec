/**
 * Run: random inputs → the engine → outputs compared with the example's JS reference,
 * then timed. Every failure (a compile error, a device error) is shown, never thrown.
 */
import { concreteShape } from '../analyze.ts';
import { configText, type HostArg, type HostData } from '../engine.ts';
import { errorText } from '../errors.ts';
import type { Example, ReferenceArgs } from '../examples/index.ts';
import { makeArgs, maxAbsDiff } from '../inputs.ts';
import type { Current } from '../state.ts';
import { formatMs, h } from './dom.ts';

export interface RunPanel {
  run(): Promise<void>;
  /** The current example's reference check of outputs (for the backends table). */
  check(args: readonly HostArg[], outputs: readonly HostData[]): { readonly error: number; readonly ok: boolean } | undefined;
  /** A new kernel: say whether it has a reference, clear the old result. */
  kernelChanged(): void;
}

export function createRunPanel(button: HTMLButtonElement, referenceNote: HTMLElement, result: HTMLElement, cur: Current): RunPanel {
  const row = (label: string, value: string | Node, attrs: Record<string, string> = {}): HTMLElement =>
    h('div', { class: 'row', ...attrs }, h('span', { class: 'label' }, label), h('span', { class: 'value' }, value));

  const fail = (message: string): void => {
    result.replaceChildren(h('pre', { class: 'error', 'data-testid': 'run-error' }, message));
  };

  const run = async (): Promise<void> => {
    const a = cur.analysis();
    if (a?.kernel === undefined || a.signature === undefined) return fail('The kernel has errors: fix the problems listed under the editor first.');
    const problem = cur.shapeProblem();
    if (problem !== undefined) return fail(problem);
    const status = await cur.engine;
    if (!status.ok) return fail(`No WebGPU: ${status.reason}`);
    const { engine } = status;
    const dims = cur.dims();
    const config = cur.config();
    const signature = a.signature;
    const args = makeArgs(signature, dims, cur.scalars());
    button.disabled = true;
    result.replaceChildren(h('span', { class: 'muted' }, 'running…'));
    try {
      engine.validate(a.kernel, config);
      const outputs = await engine.run(a.kernel, args, config);
      const example = cur.example();
      const check = example === undefined ? undefined : compare(example, args, dims, outputs);
      const ms = await engine.measure(a.kernel, args, config, { repeats: 20, maxMs: 1000 });
      const shapes = signature.outputs.map((o) => `${o.name}: ${o.dtype}[${concreteShape(o.dims, dims, signature.derived).join(', ')}]`).join('; ');
      result.replaceChildren(
        row('output', shapes),
        check === undefined
          ? row('max abs error', h('span', { class: 'muted' }, 'no reference'), { 'data-testid': 'max-error', 'data-value': '' })
          : row('max abs error', h('span', { class: check.ok ? 'ok' : 'bad' }, `${expText(check.error)} ${check.ok ? '✓' : '✗'} (tolerance ${expText(check.tolerance)})`),
            { 'data-testid': 'max-error', 'data-value': String(check.error) }),
        row('median time', formatMs(ms), { 'data-testid': 'median-ms', 'data-value': String(ms) }),
        row('config', configText(config), { 'data-testid': 'run-config' }),
        row('on', engine.name),
      );
    } catch (error) {
      fail(errorText(error));
    } finally {
      button.disabled = false;
    }
  };

  return {
    run,
    check(args, outputs) {
      const example = cur.example();
      return example === undefined ? undefined : compare(example, args, cur.dims(), outputs);
    },
    kernelChanged() {
      const example = cur.example();
      referenceNote.textContent = example === undefined ? 'no reference (edited kernel)' : `checked against the ${example.title} reference`;
      result.replaceChildren();
    },
  };
}

function expText(x: number): string {
  return x === 0 ? '0' : x.toExponential(x >= 1e-3 && x < 1e3 ? 2 : 1);
}

function compare(example: Example, args: readonly HostArg[], dims: Readonly<Record<string, number>>, outputs: readonly HostData[]) {
  const tensors: Record<string, Float32Array> = {};
  const scalars: Record<string, number> = {};
  for (const a of args) {
    if (a.kind === 'scalar') scalars[a.name] = a.value;
    else tensors[a.name] = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data);
  }
  const refArgs: ReferenceArgs = { tensors, scalars, dims };
  const expected = example.reference(refArgs);
  let error = expected.length === outputs.length ? 0 : Infinity;
  outputs.forEach((o, i) => {
    error = Math.max(error, maxAbsDiff(o, expected[i] ?? new Float32Array()));
  });
  return { error, tolerance: example.tolerance, ok: error <= example.tolerance };
}
