/** DenseList must walk exactly as a Set's for-of walk did, under re-entrancy. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DenseList, type Placed } from '../../src/lib/core/dense-list.js';
import { HEAVY_TEST_TIMEOUT } from './helpers.js';

interface Item extends Placed {
	id: number;
}

type Op = { kind: 'delete'; pick: number } | { kind: 'add' } | { kind: 'deleteSelf' } | { kind: 'readd'; pick: number } | { kind: 'nested' } | { kind: 'stop' } | { kind: 'throw' } | { kind: 'none' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
	fc.record({ kind: fc.constant('delete' as const), pick: fc.nat(1000) }),
	fc.constant({ kind: 'add' as const }),
	fc.constant({ kind: 'deleteSelf' as const }),
	fc.record({ kind: fc.constant('readd' as const), pick: fc.nat(1000) }),
	fc.constant({ kind: 'nested' as const }),
	fc.constant({ kind: 'stop' as const }),
	fc.constant({ kind: 'throw' as const }),
	fc.constant({ kind: 'none' as const })
);

/** Abstract list: the same script runs on a Set (the reference) and on a DenseList. */
interface Impl {
	add(item: Item): void;
	delete(item: Item): void;
	has(item: Item): boolean;
	size(): number;
	walk(visit: (item: Item) => boolean | void): void;
	ids(): number[];
}

function setImpl(): Impl {
	const set = new Set<Item>();
	return {
		add: (item) => void set.add(item),
		delete: (item) => void set.delete(item),
		has: (item) => set.has(item),
		size: () => set.size,
		walk: (visit) => {
			for (const item of set) if (visit(item)) return;
		},
		ids: () => [...set].map((item) => item.id)
	};
}

function denseImpl(): Impl {
	const list = new DenseList<Item>();
	return {
		add: (item) => list.add(item),
		delete: (item) => list.delete(item),
		has: (item) => list.has(item),
		size: () => list.size,
		walk: (visit) => list.walk(visit),
		ids: () => {
			const out: number[] = [];
			list.walk((item) => void out.push(item.id));
			return out;
		}
	};
}

function run(impl: Impl, initial: number, script: Op[], outerWalks: number): string[] {
	const log: string[] = [];
	const all: Item[] = [];
	let next = 0;
	const make = () => {
		const item = { id: next++, position: -1 };
		all.push(item);
		return item;
	};
	for (let i = 0; i < initial; i++) impl.add(make());
	let cursor = 0;
	let budget = 400;
	const visit = (depth: number) => (item: Item): boolean | void => {
		log.push(`${depth}:${item.id}`);
		if (--budget < 0) return true;
		const op = script[cursor++ % script.length] as Op;
		switch (op.kind) {
			case 'delete': {
				const present = all.filter((x) => impl.has(x));
				const victim = present[op.pick % Math.max(1, present.length)];
				if (victim) impl.delete(victim);
				return;
			}
			case 'add':
				impl.add(make());
				return;
			case 'deleteSelf':
				if (impl.has(item)) impl.delete(item);
				return;
			case 'readd': {
				const gone = all.filter((x) => !impl.has(x));
				const back = gone[op.pick % Math.max(1, gone.length)];
				if (back) impl.add(back);
				return;
			}
			case 'nested':
				if (depth < 3) {
					try {
						impl.walk(visit(depth + 1));
					} catch {
						log.push('caught');
					}
				}
				return;
			case 'stop':
				return true;
			case 'throw':
				throw new Error('listener threw');
			default:
				return;
		}
	};
	for (let w = 0; w < outerWalks; w++) {
		try {
			impl.walk(visit(0));
		} catch {
			log.push('caught-outer');
		}
		log.push(`size=${impl.size()} ids=${impl.ids().join(',')}`);
	}
	// Churn after the walks: delete everything but one, a lot, and check has/size.
	const present = all.filter((x) => impl.has(x));
	for (const x of present.slice(1)) impl.delete(x);
	for (let i = 0; i < 40; i++) impl.add(make());
	for (const x of all.filter((y) => impl.has(y)).filter((_, i) => i % 3 === 0)) impl.delete(x);
	log.push(`final size=${impl.size()} ids=${impl.ids().join(',')} has=${all.map((x) => (impl.has(x) ? 1 : 0)).join('')}`);
	return log;
}

describe('DenseList walks as a Set did', () => {
	it('visits, skips and counts exactly as a Set under random re-entrant adds, deletes, re-adds, nested walks, stops and throws', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 40 }), fc.array(opArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 3 }), (initial, script, walks) => {
				expect(run(denseImpl(), initial, script, walks)).toEqual(run(setImpl(), initial, script, walks));
			}),
			{ numRuns: 3000 }
		);
	}, HEAVY_TEST_TIMEOUT);

	it('compacts again after a walk whose visitor threw (the walking counter is restored)', () => {
		const list = new DenseList<Item>();
		const items = Array.from({ length: 40 }, (_, id) => ({ id, position: -1 }));
		for (const item of items) list.add(item);
		expect(() =>
			list.walk(() => {
				throw new Error('boom');
			})
		).toThrow('boom');
		for (const item of items.slice(0, 20)) list.delete(item);
		// Compacted (20 holes of 40): the survivors are at 0..19 again.
		expect(items.slice(20).map((item) => item.position)).toEqual(Array.from({ length: 20 }, (_, i) => i));
		expect(list.size).toBe(20);
		// And the right item is deleted by its (new) index.
		list.delete(items[35] as Item);
		expect(list.has(items[34] as Item)).toBe(true);
		expect(list.has(items[36] as Item)).toBe(true);
		expect(list.has(items[35] as Item)).toBe(false);
		expect(list.size).toBe(19);
	});

	it('keeps deleting the right item after a compaction that ran at the end of a walk', () => {
		const list = new DenseList<Item>();
		const items = Array.from({ length: 64 }, (_, id) => ({ id, position: -1 }));
		for (const item of items) list.add(item);
		list.walk((item) => {
			if (item.id % 4 !== 0) list.delete(item);
		});
		const left = items.filter((item) => item.id % 4 === 0);
		expect(left.map((item) => item.position)).toEqual(left.map((_, i) => i));
		list.delete(left[5] as Item);
		const seen: number[] = [];
		list.walk((item) => void seen.push(item.id));
		expect(seen).toEqual(left.filter((_, i) => i !== 5).map((item) => item.id));
	});

	it('ends a walk when the list is cleared during it, keyed or not, and leaves every item in no list', () => {
		for (const keyed of [false, true]) {
			const list = new DenseList<Item, string>();
			const items = Array.from({ length: 3 }, (_, id) => ({ id, position: -1 }));
			for (const item of items) list.add(item, keyed ? `k${item.id}` : undefined);
			const seen: number[] = [];
			list.walk((item) => {
				seen.push(item.id);
				list.clear();
			});
			expect(seen).toEqual([0]);
			expect(items.map((item) => item.position)).toEqual([-1, -1, -1]);
			expect(list.size).toBe(0);
			expect(items.some((item) => list.has(item))).toBe(false);
		}
	});
});
