/** The min-heap behind the scheduler and the enabled watchers' shortest values. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heapAdd, heapMove, heapRemove, type HeapItem } from '../../src/lib/core/heap.js';

type Item = HeapItem & { id: number };

type Op = { kind: 'add'; due: number } | { kind: 'move'; pick: number; due: number } | { kind: 'remove'; pick: number } | { kind: 'removeFirst' };

const dueArb = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(Infinity));
const opArb: fc.Arbitrary<Op> = fc.oneof(
	fc.record({ kind: fc.constant('add' as const), due: dueArb }),
	fc.record({ kind: fc.constant('move' as const), pick: fc.nat(1000), due: dueArb }),
	fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(1000) }),
	fc.constant({ kind: 'removeFirst' as const })
);

describe('heap', () => {
	it('keeps the smallest due first and every item at its slot through any adds, moves and removals', () => {
		fc.assert(
			fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
				const heap: Item[] = [];
				const present: Item[] = [];
				let id = 0;
				for (const op of ops) {
					if (op.kind === 'add') {
						const item: Item = { id: id++, due: op.due, slot: -1 };
						heapAdd(heap, item);
						present.push(item);
					} else if (present.length === 0) {
						continue;
					} else if (op.kind === 'move') {
						heapMove(heap, present[op.pick % present.length] as Item, op.due);
					} else {
						const item = op.kind === 'remove' ? (present[op.pick % present.length] as Item) : (heap[0] as Item);
						heapRemove(heap, item);
						present.splice(present.indexOf(item), 1);
						expect(item.slot).toBe(-1);
					}
					expect(heap.length).toBe(present.length);
					heap.forEach((item, slot) => {
						expect(item.slot).toBe(slot);
						if (slot > 0) expect((heap[(slot - 1) >> 1] as Item).due).toBeLessThanOrEqual(item.due);
					});
					expect(heap[0]?.due ?? Infinity).toBe(Math.min(Infinity, ...present.map((item) => item.due)));
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('gives out items in order of due when the first is taken out again and again', () => {
		const heap: Item[] = [];
		const dues = [5, 3, 9, 1, 7, 3, 0, 8];
		dues.forEach((due, id) => heapAdd(heap, { id, due, slot: -1 }));
		const out: number[] = [];
		while (heap.length > 0) {
			const first = heap[0] as Item;
			out.push(first.due);
			heapRemove(heap, first);
		}
		expect(out).toEqual([...dues].sort((a, b) => a - b));
	});
});
