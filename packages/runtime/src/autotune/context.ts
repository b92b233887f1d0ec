/**
 * What tuning needs to know about one call: its device and limits, its bound dims and
 * scalars, the config space for those shapes, and the tuning key.
 */
import { DEFAULT_LIMITS, printKernel, wasmConfigSpace, type DeviceLimits } from 'tessera-gpu-compiler';
import type { Device } from '../device.ts';
import { UnsupportedFeatureError } from '../errors.ts';
import { bindArgs } from '../kernel/bind-args.ts';
import type { KernelArg } from '../kernel/kernel.ts';
import { Tensor } from '../tensor.ts';
import { adapterIdentity, bucketDims, COMPILER_FINGERPRINT, hashText, kernelHash, keyString, shapeText, type ShapeBucket, type TuningKey } from './key.ts';
import { type CompilerKnob, kernelSpace, type KernelSpace, type SpaceFn, type SpaceRestriction } from './kernel-space.ts';
import type { TunableKernel } from './objective.ts';

export interface TuningContext {
  readonly device: Device;
  readonly limits: DeviceLimits;
  readonly dims: Readonly<Record<string, number>>;
  readonly scalars: Readonly<Record<string, number>>;
  readonly space: KernelSpace;
  readonly key: TuningKey;
  readonly keyText: string;
}

const hashes = new WeakMap<TunableKernel, string>();

/** The wasm backend's space (blocks, register block, unroll), typed as the search wants it. */
const wasmSpace: SpaceFn = (ir, limits, features) => wasmConfigSpace(ir, limits, features);

export function tuningContext(kernel: TunableKernel, args: readonly KernelArg[], device: Device | undefined, bucket: ShapeBucket, restrict?: SpaceRestriction): TuningContext {
  const ir = kernel.prepared().ir;
  const bound = bindArgs(ir, args, (v): v is Tensor => v instanceof Tensor);
  const dev = device ?? bound.tensors[0]?.device;
  if (dev === undefined) throw new UnsupportedFeatureError('a device', `autotuning kernel '${ir.name}' (no tensor arguments and no device option)`, 'none');
  const limits: DeviceLimits = { ...DEFAULT_LIMITS, ...dev.info.limits };
  // The wasm backend adds its thread count to the knobs (1 … the pool's threads).
  const pool = dev.wasm?.threads ?? 0;
  const extra: CompilerKnob[] = pool > 1
    ? [{ kind: 'int', name: 'threads', values: Array.from({ length: pool }, (_, i) => i + 1), default: pool }]
    : [];
  const space = kernelSpace(ir, limits, bound.dims, [...dev.features], restrict, extra, dev.wasm ? wasmSpace : undefined);
  let hash = hashes.get(kernel);
  if (hash === undefined) {
    hash = kernelHash(kernel.def, printKernel(ir));
    hashes.set(kernel, hash);
  }
  const key: TuningKey = {
    kernel: ir.name,
    hash,
    compiler: COMPILER_FINGERPRINT,
    adapter: adapterIdentity(dev.info),
    dtypes: ir.params.map((p) => (p.kind === 'tensor' ? p.tensor.dtype : p.dtype)).join(','),
    shape: shapeText(bucketDims(bound.dims, bucket)),
    space: hashText(space.signature),
  };
  return { device: dev, limits, dims: bound.dims, scalars: bound.scalars, space, key, keyText: keyString(key) };
}
