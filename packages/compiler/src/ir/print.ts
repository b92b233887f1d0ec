/** A readable dump of the tile IR, for tests (snapshots) and `tessera compile --emit ir`. */
import { axisText, dimText } from 'tessera-gpu-dsl/check';
import type { IndexItem, KernelIR, Stmt, VType, Value } from './nodes.ts';

const typeText = (t: VType): string => (t.axes.length ? `${t.dtype}[${t.axes.map(axisText).join(', ')}]` : t.dtype);

const indexText = (items: readonly IndexItem[]): string =>
  items.map((i) => {
    switch (i.kind) {
      case 'block': return i.loop.name;
      case 'full': return ':';
      case 'shifted': return `${printValue(i.by)} + ${i.loop.name}`;
      case 'slice': return `${printValue(i.from)}:+${dimText(i.extent)}`;
      case 'tile': case 'scalar': return printValue(i.value);
    }
  }).join(', ');

export function printValue(v: Value): string {
  switch (v.kind) {
    case 'const': return `${String(v.value)}:${v.type.dtype}`;
    case 'dim': return v.name;
    case 'param': return `$${v.name}`;
    case 'gridIndex': return `pid(${v.loop.name})`;
    case 'local': return `%${v.id}`;
    case 'mat': return `@${v.id}`;
    case 'load': return `${v.tensor.name}[${indexText(v.index)}]`;
    case 'gather': return `${v.tensor.name}[${v.index.map((i) => (i.kind === 'axis' ? `${i.by ? `${printValue(i.by)} + ` : ''}${axisText(v.type.axes[i.axis] ?? { kind: 'unit' })}` : printValue(i.value))).join(', ')}]`;
    case 'unary': return `${v.op}(${printValue(v.x)})`;
    case 'binary': return `${v.op}(${printValue(v.a)}, ${printValue(v.b)})`;
    case 'select': return `select(${printValue(v.cond)}, ${printValue(v.a)}, ${printValue(v.b)})`;
    case 'cast': return `${v.type.dtype}(${printValue(v.x)})`;
    case 'transpose': return `transpose(${printValue(v.x)})`;
    case 'view': return `view(${printValue(v.x)} -> ${typeText(v.type)})`;
    case 'position': return `${v.loop.name}.index`;
    case 'tileBound': return `${v.loop.name}.${v.bound}`;
    case 'fill': return `fill(${printValue(v.value)} -> ${typeText(v.type)})`;
    case 'call': return `${v.func.key}(${v.args.map(printValue).join(', ')})`;
    case 'reduce': return `${v.op}(${printValue(v.x)}, axis=${v.axis}${v.keepdim ? ', keepdim' : ''}) -> ${typeText(v.type)}`;
    case 'scan': return `${v.op}(${printValue(v.x)}, axis=${v.axis})`;
    case 'dot': return `dot(${printValue(v.a)}, ${printValue(v.b)}${v.acc ? `, acc=${printValue(v.acc)}` : ''}) -> ${typeText(v.type)}`;
  }
}

export function printStmts(stmts: readonly Stmt[], indent = '  '): string {
  return stmts.map((s) => printStmt(s, indent)).join('\n');
}

function printStmt(s: Stmt, ind: string): string {
  switch (s.kind) {
    case 'declare': return `${ind}var %${s.id} = ${printValue(s.init)}`;
    case 'assign': return `${ind}%${s.id} = ${printValue(s.value)}`;
    case 'store': return `${ind}${s.atomic ? 'atomic_add ' : ''}${s.tensor.name}[${indexText(s.index)}] = ${printValue(s.value)}`;
    case 'materialize': return `${ind}@${s.id} = ${printValue(s.value)}`;
    case 'return': return `${ind}return ${printValue(s.value)}`;
    case 'tileLoop': return `${ind}for ${s.loop.name} in tile(${s.loop.dim.kind === 'sym' ? s.loop.dim.name : s.loop.dim.value}) {\n${printStmts(s.body, ind + '  ')}\n${ind}}`;
    case 'rangeLoop': return `${ind}for %${s.id} in range(${printValue(s.lo)}, ${printValue(s.hi)}) {\n${printStmts(s.body, ind + '  ')}\n${ind}}`;
    case 'if': return `${ind}if ${printValue(s.cond)} {\n${printStmts(s.then, ind + '  ')}\n${ind}} else {\n${printStmts(s.otherwise, ind + '  ')}\n${ind}}`;
  }
}

export function printKernel(k: KernelIR): string {
  const params = k.params.map((p) => (p.kind === 'tensor' ? `${p.tensor.name}: ${p.tensor.dtype}[${p.tensor.dims.map((d) => (d.kind === 'sym' ? d.name : d.value)).join(', ')}]` : `${p.name}: ${p.dtype}`));
  const funcs = k.funcs.map((f) => `func ${f.key}(${f.params.map((p) => `%${p.id}: ${p.dtype}`).join(', ')}) -> ${f.result} {\n${printStmts(f.body)}\n}\n`).join('');
  const grid = k.grid.map((l) => (l.iter === 'grid' ? `pid(${l.name})` : l.name));
  return `${funcs}kernel ${k.name}(${params.join(', ')}) -> (${k.outputs.map((o) => o.name).join(', ')})\ngrid ${grid.join(', ')} {\n${printStmts(k.body)}\n}`;
}
