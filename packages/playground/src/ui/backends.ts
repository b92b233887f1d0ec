/**
 * The same kernel on every backend: WebGPU (the page's config), Tessera's WebAssembly
 * backend and its interpreter (each with its own default config, since their knobs are
 * their own). One row per backend: median time, max abs error against the example's
 * reference, or why it could not run. Engines open on first use and are kept.
 */
import type { Device } from 'tessera-gpu-runtime';
import { openEngine, type EngineStatus, type HostArg, type HostData } from '../engine.ts';
import { errorText } from '../errors.ts';
import { makeArgs } from '../inputs.ts';
import type { Current } from '../state.ts';
import { formatMs, h } from './dom.ts';

const BACKENDS: readonly { readonly backend: Device['backend']; readonly label: string }[] = [
  { backend: 'webgpu', label: 'WebGPU' },
  { backend: 'wasm', label: 'wasm' },
  { backend: 'interpreter', label: 'interpreter' },
];

/** Max abs error of outputs against the reference, or undefined when there is none. */
export type Checker = (args: readonly HostArg[], outputs: readonly HostData[]) => { readonly error: number; readonly ok: boolean } | undefined;

export function createBackendsPanel(button: HTMLButtonElement, host: HTMLElement, cur: Current, check: Checker): void {
  const engines = new Map<Device['backend'], Promise<EngineStatus>>();
  const engineFor = (b: Device['backend']): Promise<EngineStatus> => {
    let e = engines.get(b);
    if (e === undefined) {
      e = openEngine(b);
      engines.set(b, e);
    }
    return e;
  };

  const compare = async (): Promise<void> => {
    const a = cur.analysis();
    if (a?.kernel === undefined || a.signature === undefined) {
      host.replaceChildren(h('pre', { class: 'error' }, 'The kernel has errors: fix them first.'));
      return;
    }
    const problem = cur.shapeProblem();
    if (problem !== undefined) {
      host.replaceChildren(h('pre', { class: 'error' }, problem));
      return;
    }
    const { kernel, signature } = a;
    const args = makeArgs(signature, cur.dims(), cur.scalars());
    button.disabled = true;
    const body = h('tbody');
    host.replaceChildren(h('table', { class: 'backends', 'data-testid': 'backends' },
      h('thead', {}, h('tr', {}, h('th', {}, 'backend'), h('th', {}, 'median'), h('th', {}, 'max abs error'), h('th', {}, 'config'))), body));
    try {
      for (const { backend, label } of BACKENDS) {
        const tr = h('tr', { 'data-backend': backend }, h('td', {}, label), h('td', { colspan: 3, class: 'muted' }, 'running…'));
        body.append(tr);
        const status = await engineFor(backend);
        if (!status.ok) {
          tr.replaceChildren(h('td', {}, label), h('td', { colspan: 3, class: 'muted', 'data-state': 'unavailable' }, `not available: ${status.reason.split('\n')[0] ?? ''}`));
          continue;
        }
        const { engine } = status;
        const config = backend === 'webgpu' ? cur.config() : {};
        try {
          const outputs = await engine.run(kernel, args, config);
          const checked = check(args, outputs);
          const ms = await engine.measure(kernel, args, config, { repeats: 10, maxMs: 800 });
          tr.replaceChildren(
            h('td', { title: engine.details }, label),
            // CPU backends time with the wall clock, which browsers coarsen (to 0.1 ms without
            // cross-origin isolation): a fast call can read as 0.
            h('td', { 'data-ms': String(ms) }, ms > 0 ? formatMs(ms) : '< clock tick'),
            checked === undefined ? h('td', { class: 'muted' }, 'no reference')
              : h('td', { class: checked.ok ? 'ok' : 'bad', 'data-error': String(checked.error) }, `${checked.error.toExponential(1)} ${checked.ok ? '✓' : '✗'}`),
            h('td', { class: 'muted' }, backend === 'webgpu' ? 'this page\'s' : 'its default'),
          );
        } catch (error) {
          tr.replaceChildren(h('td', {}, label), h('td', { colspan: 3, class: 'bad', 'data-state': 'error' }, errorText(error).split('\n')[0] ?? ''));
        }
      }
    } finally {
      button.disabled = false;
    }
  };

  button.addEventListener('click', () => void compare());
}
