/**
 * Every conformance case, in one list (cases.ts: elementwise/reductions/control;
 * cases-more.ts: @, scans, atomics; cases-grid.ts: grid loops; cases-transpose.ts; cases-gather.ts: integer tile indices;
 * cases-language.ts: positions, unit-axis views, causal attention; cases-ordering.ts: reading back
 * what a tile's own program stored; cases-batched-dot.ts: `@` over 3-D tiles; cases-shapes.ts:
 * output dims as expressions, offset stores; cases-slices.ts: bounded slices and scatters;
 * cases-block-size.ts: declared block sizes; cases-bits.ts: bitwise operators, random numbers;
 * cases-index-range.ts: run-time scalar indices outside their dim; cases-literals.ts: hex
 * literals, edge values, compound bitwise assignments; cases-nonfinite.ts: reductions of rows
 * holding infinities).
 */
import { BASE_CASES, type ConformanceCase } from './cases.ts';
import { MORE_CASES } from './cases-more.ts';
import { GRID } from './cases-grid.ts';
import { TRANSPOSE } from './cases-transpose.ts';
import { GATHER } from './cases-gather.ts';
import { LANGUAGE } from './cases-language.ts';
import { ORDERING } from './cases-ordering.ts';
import { BATCHED_DOT } from './cases-batched-dot.ts';
import { SHAPES } from './cases-shapes.ts';
import { SCATTER, SLICES } from './cases-slices.ts';
import { BLOCK_SIZE } from './cases-block-size.ts';
import { BITS } from './cases-bits.ts';
import { INDEX_RANGE } from './cases-index-range.ts';
import { LITERALS } from './cases-literals.ts';
import { NONFINITE } from './cases-nonfinite.ts';

export const ALL_CASES: ConformanceCase[] = [...BASE_CASES, ...MORE_CASES, ...GRID, ...TRANSPOSE, ...GATHER, ...LANGUAGE, ...ORDERING, ...BATCHED_DOT, ...SHAPES, ...SLICES, ...SCATTER, ...BLOCK_SIZE, ...BITS, ...INDEX_RANGE, ...LITERALS, ...NONFINITE];
