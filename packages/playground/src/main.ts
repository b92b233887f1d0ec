/**
 * The playground page: wires the editor, the shape and config controls, the WGSL view and
 * the Run and Autotune panels to one current kernel. Each edit is parsed and checked
 * (debounced, by the linter); everything downstream updates from that analysis.
 */
import './style.css';
import type { ConfigInput, KernelConfig } from 'tessera-gpu-compiler';
import type { Analysis } from './analyze.ts';
import { createKernelEditor } from './editor/kernel-editor.ts';
import { createWgslView } from './editor/wgsl-view.ts';
import { configText, openEngine } from './engine.ts';
import { errorText } from './errors.ts';
import { sizeProblem } from './inputs.ts';
import { EXAMPLES, exampleById, exampleForSource, type Example } from './examples/index.ts';
import { decodeShare, encodeShare } from './share.ts';
import type { Current } from './state.ts';
import { createBackendsPanel } from './ui/backends.ts';
import { createConfigControls } from './ui/config-controls.ts';
import { byId, h } from './ui/dom.ts';
import { createRunPanel } from './ui/run-panel.ts';
import { createShapeControls } from './ui/shape-controls.ts';
import { createTunePanel } from './ui/tune-panel.ts';

const CUSTOM = 'custom';

let analysis: Analysis | undefined;
let example: Example | undefined;

const engine = openEngine();
/** The engine's largest buffer, once it is known: shapes above it are refused with a message. */
let maxBufferBytes = Infinity;
const shape = createShapeControls(byId('shape', HTMLDivElement), byId('shape-error', HTMLDivElement), () => shapeChanged());
const config = createConfigControls(byId('config', HTMLDivElement), () => refreshWgsl());
const cur: Current = {
  analysis: () => analysis,
  example: () => example,
  dims: () => shape.dims(),
  scalars: () => shape.scalars(),
  config: () => config.value(),
  shapeProblem: () => {
    const sig = analysis?.signature;
    return shape.problem() ?? (sig === undefined ? undefined : sizeProblem(sig, shape.dims(), maxBufferBytes));
  },
  engine,
};
const runPanel = createRunPanel(byId('run', HTMLButtonElement), byId('reference', HTMLSpanElement), byId('result', HTMLDivElement), cur);
createBackendsPanel(byId('compare', HTMLButtonElement), byId('backends', HTMLDivElement), cur, (args, outputs) => runPanel.check(args, outputs));
const tunePanel = createTunePanel(
  {
    button: byId('tune', HTMLButtonElement),
    budget: byId('budget', HTMLSelectElement),
    progress: byId('tune-progress', HTMLProgressElement),
    status: byId('tune-status', HTMLDivElement),
    chart: byId('chart', HTMLDivElement),
  },
  cur,
  (tuned: ConfigInput) => {
    config.set(tuned);
    refreshWgsl();
  },
  // The run panel then shows what the tuned config computes and how fast.
  () => void runPanel.run(),
);
const wgslHost = byId('wgsl', HTMLDivElement);
const wgsl = createWgslView(wgslHost);
const picker = byId('example', HTMLSelectElement);
const problems = byId('problems', HTMLUListElement);

// ---------------------------------------------------------------------------- start-up

const shared = decodeShare(location.hash);
const first = shared === undefined ? EXAMPLES[0] : exampleForSource(shared.source);
if (first !== undefined) shape.preset(first.dims, first.scalars);
if (shared !== undefined) shape.preset(shared.shape);
const editor = createKernelEditor(byId('editor', HTMLDivElement), shared?.source ?? first?.source ?? '', onAnalysis);

picker.append(...EXAMPLES.map((e) => h('option', { value: e.id }, e.title)), h('option', { value: CUSTOM, disabled: true }, '(edited kernel)'));
picker.value = first?.id ?? CUSTOM;
picker.addEventListener('change', () => {
  const e = exampleById(picker.value);
  if (e === undefined) return;
  shape.preset(e.dims, e.scalars);
  editor.setSource(e.source);
});

byId('run', HTMLButtonElement).addEventListener('click', () => void runPanel.run());
byId('wgsl-copy', HTMLButtonElement).addEventListener('click', () => void copyWgsl());
byId('wgsl-wide', HTMLButtonElement).addEventListener('click', () => {
  const button = byId('wgsl-wide', HTMLButtonElement);
  const wide = !document.querySelector('main.layout')?.classList.contains('wide-wgsl');
  document.querySelector('main.layout')?.classList.toggle('wide-wgsl', wide);
  button.setAttribute('aria-pressed', String(wide));
  button.textContent = wide ? 'Narrow' : 'Widen';
});
byId('share', HTMLButtonElement).addEventListener('click', () => void share());

