import { describe, expect, test } from 'vitest';
import { func, kernel, parseKernelSource, type FnDecl } from '../../packages/dsl/src/index.ts';
import { at, block, compact, diags, fnSig, stmt, walk } from './helpers.ts';
import { MATMUL, RELU, SOFTMAX, STATS } from './kernels.ts';

function parsed(text: string, holes: Parameters<typeof parseKernelSource>[1] = []): FnDecl {
  const r = parseKernelSource(text, holes);
  expect(diags(r.diagnostics)).toEqual([]);
  if (r.ast === undefined) throw new Error('no AST');
  return r.ast;
}

const relu = func`fn relu(x: f32) -> f32 { return max(x, 0.0); }`;

describe('matmul_bias_relu', () => {
  const ast = parsed(MATMUL, [relu]);

  test('signature', () => {
    expect(fnSig(ast)).toBe('fn matmul_bias_relu(a: f32[M, K], b: f32[K, N], bias: f32[N], alpha: f32) -> (f32[M, N])');
    expect(at(ast.nameSpan)).toBe('1:4-1:20');
    expect(at(ast.span)).toBe('1:1-11:2');
    const [a, , , alpha] = ast.params;
    expect(at(a?.span ?? ast.span)).toBe('1:21-1:33');
    expect(at(a?.type.span ?? ast.span)).toBe('1:24-1:33');
    expect(alpha?.type.dims).toBeUndefined();
    expect(at(ast.results[0]?.span ?? ast.span)).toBe('1:78-1:87');
  });

  test('body', () => {
    expect(ast.body.stmts.map(stmt)).toEqual([
      '(let out (call empty [M N] f32))',
      '(for (tm tn) (call tile [M N]) { (var acc (call zeros [tm tn] f32)) ' +
        '(for (tk) (call tile K block=32) { (+= acc (@ (index a tm tk) (index b tk tn))) }) ' +
        '(= (index out tm tn) (call ${0}:relu (+ (* acc alpha) (index bias tn)))) })',
      '(return out)',
    ]);
  });

  test('spans of statements and expressions', () => {
    const loop = ast.body.stmts[1];
    if (loop?.kind !== 'for') throw new Error('expected a for');
    expect(at(loop.span)).toBe('3:3-9:4');
    expect(loop.vars.map((v) => at(v.span))).toEqual(['3:8-3:10', '3:12-3:14']);
    expect(at(loop.iter.span)).toBe('3:19-3:31');
    const inner = loop.body.stmts[1];
    if (inner?.kind !== 'for') throw new Error('expected a for');
    const accumulate = inner.body.stmts[0];
    if (accumulate?.kind !== 'assign') throw new Error('expected an assignment');
    expect(at(accumulate.span)).toBe('6:7-6:36');
    expect(at(accumulate.value.span)).toBe('6:14-6:35');
    const store = loop.body.stmts[2];
    if (store?.kind !== 'assign' || store.value.kind !== 'call') throw new Error('expected a call');
    expect(at(store.target.span)).toBe('8:5-8:16');
    expect(store.value.callee).toEqual({ kind: 'hole', hole: 0, name: 'relu', span: store.value.callee.span });
    expect(at(store.value.callee.span)).toBe('8:19-8:23');
    expect(at(store.value.span)).toBe('8:19-8:47');
  });

  test('every node has a span inside the text, start before end', () => {
    let n = 0;
    for (const node of walk(ast)) {
      const span = node['span'];
      if (span === undefined) continue;
      n++;
      const s = span as { start: { offset: number }; end: { offset: number } };
      expect(s.start.offset).toBeLessThanOrEqual(s.end.offset);
      expect(s.end.offset).toBeLessThanOrEqual(MATMUL.length);
    }
    expect(n).toBeGreaterThan(50);
  });

  test('AST snapshot', () => {
    expect(compact(ast)).toMatchSnapshot();
  });
});

test('softmax: slices and keyword arguments', () => {
  const ast = parsed(SOFTMAX);
  expect(fnSig(ast)).toBe('fn softmax(x: f32[M, N]) -> (f32[M, N])');
  expect(block(ast.body)).toBe(
    '{ (let out (call empty_like x)) (for (tm) (call tile M) { (let row (index x tm :)) ' +
      '(let e (call exp (- row (call max row axis=1 keepdim=true)))) ' +
      '(= (index out tm :) (/ e (call sum e axis=1 keepdim=true))) }) (return out) }',
  );
  const loop = ast.body.stmts[1];
  if (loop?.kind !== 'for') throw new Error('expected a for');
  const row = loop.body.stmts[0];
  if (row?.kind !== 'decl' || row.init.kind !== 'index') throw new Error('expected an index');
  expect(at(row.nameSpan)).toBe('4:9-4:12');
  expect(at(row.init.indices[1]?.span ?? row.span)).toBe('4:21-4:22');
  const e = loop.body.stmts[1];
  if (e?.kind !== 'decl' || e.init.kind !== 'call') throw new Error('expected a call');
  const max = e.init.args[0];
  if (max?.kind !== 'binary' || max.right.kind !== 'call') throw new Error('expected max(…)');
  expect(max.right.kwargs.map((k) => `${k.name}@${at(k.span)}`)).toEqual(['axis@5:32-5:38', 'keepdim@5:40-5:52']);
});

test('stats: several results, a tuple return, comments', () => {
  const ast = parsed(STATS);
  expect(fnSig(ast)).toBe('fn stats(x: f32[N]) -> (f32[1], i32[1])');
  expect(ast.body.stmts.map(stmt)).toEqual([
    '(let s (call empty [1] f32))',
    '(let i (call empty [1] i32))',
    '(for (tn) (call tile N) { (expr (call atomic_add s (call sum (index x tn)))) ' +
      '(expr (call atomic_add i (call i32 (call sum (> (index x tn) 0f))))) })',
    '(return (tuple s i))',
  ]);
  expect(at(ast.body.stmts[3]?.span ?? ast.span)).toBe('10:3-10:17');
});

test('the tags parse the same text', () => {
  const k = kernel`fn matmul_bias_relu(a: f32[M, K], b: f32[K, N], bias: f32[N], alpha: f32) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {        // top-level tile loop = launch grid
    var acc = zeros([tm, tn], f32);
    for tk in tile(K, block=32) {       // nested tile loop
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = ${relu}(acc * alpha + bias[tn]);
  }
  return out;
}`;
  expect(k.kind).toBe('kernel');
  expect(k.name).toBe('matmul_bias_relu');
  expect(k.source.text).toBe(MATMUL);
  expect(k.diagnostics).toEqual([]);
  expect(k.holes).toEqual([relu]);
  expect(k.ast).toEqual(parseKernelSource(MATMUL, [relu]).ast);
  expect(relu.kind).toBe('func');
  expect(relu.name).toBe('relu');
  expect(relu.source.text).toBe(RELU);
  expect(Object.isFrozen(k)).toBe(true);
});

test('parsing is fast after warm-up (the parser is built once)', () => {
  for (let i = 0; i < 50; i++) parseKernelSource(MATMUL, [relu]);
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    parseKernelSource(MATMUL, [relu]);
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  const median = times[times.length >> 1] ?? Infinity;
  expect(median).toBeLessThan(1);
});
