/** Colours for both editors (kernel and WGSL); one style so the two views read alike. */
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

const style = HighlightStyle.define([
  { tag: t.keyword, color: '#8250df', fontWeight: '600' },
  { tag: t.typeName, color: '#0a6e8a' },
  { tag: t.number, color: '#b35900' },
  { tag: t.bool, color: '#b35900' },
  { tag: [t.lineComment, t.blockComment], color: '#6e7781', fontStyle: 'italic' },
  { tag: t.standard(t.variableName), color: '#0550ae' },
  { tag: t.constant(t.variableName), color: '#953800', fontWeight: '600' },
  { tag: t.meta, color: '#116329' },
  { tag: t.operator, color: '#cf222e' },
]);

export const highlighting = syntaxHighlighting(style);
