/**
 * The runtime's error catalogue. Every error a user can cause (or meet because of the
 * machine) is one of these classes, with a stable `code` for programs and a `hint`
 * that says how to fix it. The hint is also appended to `message`, so an uncaught
 * error shows the fix without anyone reading the fields.
 */

import { TesseraError } from 'tessera-gpu-dsl/errors';

export { TesseraError };

export type ErrorCode =
  | 'E_NO_ADAPTER'
  | 'E_ARGUMENT'
  | 'E_DEVICE'
  | 'E_UNSUPPORTED_FEATURE'
  | 'E_AUTOTUNE'
  | 'E_CACHE'
  | 'E_OUTPUTS';

/** Errors raised by the runtime; every Tessera error shares the root `TesseraError`. */
export class RuntimeError extends TesseraError {
  declare readonly code: ErrorCode;
  /** What to do about it, in one or two sentences. */
  declare readonly hint: string;
  /** The message without the appended hint. */
  readonly summary: string;

  constructor(code: ErrorCode, summary: string, hint: string, options?: { cause?: unknown }) {
    super(code, hint === '' ? summary : `${summary}\nHint: ${hint}`, hint);
    if (options?.cause !== undefined) this.cause = options.cause;
    this.summary = summary;
  }
}

/** Where the install hint comes from; kept in one place so every message agrees. */
export const INSTALL_HINT =
  'Install a WebGPU-capable driver. On Debian, as root, run the project\'s ' +
  '`scripts/install-vulkan.sh` (it installs Mesa\'s lavapipe software Vulkan driver, ' +
  '`mesa-vulkan-drivers` and `libvulkan1` from bookworm-backports; bookworm\'s own ' +
  'mesa 22 is too old for Dawn), or install your GPU vendor\'s Vulkan/Metal/D3D12 driver. ' +
  'In a browser, use one with WebGPU enabled (Chromium: --enable-unsafe-webgpu).';

/** No WebGPU implementation, or one that offers no adapter. */
export class NoAdapterError extends RuntimeError {
  /** Why no adapter was found (the lower-level reason). */
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super('E_NO_ADAPTER', `No WebGPU adapter found: ${reason}`, INSTALL_HINT, options);
    this.reason = reason;
  }
}

/** A tensor argument (or another call argument) does not fit what the kernel expects. */
export class ArgumentError extends RuntimeError {
  /** The kernel parameter (or API argument) that was wrong. */
  readonly parameter: string;
  readonly expected: string;
  readonly actual: string;

