import { kernel } from 'tessera-gpu';
import { GRID } from './conformance/cases-grid.ts';
const c = GRID.find((x) => x.name.startsWith('grid: a program walks'))!;
const k = kernel(Object.assign([c.source], { raw: [c.source] }) as unknown as TemplateStringsArray);
console.log(JSON.stringify(k.resolveConfig()));
console.log(k.wgsl());
