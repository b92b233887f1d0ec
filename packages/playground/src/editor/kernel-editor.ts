/** The kernel editor: CodeMirror with the tile language, inline diagnostics and undo. */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { lintGutter } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import type { Analysis } from '../analyze.ts';
import { highlighting } from './highlight.ts';
import { kernelLinter } from './lint.ts';
import { tileLanguage } from './tile-language.ts';

export interface KernelEditor {
  readonly view: EditorView;
  source(): string;
  /** Replaces the whole text (an example was picked); undo brings the old text back. */
  setSource(text: string): void;
}

export function createKernelEditor(parent: HTMLElement, initial: string, onAnalysis: (a: Analysis) => void): KernelEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        indentOnInput(),
        bracketMatching(),
        EditorState.tabSize.of(2),
        EditorView.lineWrapping,
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        tileLanguage,
        highlighting,
        lintGutter(),
        kernelLinter(onAnalysis),
        EditorView.contentAttributes.of({ 'aria-label': 'kernel source' }),
      ],
    }),
  });
  return {
    view,
    source: () => view.state.doc.toString(),
    setSource(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
  };
}
