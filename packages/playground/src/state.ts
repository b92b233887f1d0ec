/** What the panels read from the page: the current kernel, shape, config and engine. */
import type { ConfigInput } from 'tessera-gpu-compiler';
import type { Analysis } from './analyze.ts';
import type { EngineStatus } from './engine.ts';
import type { Example } from './examples/index.ts';

export interface Current {
  analysis(): Analysis | undefined;
  /** The example this source is (up to comments and spacing): its reference applies. */
  example(): Example | undefined;
  dims(): Record<string, number>;
  scalars(): Record<string, number>;
  config(): ConfigInput;
  /** Why the shape inputs cannot run (not sizes, or too large for the adapter), or undefined. */
  shapeProblem(): string | undefined;
  readonly engine: Promise<EngineStatus>;
}
