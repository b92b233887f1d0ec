/**
 * The config as text for the comment that heads generated code (WGSL and the
 * interpreter's JS). Built from the knob values alone — numbers, booleans, the reduction
 * word — and the kernel's own loop names, never from the config object's keys, so a
 * config cannot put text of its choosing into a shader. Reads the same as JSON.
 */
import type { KernelIR } from '../ir/nodes.ts';
import { blockOf } from './block.ts';
import type { KernelConfig } from './config.ts';

type Knob = Exclude<keyof KernelConfig, 'blocks'>;

const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

function knobText(c: KernelConfig, knob: Knob): string {
  switch (knob) {
    case 'microTile': return `[${num(c.microTile[0])},${num(c.microTile[1])}]`;
    case 'reduction': return c.reduction === 'subgroup' ? '"subgroup"' : c.reduction === 'serial' ? '"serial"' : '"tree"';
    case 'stageA': case 'stageB': case 'broadcastA': return c[knob] ? 'true' : 'false';
    case 'workgroupSize': case 'vectorWidth': case 'unroll': case 'groupM': case 'kChunk': case 'rowCache':
      return num(c[knob]);
    case 'threads': return c.threads === undefined ? 'null' : num(c.threads);
  }
}

/** `{"blocks":{"tm":8},"workgroupSize":64,…}` with the knobs listed (blocks always first). */
export function describeConfig(k: KernelIR, c: KernelConfig, knobs: readonly Knob[]): string {
  // Loops that share a name share the config's block (blocks are keyed by name): each name
  // once, with the config's block where any such loop takes it (not a fixed `block=`).
  const named = new Map<string, (typeof k.loops)[number]>();
  for (const l of k.loops) {
    const seen = named.get(l.name);
    if (seen === undefined || (seen.fixedBlock !== undefined && l.fixedBlock === undefined)) named.set(l.name, l);
  }
  const blocks = [...named.values()].map((l) => `"${l.name}":${num(blockOf(c, l))}`).join(',');
  return `{"blocks":{${blocks}}${knobs.map((n) => `,"${n}":${knobText(c, n)}`).join('')}}`;
}

/** Every knob, in KernelConfig's order. */
export const ALL_KNOBS: readonly Knob[] = [
  'workgroupSize', 'microTile', 'vectorWidth', 'unroll', 'groupM', 'kChunk', 'stageA', 'stageB', 'broadcastA', 'reduction', 'rowCache',
];
