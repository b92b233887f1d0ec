import { kernel, func, init } from 'tessera-gpu';
const K = (body: string, pre = '') => `fn k(x: f32[N]) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n${pre}    out[tn] = ${body};\n  }\n  return out;\n}`;
const cases: Record<string, string> = {
  plus2000: K(Array.from({ length: 2000 }, () => 'x[tn]').join(' + ')),
  plus130: K(Array.from({ length: 130 }, () => 'x[tn]').join(' + ')),
  parens818: K('('.repeat(818) + 'x[tn]' + ')'.repeat(818)),
  parens100: K('('.repeat(100) + 'x[tn]' + ')'.repeat(100)),
  unary61: K('-'.repeat(61).split('').join(' ') + ' x[tn]'),
  unary200: K('-'.repeat(200).split('').join(' ') + ' x[tn]'),
  let121: K('a120', '    let a0 = x[tn];\n' + Array.from({ length: 120 }, (_, i) => `    let a${i + 1} = a${i} + 1.0;\n`).join('')),
  if60: `fn k(x: f32[N], m: i32) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n    var v = x[tn];\n${'    if m > 0 {\n'.repeat(60)}      v += 1.0;\n${'    }\n'.repeat(60)}    out[tn] = v;\n  }\n  return out;\n}`,
  if30: `fn k(x: f32[N], m: i32) -> f32[N] {\n  let out = empty_like(x);\n  for tn in tile(N) {\n    var v = x[tn];\n${'    if m > 0 {\n'.repeat(30)}      v += 1.0;\n${'    }\n'.repeat(30)}    out[tn] = v;\n  }\n  return out;\n}`,
};
const b = (process.env.B ?? 'webgpu') as 'webgpu';
const d = await init({ backend: b });
for (const [name, src] of Object.entries(cases)) {
  const t0 = Date.now();
  try {
    const k = kernel(Object.assign([src], { raw: [src] }) as unknown as TemplateStringsArray);
    const args = src.includes('m: i32') ? [d.tensor([1, 2, 3], [3]), 1] : [d.tensor([1, 2, 3], [3])];
    const [o] = await k.run(args as never);
    console.log(name, 'OK', (await o!.read())[1], Date.now() - t0, 'ms');
  } catch (e) { console.log(name, 'ERR', (e as Error).constructor.name, (e as Error).message.split('\n').slice(0, 2).join(' | ').slice(0, 200)); }
}
d.dispose(); process.exit(0);
