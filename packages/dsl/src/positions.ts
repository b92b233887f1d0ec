/**
 * Offsets → 1-based line/column positions in the kernel source. Built once per parse:
 * chevrotain tracks only offsets (cheaper), and every span is made here.
 */
import type { Pos, Span } from './ast.ts';

export class LineIndex {
  /** Offset of the first character of each line; `starts[0]` is 0. */
  private readonly starts: number[];
  readonly length: number;

  constructor(text: string) {
    this.length = text.length;
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  /** The position of `offset`, clamped into the text (so a bad offset never throws). */
  pos(offset: number): Pos {
    const o = Number.isFinite(offset) ? Math.min(Math.max(0, Math.trunc(offset)), this.length) : this.length;
    // Binary search for the last line start <= o.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { offset: o, line: lo + 1, col: o - (this.starts[lo] ?? 0) + 1 };
  }

  /** A span over [start, end) offsets; `end` is raised to `start` if smaller. */
  span(start: number, end: number): Span {
    const s = this.pos(start);
    const e = this.pos(Math.max(s.offset, end));
    return { start: s, end: e };
  }
}

/** The smallest span covering both. */
export function joinSpans(a: Span, b: Span): Span {
  return {
    start: a.start.offset <= b.start.offset ? a.start : b.start,
    end: a.end.offset >= b.end.offset ? a.end : b.end,
  };
}
