/**
 * The config being compiled: a block size per tunable tile loop and the workgroup size
 * as selects. Other knobs (set by a tuned config) are kept and listed, not edited here.
 */
import type { ConfigInput, KernelConfig } from 'tessera-gpu-compiler';
import type { TunableLoop } from '../analyze.ts';
import { configText } from '../engine.ts';
import { h } from './dom.ts';

export interface ConfigControls {
  /** New kernel: one select per loop, reset to `defaults` unless the loops are unchanged. */
  show(loops: readonly TunableLoop[], defaults: KernelConfig | undefined): void;
  set(config: ConfigInput): void;
  value(): ConfigInput;
}

const POW2 = Array.from({ length: 13 }, (_, i) => 2 ** i); // 1 … 4096
const WORKGROUP_SIZES = [32, 64, 128, 256, 512, 1024];

export function createConfigControls(host: HTMLElement, onChange: () => void): ConfigControls {
  let loops: readonly TunableLoop[] = [];
  let blocks: Record<string, number> = {};
  let workgroupSize = 256;
  let defaults: KernelConfig | undefined;
  /** Knobs other than blocks and workgroupSize, from the last config set. */
  let others: ConfigInput = {};

  const select = (name: string, options: readonly number[], value: number, set: (v: number) => void): HTMLElement => {
    const el = h('select', { 'data-knob': name }, ...options.map((o) => h('option', { value: o, selected: o === value }, String(o))));
    el.addEventListener('change', () => {
      set(Number(el.value));
      onChange();
    });
    return h('label', { class: 'field' }, h('span', {}, name), el);
  };

  const render = (): void => {
    const reset = h('button', { class: 'small', title: 'the compiler\'s default config' }, 'default');
    reset.addEventListener('click', () => {
      if (defaults === undefined) return;
      blocks = { ...defaults.blocks };
      workgroupSize = defaults.workgroupSize;
      others = {};
      render();
      onChange();
    });
    host.replaceChildren(
      ...loops.map((l) => select(`block ${l.name}`, POW2, blocks[l.name] ?? 1, (v) => { blocks[l.name] = v; })),
      select('workgroup', WORKGROUP_SIZES, workgroupSize, (v) => { workgroupSize = v; }),
      reset,
    );
    const rest = configText(others);
    if (rest !== 'default') host.append(h('span', { class: 'muted other-knobs' }, `also: ${rest}`));
  };

  return {
    show(next, defs) {
      const same = next.length === loops.length && next.every((l, i) => l.name === loops[i]?.name);
      loops = next;
      defaults = defs;
      if (!same && defs !== undefined) {
        others = {};
        blocks = Object.fromEntries(next.map((l) => [l.name, defs.blocks[l.name] ?? 1]));
        workgroupSize = defs.workgroupSize;
      }
      render();
    },
    set(config) {
      const { blocks: b, workgroupSize: wg, ...rest } = config;
      blocks = { ...blocks, ...(b ?? {}) };
      workgroupSize = wg ?? workgroupSize;
      others = rest;
      render();
    },
    value: () => ({ ...others, blocks: Object.fromEntries(loops.map((l) => [l.name, blocks[l.name] ?? 1])), workgroupSize }),
  };
}
