/**
 * `npm run example -- NAME…`: runs example kernels on random inputs, checks each result
 * against its plain-JS reference and times the kernel with its default config.
 *
 *   npm run example -- softmax layernorm        two examples
 *   npm run example                             every example
 *   npm run example -- --list                   their names
 *   npm run example -- matmul --backend interpreter
 *
 * Exits 1 when a result does not match, 2 on bad arguments.
 */
import { init } from 'tessera-gpu';
import { EXAMPLES, runCheck } from './checks.ts';

function usage(message: string): never {
  console.error(`example: ${message}\nusage: npm run example -- [NAME…] [--backend auto|webgpu|interpreter] [--list]`);
  process.exit(2);
}

async function main(argv: readonly string[]): Promise<number> {
  const names: string[] = [];
  let backend: 'auto' | 'webgpu' | 'interpreter' = 'auto';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--list') {
      for (const e of EXAMPLES) console.log(`${e.name.padEnd(18)} ${e.title}`);
      return 0;
    }
    if (a === '--backend') {
      const b = argv[++i];
      if (b !== 'auto' && b !== 'webgpu' && b !== 'interpreter') usage(`--backend takes auto, webgpu or interpreter, not ${b ?? 'nothing'}`);
      backend = b;
    } else if (a.startsWith('-')) {
      usage(`unknown option ${a}`);
    } else {
      if (!EXAMPLES.some((e) => e.name === a)) usage(`no example named '${a}' (try --list)`);
      names.push(a);
    }
  }
  const chosen = names.length === 0 ? EXAMPLES : EXAMPLES.filter((e) => names.includes(e.name));
  const device = await init({ backend });
  console.log(`device: ${device.describe()}`);
  let failures = 0;
  for (const check of chosen) {
    const c = check.make(device);
    const err = await runCheck(check, c);
    const t = await check.kernel.measure(c.args, { repeats: 10, maxMs: 1000 });
    const ok = err <= check.tolerance;
    if (!ok) failures++;
    const shapes = c.args.map((a) => (typeof a === 'number' ? String(a) : `[${a.shape.join('×')}]`)).join(', ');
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${check.name.padEnd(18)} ${shapes.padEnd(34)} max|err| ${err.toExponential(2)} (tolerance ${check.tolerance})  ${t.medianMs.toFixed(3)} ms`);
    for (const a of c.args) if (typeof a !== 'number') a.destroy();
  }
  device.dispose();
  return failures === 0 ? 0 : 1;
}

main(process.argv.slice(2).filter((a) => a !== '--')).then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