void engine.then((status) => {
  if (status.ok) maxBufferBytes = status.engine.maxBufferBytes;
  const el = byId('adapter', HTMLDivElement);
  el.textContent = status.ok ? `${status.engine.backend}: ${status.engine.name}` : `no WebGPU: ${status.reason}`;
  el.title = status.ok ? status.engine.details : '';
  el.className = `adapter ${status.ok ? 'ok' : 'error'}`;
  el.dataset['ready'] = status.ok ? 'yes' : 'no';
  refreshWgsl();
  void tunePanel.lookup();
});

// ---------------------------------------------------------------------------- updates

function onAnalysis(a: Analysis): void {
  const changed = a.source !== analysis?.source;
  analysis = a;
  if (!changed) return;
  example = exampleForSource(a.source);
  picker.value = example?.id ?? CUSTOM;
  showProblems(a);
  // While the text has errors, keep the last good kernel's shape and config controls:
  // a typo should not make them flicker away.
  if (a.signature !== undefined) {
    shape.show(a.signature, { dims: example?.dims ?? {}, scalars: example?.scalars ?? {} });
    let defaults: KernelConfig | undefined;
    try {
      defaults = a.kernel?.resolveConfig();
    } catch {
      defaults = undefined; // lowering failed: refreshWgsl shows why
    }
    config.show(a.signature.loops, defaults);
  }
  runPanel.kernelChanged();
  refreshWgsl();
  syncHash();
  void tunePanel.lookup();
}

function shapeChanged(): void {
  syncHash();
  void tunePanel.lookup();
}

function showProblems(a: Analysis): void {
  problems.replaceChildren(
    ...a.diagnostics.map((d) => {
      const at = `${d.span.start.line}:${d.span.start.col}`;
      const item = h('li', { class: d.severity, 'data-line': d.span.start.line, 'data-code': d.code },
        h('span', { class: 'where' }, at), ` ${d.severity} ${d.code}: ${d.message}`,
        d.hint === undefined ? null : h('span', { class: 'hint' }, ` — ${d.hint}`));
      item.addEventListener('click', () => {
        editor.view.dispatch({ selection: { anchor: d.span.start.offset }, scrollIntoView: true });
        editor.view.focus();
      });
      return item;
    }),
  );
}

async function refreshWgslAsync(): Promise<void> {
  const errorBox = byId('wgsl-error', HTMLDivElement);
  const label = byId('wgsl-config', HTMLSpanElement);
  const a = analysis;
  // For tests and tools: which kernel the view shows, and whether it compiled.
  const mark = (state: 'ok' | 'error'): void => {
    const card = byId('wgsl-card', HTMLElement);
    card.dataset['kernel'] = a?.def.name ?? '';
    card.dataset['state'] = state;
  };
  const fail = (text: string): void => {
    mark('error');
    errorBox.textContent = text;
    errorBox.hidden = false;
    wgslHost.hidden = true;
    wgsl.show('');
    label.textContent = '';
  };
  if (a?.kernel === undefined) return fail('No WGSL: the kernel has errors (see the problems under the editor).');
  const status = await engine;
  if (a !== analysis) return; // superseded by a newer edit
  const c = config.value();
  try {
    const text = status.ok ? status.engine.wgsl(a.kernel, c) : a.kernel.wgsl(c);
    errorBox.hidden = true;
    wgslHost.hidden = false;
    wgsl.show(text);
    mark('ok');
    label.textContent = `for ${configText(c)}`;
  } catch (error) {
    fail(`Cannot compile this kernel: ${errorText(error)}`);
  }
}

function refreshWgsl(): void {
  void refreshWgslAsync();
}

function shareUrl(): string {
  return `${location.origin}${location.pathname}#${encodeShare({ source: editor.source(), shape: shape.dims() })}`;
}

function syncHash(): void {
  history.replaceState(null, '', shareUrl());
}

async function copyWgsl(): Promise<void> {
  const button = byId('wgsl-copy', HTMLButtonElement);
  const text = wgsl.text();
  if (text === '') return;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    // No clipboard permission (an insecure origin, a denied prompt): select it for Ctrl+C.
    const range = document.createRange();
    range.selectNodeContents(byId('wgsl', HTMLDivElement).querySelector('.cm-content') ?? wgslHost);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    button.textContent = 'Selected: Ctrl+C';
  }
  setTimeout(() => { button.textContent = 'Copy'; }, 2000);
}

async function share(): Promise<void> {
  const url = shareUrl();
  history.replaceState(null, '', url);
  const button = byId('share', HTMLButtonElement);
  try {
    await navigator.clipboard.writeText(url);
    button.textContent = 'Link copied';
  } catch {
    button.textContent = 'Link in address bar';
  }
  setTimeout(() => { button.textContent = 'Share link'; }, 2000);
}
