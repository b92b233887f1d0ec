/**
 * Causal attention against the same kernel without the causal skip: the causal kernel
 * skips key blocks wholly above the diagonal (`if tn.begin < tm.end`), so at S = 1024 it
 * should take about half the time of non-causal attention at the same config.
 */
import type { Kernel, Tensor } from 'tessera-gpu';
import { attention } from '../examples/attention.ts';
import { causalAttention } from '../examples/causal-attention.ts';
import { random } from '../examples/random.ts';
import type { Workload } from './workloads.ts';

const [BH, S, D] = [4, 1024, 64];
/** Both kernels run at this config, so the ratio is the skipped work and nothing else. */
const CONFIG = { blocks: { tm: 32, tn: 32 } };

function inputs(device: Parameters<Workload['tessera']>[0]): Tensor[] {
  const shape = [BH, S, D];
  return [61, 62, 63].map((seed) => device.tensor(random(BH * S * D, seed), shape));
}

export const LANGUAGE_WORKLOADS: Workload[] = [
  {
    name: 'causal attention', shape: `bh=${BH} seq=${S} d=${D}`,
    bytes: 16 * BH * S * D, flops: 2 * BH * S * S * D, targets: { 'non-causal': 1.5 },
    tessera(device) {
      return { kernel: causalAttention, args: [...inputs(device), 1 / Math.sqrt(D)], candidates: [CONFIG] };
    },
    async peers(device) {
      const args = [...inputs(device), 1 / Math.sqrt(D)];
      const run = (k: Kernel) => async (): Promise<void> => {
        const outs = await k.run(args, { config: CONFIG });
        await device.sync();
        for (const o of outs) o.destroy();
      };
      return { 'non-causal': run(attention) };
    },
  },
];
