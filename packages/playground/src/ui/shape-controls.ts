/**
 * One number input per symbolic dim of the kernel (and per scalar parameter). Values
 * outlive the kernel text: editing the kernel keeps M at 512 as long as it still has an M.
 * A value that is not a size (empty, 0, negative, fractional, too large) is marked and
 * said under the fields, and `problem()` reports it, so Run and Autotune refuse it
 * instead of quietly running the previous shape.
 */
import type { Signature } from '../analyze.ts';
import { h } from './dom.ts';

export interface ShapeControls {
  /** Rebuilds the inputs for this kernel's dims and scalars. */
  show(sig: Signature | undefined, defaults: { dims?: Readonly<Record<string, number>>; scalars?: Readonly<Record<string, number>> }): void;
  /** Overrides the remembered values (an example was picked, a link was opened). */
  preset(dims: Readonly<Record<string, number>>, scalars?: Readonly<Record<string, number>>): void;
  dims(): Record<string, number>;
  scalars(): Record<string, number>;
  /** Why the typed values cannot be used, or undefined when they all can. */
  problem(): string | undefined;
}

const DEFAULT_DIM = 256;
export const MAX_DIM = 1 << 24;

/** Why `text` is not a valid value for the field, or undefined. */
export function fieldProblem(label: string, kind: 'dim' | 'scalar', text: string): string | undefined {
  const t = text.trim();
  if (t === '') return `${label} is empty: give ${kind === 'dim' ? `a size from 1 to ${MAX_DIM}` : 'a number'}`;
  const v = Number(t);
  if (kind === 'scalar') return Number.isFinite(v) ? undefined : `${label} must be a finite number (got '${t}')`;
  if (!Number.isInteger(v)) return `${label} must be a whole number (got '${t}')`;
  if (v < 1) return `${label} must be at least 1 (got ${t})`;
  if (v > MAX_DIM) return `${label} must be at most ${MAX_DIM} (got ${t})`;
  return undefined;
}

export function createShapeControls(host: HTMLElement, message: HTMLElement, onChange: () => void): ShapeControls {
  const dimValues = new Map<string, number>();
  const scalarValues = new Map<string, number>();
  /** Fields whose typed text is not a valid value, by name: the message for each. */
  const problems = new Map<string, string>();
  let dimNames: readonly string[] = [];
  let scalarNames: readonly string[] = [];

  const showProblems = (): void => {
    const texts = [...problems.values()];
    message.textContent = texts.join('; ');
    message.hidden = texts.length === 0;
  };

  const field = (label: string, kind: 'dim' | 'scalar', value: number, set: (v: number) => void): HTMLElement => {
    const input = h('input', {
      type: 'number',
      value,
      'data-dim': kind === 'dim' ? label : undefined,
      'data-scalar': kind === 'scalar' ? label : undefined,
      ...(kind === 'dim' ? { min: 1, max: MAX_DIM, step: 1 } : { step: 'any' }),
    });
    const check = (): boolean => {
      // A number input's value is '' for text it cannot parse, which reads as empty.
      const problem = fieldProblem(label, kind, input.value);
      input.classList.toggle('invalid', problem !== undefined);
      input.setAttribute('aria-invalid', String(problem !== undefined));
      if (problem === undefined) problems.delete(label);
      else problems.set(label, problem);
      showProblems();
      return problem === undefined;
    };
    input.addEventListener('input', () => void check());
    input.addEventListener('change', () => {
      if (!check()) return;
      set(Number(input.value));
      onChange();
    });
    return h('label', { class: 'field' }, h('span', { class: kind === 'dim' ? 'dim-name' : 'scalar-name' }, label), input);
  };

  const render = (): void => {
    problems.clear();
    showProblems();
    host.replaceChildren(
      ...dimNames.map((d) => field(d, 'dim', dimValues.get(d) ?? DEFAULT_DIM, (v) => dimValues.set(d, v))),
      ...scalarNames.map((s) => field(s, 'scalar', scalarValues.get(s) ?? 1, (v) => scalarValues.set(s, v))),
    );
    if (dimNames.length + scalarNames.length === 0) host.append(h('span', { class: 'muted' }, 'no symbolic dims'));
  };

  return {
    show(sig, defaults) {
      dimNames = sig?.dims ?? [];
      scalarNames = sig?.params.flatMap((p) => (p.kind === 'scalar' ? [p.name] : [])) ?? [];
      for (const d of dimNames) if (!dimValues.has(d)) dimValues.set(d, defaults.dims?.[d] ?? DEFAULT_DIM);
      for (const s of scalarNames) if (!scalarValues.has(s)) scalarValues.set(s, defaults.scalars?.[s] ?? 1);
      render();
    },
    preset(dims, scalars = {}) {
      for (const [d, v] of Object.entries(dims)) dimValues.set(d, v);
      for (const [s, v] of Object.entries(scalars)) scalarValues.set(s, v);
      render();
    },
    dims: () => Object.fromEntries(dimNames.map((d) => [d, dimValues.get(d) ?? DEFAULT_DIM])),
    scalars: () => Object.fromEntries(scalarNames.map((s) => [s, scalarValues.get(s) ?? 1])),
    problem: () => {
      const texts = [...problems.values()];
      return texts.length === 0 ? undefined : `Shape: ${texts.join('; ')}`;
    },
  };
}
