/**
 * One number input per symbolic dim of the kernel (and per scalar parameter). Values
 * outlive the kernel text: editing the kernel keeps M at 512 as long as it still has an M.
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
}

const DEFAULT_DIM = 256;
const MAX_DIM = 1 << 24;

export function createShapeControls(host: HTMLElement, onChange: () => void): ShapeControls {
  const dimValues = new Map<string, number>();
  const scalarValues = new Map<string, number>();
  let dimNames: readonly string[] = [];
  let scalarNames: readonly string[] = [];

  const field = (label: string, kind: 'dim' | 'scalar', value: number, set: (v: number) => void): HTMLElement => {
    const input = h('input', {
      type: 'number',
      value,
      'data-dim': kind === 'dim' ? label : undefined,
      'data-scalar': kind === 'scalar' ? label : undefined,
      ...(kind === 'dim' ? { min: 1, max: MAX_DIM, step: 1 } : { step: 'any' }),
    });
    input.addEventListener('change', () => {
      const v = Number(input.value);
      const ok = Number.isFinite(v) && (kind === 'scalar' || (Number.isInteger(v) && v >= 1 && v <= MAX_DIM));
      input.classList.toggle('invalid', !ok);
      if (!ok) return;
      set(v);
      onChange();
    });
    return h('label', { class: 'field' }, h('span', { class: kind === 'dim' ? 'dim-name' : 'scalar-name' }, label), input);
  };

  const render = (): void => {
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
  };
}