  constructor(
    parameter: string,
    expected: string,
    actual: string,
    hint: string,
    context?: string,
  ) {
    const where = context === undefined ? '' : ` of ${context}`;
    super('E_ARGUMENT', `Argument '${parameter}'${where}: expected ${expected}, got ${actual}`, hint);
    this.parameter = parameter;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * What went wrong on the device. `compile` and `pipeline` mean the compiler produced a
 * shader WebGPU rejects: an internal compiler error, not the user's fault. `lost`: the
 * device went away underneath (a driver reset, someone destroying the GPUDevice);
 * `disposed`: it was used after its own dispose().
 */
export type DeviceErrorKind =
  | 'validation'
  | 'out-of-memory'
  | 'internal'
  | 'lost'
  | 'disposed'
  | 'compile'
  | 'pipeline';

/** Which backend the device runs on, for messages ('webgpu' unless said otherwise). */
export type ErrorBackend = 'webgpu' | 'interpreter' | 'wasm';

const BACKEND_TEXT: Readonly<Record<ErrorBackend, string>> = { webgpu: 'WebGPU', interpreter: 'Interpreter', wasm: 'WebAssembly' };

const KIND_TEXT: Readonly<Record<DeviceErrorKind, string>> = {
  validation: 'validation error',
  'out-of-memory': 'out-of-memory error',
  internal: 'internal error',
  lost: 'device lost',
  disposed: 'device disposed',
  compile: 'shader compilation error',
  pipeline: 'pipeline creation error',
};

export class DeviceError extends RuntimeError {
  readonly kind: DeviceErrorKind;
  /** The kernel whose launch failed, when one was running. */
  readonly kernel: string | undefined;
  readonly backend: ErrorBackend;
  /**
   * What happened, without the "WebGPU device lost in kernel 'k':" prefix: what a new
   * DeviceError for another kernel repeats, so prefixes never stack up.
   */
  readonly detail: string;

  constructor(
    kind: DeviceErrorKind,
    detail: string,
    hint: string,
    kernel?: string,
    options?: { cause?: unknown; backend?: ErrorBackend },
  ) {
    const backend = options?.backend ?? 'webgpu';
    const who = kernel === undefined ? '' : ` in kernel '${kernel}'`;
    super('E_DEVICE', `${BACKEND_TEXT[backend]} ${KIND_TEXT[kind]}${who}: ${detail}`, hint, options);
    this.kind = kind;
    this.kernel = kernel;
    this.backend = backend;
    this.detail = detail;
  }

  /** The same error, reported for `kernel` (the detail and hint kept, the prefix rebuilt). */
  forKernel(kernel: string | undefined): DeviceError {
    if (kernel === undefined || kernel === this.kernel) return this;
    return new DeviceError(this.kind, this.detail, this.hint, kernel, { cause: this, backend: this.backend });
  }
}

/** The kernel (or tensor dtype) needs an adapter feature this device lacks. */
export class UnsupportedFeatureError extends RuntimeError {
  readonly feature: string;

  constructor(feature: string, needer: string, adapterName: string) {
    super(
      'E_UNSUPPORTED_FEATURE',
      `${needer} needs the WebGPU feature '${feature}', which adapter '${adapterName}' does not offer`,
      feature === 'shader-f16'
        ? 'Use f32 tensors instead of f16, or run on an adapter with shader-f16 ' +
            '(lavapipe from Mesa 25 and most GPUs have it).'
        : `Pick a config that does not need '${feature}', or run on an adapter that has it.`,
    );
    this.feature = feature;
  }
}

/**
 * The tuning cache's storage failed (a path that is a directory, a parent that is a file,
 * no permission, an invalid path). Autotuning reports it as a warning and keeps its
 * result; direct cache operations throw it.
 */
export class CacheError extends RuntimeError {
  /** Where the cache lives (a file path, or the store's location). */
  readonly location: string;

  constructor(location: string, operation: string, reason: string, options?: { cause?: unknown }) {
    super('E_CACHE', `cannot ${operation} the tuning cache ${location}: ${reason}`,
      'Point the cache at a writable file (TuningCache.file(path), or XDG_CACHE_HOME), or tune with cache: false.', options);
    this.location = location;
  }
}

/** Autotuning could not produce a trustworthy result. */
export class AutotuneError extends RuntimeError {
  readonly kernel: string;

  constructor(kernel: string, summary: string, hint: string, options?: { cause?: unknown }) {
    super('E_AUTOTUNE', `autotuning kernel '${kernel}': ${summary}`, hint, options);
    this.kernel = kernel;
  }
}

/** Turns a WebGPU GPUError (from an error scope or an uncaptured-error event) into a DeviceError. */
export function fromGPUError(error: GPUError, kernel?: string): DeviceError {
  // By constructor name, not instanceof: in Node the GPU* classes are only globals once
  // device.ts has installed them, and errors may be built before that.
  const type = error.constructor.name;
  const kind: DeviceErrorKind =
    type === 'GPUOutOfMemoryError'
      ? 'out-of-memory'
      : type === 'GPUValidationError'
        ? 'validation'
        : 'internal';
  const hint =
    kind === 'out-of-memory'
      ? 'Use smaller tensors, destroy tensors you no longer need (tensor.destroy()), ' +
        'or pick a config with fewer workgroup-memory bytes.'
      : 'This is most likely a Tessera bug (internal compiler or runtime error); ' +
        'please report it with the kernel and the shapes you launched it with.';
  return new DeviceError(kind, firstLines(error.message), hint, kernel, { cause: error });
}

/** Dawn messages carry long "While calling ..." tails; the first lines say what matters. */
function firstLines(text: string, max = 6): string {
  const lines = text.trim().split('\n');
  return lines.length <= max ? lines.join('\n') : [...lines.slice(0, max), '…'].join('\n');
}

/**
 * A kernel called for a different number of results than it returns: `kernel` is for one
 * output (the call resolves to a Tensor), `kernel.outputs(n)` for n (a tuple of Tensors).
 */
export class OutputCountError extends RuntimeError {
  readonly kernel: string;
  readonly declared: number;
  readonly expected: number;

  constructor(kernel: string, declared: number, expected: number) {
    const outputs = (n: number): string => `${n} output${n === 1 ? '' : 's'}`;
    super(
      'E_OUTPUTS',
      `kernel '${kernel}' returns ${outputs(declared)}, but was defined for ${outputs(expected)}`,
      declared === 1
        ? 'Define it with kernel`…` (the call resolves to one Tensor).'
        : `Define it with kernel.outputs(${declared})\`…\` (the call resolves to [${Array(declared).fill('Tensor').join(', ')}]), or call ${kernel}.run(args) for an array of any length.`,
    );
    this.kernel = kernel;
    this.declared = declared;
    this.expected = expected;
  }
}
