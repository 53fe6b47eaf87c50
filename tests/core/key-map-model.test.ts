/** KeyMap against a plain Map model, codes forced to collide, memo of the last miss. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyMap, type Keyed } from '../../src/lib/core/key-map.js';
import { hashKey } from '../../src/lib/core/key.js';
import { HEAVY_TEST_TIMEOUT } from './helpers.js';

interface Item extends Keyed {
	name: string;
}

type Op =
	| { t: 'find'; k: number; c: number }
	| { t: 'add'; k: number; c: number }
	| { t: 'findAdd'; k: number; c: number }
	| { t: 'delete'; k: number }
	| { t: 'clear' }
	| { t: 'selectDeleting'; k: number; every: number }
	| { t: 'selectAdding'; k: number; c: number };

const K = 30;
const C = 3; // few codes: buckets of one, arrays, and Maps (> 8 keys on one code)
const opArb: fc.Arbitrary<Op> = fc.oneof(
	fc.record({ t: fc.constant('find' as const), k: fc.nat(K - 1), c: fc.nat(C - 1) }),
	fc.record({ t: fc.constant('add' as const), k: fc.nat(K - 1), c: fc.nat(C - 1) }),
	{ weight: 3, arbitrary: fc.record({ t: fc.constant('findAdd' as const), k: fc.nat(K - 1), c: fc.nat(C - 1) }) },
	fc.record({ t: fc.constant('delete' as const), k: fc.nat(K - 1) }),
	{ weight: 1, arbitrary: fc.constant({ t: 'clear' as const }) },
	fc.record({ t: fc.constant('selectDeleting' as const), k: fc.nat(K - 1), every: fc.integer({ min: 1, max: 3 }) }),
	fc.record({ t: fc.constant('selectAdding' as const), k: fc.nat(K - 1), c: fc.nat(C - 1) })
);

describe('KeyMap matches a Map model', () => {
	it('finds, adds, deletes, clears and walks in insertion order like a Map keyed by hash, with colliding codes and the miss memo', () => {
		fc.assert(
			fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
				const map = new KeyMap<Item>();
				const model = new Map<string, Item>(); // by canonical text, insertion-ordered
				const codeOf = new Map<string, number>(); // a key keeps its code while in the map
				const make = (k: number, c: number): Item => ({ name: `k${k}`, code: c, parts: Object.freeze([`k${k}`]), position: -1 });
				const find = (k: number) => {
					const name = `k${k}`;
					const code = codeOf.get(name);
					return code === undefined ? undefined : map.find([name], code);
				};
				const tryAdd = (k: number, c: number) => {
					const name = `k${k}`;
					if (model.has(hashKey([name]))) return;
					const item = make(k, c);
					map.add(item);
					model.set(hashKey([name]), item);
					codeOf.set(name, c);
				};
				for (const op of ops) {
					switch (op.t) {
						case 'find': {
							// A lookup by the code the key would have now (maybe a miss on a code other keys use).
							const name = `k${op.k}`;
							const code = codeOf.get(name) ?? op.c;
							expect(map.find([name], code)).toBe(model.get(hashKey([name])));
							break;
						}
						case 'add':
							tryAdd(op.k, op.c);
							break;
						case 'findAdd': {
							// The client's pattern: find misses, then the entry is added with that code.
							const name = `k${op.k}`;
							const code = codeOf.get(name) ?? op.c;
							const found = map.find([name], code);
							expect(found).toBe(model.get(hashKey([name])));
							if (!found) tryAdd(op.k, code);
							break;
						}
						case 'delete': {
							const item = model.get(hashKey([`k${op.k}`]));
							expect(map.delete(item ?? make(op.k, 0))).toBe(item !== undefined);
							if (item) {
								model.delete(hashKey([item.name]));
								codeOf.delete(item.name);
								// Deleting it again is refused and changes nothing.
								expect(map.delete(item)).toBe(false);
							}
							break;
						}
						case 'clear':
							map.clear();
							model.clear();
							codeOf.clear();
							break;
						case 'selectDeleting': {
							// A predicate that deletes entries (others and itself) and finds/adds a key meanwhile.
							let i = 0;
							const expected = [...model.values()];
							const tested: string[] = [];
							const selected = map.filter((parts) => {
								tested.push(parts[0] as string);
								if (i++ % op.every === 0) {
									const item = model.get(hashKey(parts));
									if (item) {
										map.delete(item);
										model.delete(hashKey(parts));
										codeOf.delete(item.name);
									}
								}
								return true;
							});
							// Each entry present at the start is tested once, in order, unless deleted before its turn.
							expect(tested.length).toBeLessThanOrEqual(expected.length);
							expect(tested).toEqual(expected.map((item) => item.name).filter((name) => tested.includes(name)));
							// Every tested entry is selected (the test says yes), itself even if the test deleted it.
							expect(selected.map((item) => item.name)).toEqual(tested);
							break;
						}
						case 'selectAdding': {
							const before = [...model.values()].map((item) => item.name);
							const tested: string[] = [];
							map.filter((parts) => {
								tested.push(parts[0] as string);
								const name = `k${op.k}`;
								if (find(op.k) === undefined) {
									expect(map.find([name], op.c)).toBe(model.get(hashKey([name])));
									tryAdd(op.k, op.c);
								}
								return false;
							});
							expect(tested).toEqual(before); // added ones are not tested
							break;
						}
					}
					expect(map.size).toBe(model.size);
					expect(map.toArray()).toEqual([...model.values()]);
					for (const [text, item] of model) {
						expect(map.has(item)).toBe(true);
						expect(map.find(JSON.parse(text) as string[], item.code)).toBe(item);
					}
				}
			}),
			{ numRuns: 1500 }
		);
	}, HEAVY_TEST_TIMEOUT);

	it('adds a colliding key right after a miss on its code that a third key caused', () => {
		const map = new KeyMap<Item>();
		const item = (name: string, code: number): Item => ({ name, code, parts: [name], position: -1 });
		const a = item('a', 5);
		map.add(a);
		map.delete(a);
		expect(map.find(['b'], 5)).toBeUndefined(); // memo: 5
		const c = item('c', 5);
		map.add(c); // skips the lookup: right, 5 has no bucket
		const d = item('d', 5);
		expect(map.find(['d'], 5)).toBeUndefined(); // a bucket now: no memo
		map.add(d);
		expect(map.find(['c'], 5)).toBe(c);
		expect(map.find(['d'], 5)).toBe(d);
		map.clear();
		expect(map.find(['e'], 5)).toBeUndefined();
		map.clear();
		const e = item('e', 5);
		map.add(e);
		expect(map.find(['e'], 5)).toBe(e);
		expect(map.size).toBe(1);
	});
});
