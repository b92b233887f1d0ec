/** Read-only view of the generated WGSL (or of why there is none). */
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { highlighting } from './highlight.ts';
import { wgslLanguage } from './wgsl-language.ts';

export interface WgslView {
  show(text: string): void;
  text(): string;
}

export function createWgslView(parent: HTMLElement): WgslView {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: '',
      extensions: [
        lineNumbers(),
        EditorState.readOnly.of(true),
        EditorView.editable.of(false),
        EditorView.lineWrapping,
        wgslLanguage,
        highlighting,
        EditorView.contentAttributes.of({ 'aria-label': 'generated WGSL' }),
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    show(text) {
      if (text === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
  };
}
