/**
 * jax-js calls iterator helpers (`iterator.map(…)`, ES2025), which Node gained in 22.
 * On older Node the benchmark installs the few it needs, lazily, on the shared iterator
 * prototype, so the jax-js peer runs instead of failing. Nothing is replaced where the
 * runtime has them.
 */
type Iter = Iterator<unknown> & Iterable<unknown>;

export function installIteratorHelpers(): void {
  const proto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as Record<string, unknown>;
  const define = (name: string, fn: (this: Iter, ...args: never[]) => unknown): void => {
    if (!(name in proto)) Object.defineProperty(proto, name, { value: fn, configurable: true, writable: true });
  };
  define('map', function* (this: Iter, f: (x: unknown, i: number) => unknown) {
    let i = 0;
    for (const x of this) yield f(x, i++);
  });
  define('filter', function* (this: Iter, f: (x: unknown, i: number) => boolean) {
    let i = 0;
    for (const x of this) if (f(x, i++)) yield x;
  });
  define('flatMap', function* (this: Iter, f: (x: unknown, i: number) => Iterable<unknown>) {
    let i = 0;
    for (const x of this) yield* f(x, i++);
  });
  define('toArray', function (this: Iter) {
    return [...this];
  });
  define('forEach', function (this: Iter, f: (x: unknown, i: number) => void) {
    let i = 0;
    for (const x of this) f(x, i++);
  });
  define('some', function (this: Iter, f: (x: unknown, i: number) => boolean) {
    let i = 0;
    for (const x of this) if (f(x, i++)) return true;
    return false;
  });
  define('every', function (this: Iter, f: (x: unknown, i: number) => boolean) {
    let i = 0;
    for (const x of this) if (!f(x, i++)) return false;
    return true;
  });
  define('find', function (this: Iter, f: (x: unknown, i: number) => boolean) {
    let i = 0;
    for (const x of this) if (f(x, i++)) return x;
    return undefined;
  });
  define('reduce', function (this: Iter, f: (acc: unknown, x: unknown, i: number) => unknown, ...init: unknown[]) {
    let i = 0;
    let acc: unknown;
    let first = init.length === 0;
    if (!first) acc = init[0];
    for (const x of this) {
      if (first) {
        acc = x;
        first = false;
      } else {
        acc = f(acc, x, i);
      }
      i++;
    }
    return acc;
  });
}
