/**
 * The example picker's list. Examples that mirror a file under examples/ keep the same
 * kernel text (test/playground/examples.test.ts checks it); the others exist only here.
 */
import { add } from './add.ts';
import { layernorm } from './layernorm.ts';
import { matmul } from './matmul.ts';
import { matmulBiasRelu } from './matmul-bias-relu.ts';
import { rowSum } from './row-sum.ts';
import { scaledRelu } from './scaled-relu.ts';
import { softmax } from './softmax.ts';
import type { Example } from './types.ts';

export type { Example, ReferenceArgs } from './types.ts';

export const EXAMPLES: readonly Example[] = [add, softmax, matmul, matmulBiasRelu, layernorm, rowSum, scaledRelu];

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}

/** Comments and whitespace do not change what a kernel computes. */
function normalize(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The example whose kernel this source is (up to comments and spacing), so its reference applies. */
export function exampleForSource(source: string): Example | undefined {
  const n = normalize(source);
  return EXAMPLES.find((e) => normalize(e.source) === n);
}
