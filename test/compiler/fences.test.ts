// Barrier elision (wgsl/fences.ts): a workgroup barrier stays exactly where an access
// after it conflicts with one before it (a write and any access of the same array), with
// loops and branches taken conservatively. End to end, every kernel of the conformance
// suite runs with the elided barriers on WebGPU; here the decisions themselves.
import { describe, expect, it } from 'vitest';
import { elideBarriers } from '../../packages/compiler/src/wgsl/fences.ts';

const B = 'workgroupBarrier();';
const barriers = (body: string): number => body.split('\n').filter((l) => l.trim() === B).length;
const run = (lines: readonly string[], arrays = ['a', 'b']): string[] => elideBarriers(lines.join('\n'), arrays).split('\n').map((l) => l.trim());

describe('barrier elision', () => {
  it('keeps a barrier between a write and another invocation’s read of the same array', () => {
    const out = run(['a[lid] = 1.0;', B, 'let x = a[lid + 1];']);
    expect(out).toEqual(['a[lid] = 1.0;', B, 'let x = a[lid + 1];']);
  });

  it('keeps a barrier between a read and a later write (the old value may still be read)', () => {
    expect(barriers(run(['let x = a[lid + 1];', B, 'a[lid] = 2.0;']).join('\n'))).toBe(1);
  });

  it('drops barriers that separate different arrays, reads from reads, or nothing', () => {
    expect(barriers(run([B, 'a[lid] = 1.0;']).join('\n'))).toBe(0);
    expect(barriers(run(['a[lid] = 1.0;', B, 'b[lid] = 2.0;']).join('\n'))).toBe(0);
    expect(barriers(run(['let x = a[0];', B, 'let y = a[1];']).join('\n'))).toBe(0);
    expect(barriers(run(['let x = 1.0;', B, 'let y = 2.0;']).join('\n'))).toBe(0);
  });

  it('keeps one of two barriers with nothing conflicting between them', () => {
    const out = run(['a[lid] = 1.0;', B, 'b[lid] = 2.0;', B, 'let x = a[lid + 1];']);
    expect(barriers(out.join('\n'))).toBe(1);
    // The write of a is ordered before the read of a.
    expect(out.indexOf(B)).toBeGreaterThan(out.indexOf('a[lid] = 1.0;'));
    expect(out.indexOf(B)).toBeLessThan(out.indexOf('let x = a[lid + 1];'));
  });

  it('does not mistake a comparison or a longer name for a write of the array', () => {
    expect(barriers(run(['let ok = a[0] == 1.0;', B, 'let y = a[1];']).join('\n'))).toBe(0);
    expect(barriers(run(['ab[lid] = 1.0;', B, 'let y = a[1];'], ['a', 'ab']).join('\n'))).toBe(0);
    expect(barriers(run(['atomicAdd(&a, 1u);', B, 'let y = atomicLoad(&a);']).join('\n'))).toBe(1);
  });

  it('keeps the barrier a loop needs for its next iteration', () => {
    const loop = ['for (var i = 0; i < n; i++) {', 'let x = a[lid + 1];', B, 'a[lid] = x;', B, '}'];
    const out = run(loop);
    // Read then write (this iteration), write then read (the next one): both stay.
    expect(barriers(out.join('\n'))).toBe(2);
  });

  it('drops a loop-top barrier when the previous iteration ends fenced and the loop starts fresh', () => {
    const loop = ['for (var i = 0; i < n; i++) {', B, 'a[lid] = 1.0;', B, 'let x = a[lid + 1];', B, '}'];
    const out = run(loop);
    expect(out[1]).toBe('a[lid] = 1.0;');
    expect(barriers(out.join('\n'))).toBe(2);
  });

  it('keeps every barrier inside a branch, and treats loops without barriers as straight code', () => {
    expect(barriers(run(['if (u.n > 0) {', B, 'let x = 1.0;', '}']).join('\n'))).toBe(1);
    const strided = ['for (var e = lid; e < 64; e += 16) {', 'a[e] = 0.0;', '}', B, 'for (var e = lid; e < 64; e += 16) {', 'b[e] = a[63 - e];', '}'];
    expect(barriers(run(strided).join('\n'))).toBe(1);
  });

  it('leaves a body whose braces it cannot pair alone', () => {
    const odd = ['a[lid] = 1.0;', B, '}', 'b[lid] = 1.0;'].join('\n');
    expect(elideBarriers(odd, ['a', 'b'])).toBe(odd);
  });
});
