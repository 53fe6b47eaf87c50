import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyCode } from '../../src/lib/core/key-code.js';
import { KeyMap, type Keyed } from '../../src/lib/core/key-map.js';
import { hashKey, normalizeKey, type KeyParts } from '../../src/lib/core/key.js';

interface Item extends Keyed {
	name: string;
}

function item(name: string, code = keyCode([name])): Item {
	return { name, code, parts: [name], position: -1 };
}

/** A map holding entries of the keys ['a'] and ['b'], both given the code 7. */
function twoSharingACode(): { map: KeyMap<Item>; a: Item; b: Item } {
	const map = new KeyMap<Item>();
	const a = item('a', 7);
	const b = item('b', 7);
	map.add(a);
	map.add(b);
	return { map, a, b };
}

function walked(map: KeyMap<Item>): string[] {
	return map.toArray().map((entry) => entry.name);
}

describe('KeyMap', () => {
	it('finds an entry by an equal key and tells it apart from another sharing its code', () => {
		const { map, a, b } = twoSharingACode();
		expect(map.find(['a'], 7)).toBe(a);
		expect(map.find(['b'], 7)).toBe(b);
		expect(map.find(['c'], 7)).toBeUndefined();
		map.delete(a);
		expect(map.find(['a'], 7)).toBeUndefined();
		expect(map.find(['b'], 7)).toBe(b);
	});

	it('finds a key among hundreds sharing its code without comparing it to each (crafted keys cannot make lookups linear)', () => {
		const map = new KeyMap<Item>();
		const items = Array.from({ length: 500 }, (_, i) => item(`k${i}`, 7));
		for (const entry of items) map.add(entry);
		let reads = 0;
		// A key that counts how often its part is read: a chain walk reads it once per entry compared.
		const counted = (name: string) => new Proxy([name], { get: (target, property, receiver) => (property === '0' && reads++, Reflect.get(target, property, receiver)) });
		expect(map.find(counted('k250'), 7)).toBe(items[250]);
		expect(map.find(counted('k999'), 7)).toBeUndefined();
		expect(reads).toBeLessThan(10);
		for (const entry of items.slice(0, 490)) expect(map.delete(entry)).toBe(true);
		expect(map.find(['k250'], 7)).toBeUndefined();
		expect(map.find(['k495'], 7)).toBe(items[495]);
		expect(walked(map)).toEqual(items.slice(490).map((entry) => entry.name));
		for (const entry of items.slice(490)) expect(map.delete(entry)).toBe(true);
		expect(map.size).toBe(0);
		expect(map.find(['k495'], 7)).toBeUndefined();
	});

	it('tells a key from a longer one sharing its code', () => {
		const map = new KeyMap<Item>();
		const long: Item = { name: 'ab', code: 7, parts: ['a', 'b'], position: -1 };
		const short: Item = { name: 'a', code: 7, parts: ['a'], position: -1 };
		map.add(long);
		map.add(short);
		expect(map.find(['a'], 7)).toBe(short);
		expect(map.find(['a', 'b'], 7)).toBe(long);
	});

	it('still finds the entries added before their shared code got too many to chain', () => {
		const map = new KeyMap<Item>();
		const items = Array.from({ length: 12 }, (_, i) => item(`k${i}`, 7));
		for (const entry of items) map.add(entry);
		for (const entry of items) expect(map.find(entry.parts, 7)).toBe(entry);
	});

	it('walks in insertion order, also across keys sharing a code and after deletions', () => {
		const map = new KeyMap<Item>();
		const items = ['a', 'b', 'c', 'd'].map((name, i) => item(name, i % 2));
		for (const entry of items) map.add(entry);
		expect(walked(map)).toEqual(['a', 'b', 'c', 'd']);
		map.delete(items[1] as Item);
		map.add(item('e'));
		expect(walked(map)).toEqual(['a', 'c', 'd', 'e']);
		expect(map.size).toBe(4);
	});

	it('keeps order, size and membership when deletions compact its list', () => {
		const map = new KeyMap<Item>();
		const items = Array.from({ length: 100 }, (_, i) => item(`k${i}`));
		for (const entry of items) map.add(entry);
		// Deleting 90 of 100 crosses the compaction threshold several times.
		for (const entry of items) if (Number(entry.name.slice(1)) % 10 !== 3) map.delete(entry);
		expect(walked(map)).toEqual(['k3', 'k13', 'k23', 'k33', 'k43', 'k53', 'k63', 'k73', 'k83', 'k93']);
		expect(map.size).toBe(10);
		for (const entry of items) expect(map.has(entry)).toBe(entry.name.endsWith('3'));
		expect(map.delete(items[0] as Item)).toBe(false);
		expect(map.size).toBe(10);
	});

	it('does not visit an entry deleted during a walk, nor skip or repeat the others', () => {
		const map = new KeyMap<Item>();
		const items = Array.from({ length: 40 }, (_, i) => item(`k${i}`));
		for (const entry of items) map.add(entry);
		const seen: string[] = [];
		map.filter(([name]) => {
			seen.push(name as string);
			// Deleting the 30 entries already walked would compact the list mid-walk if it could,
			// moving the rest under the walk's feet; deleting k35 ahead of it must skip k35.
			if (name === 'k30') for (const other of [...items.slice(0, 30), items[35] as Item]) map.delete(other);
			return false;
		});
		const after30 = ['k31', 'k32', 'k33', 'k34', 'k36', 'k37', 'k38', 'k39'];
		expect(seen).toEqual([...items.slice(0, 31).map((entry) => entry.name), ...after30]);
		expect(walked(map)).toEqual(['k30', ...after30]);
	});

	it('tests no entry added during a walk, even after a clear', () => {
		const map = new KeyMap<Item>();
		for (const name of ['a', 'b', 'c']) map.add(item(name));
		const seen: string[] = [];
		map.filter(([name]) => {
			seen.push(name as string);
			if (name === 'a') {
				map.clear();
				for (const added of ['x', 'y', 'z']) map.add(item(added));
			}
			return true;
		});
		expect(seen).toEqual(['a']);
		expect(walked(map)).toEqual(['x', 'y', 'z']);
	});

	it('ends a walk when the map is cleared during it, selecting only what it tested before', () => {
		const map = new KeyMap<Item>();
		const items = ['a', 'b', 'c'].map((name) => item(name));
		for (const entry of items) map.add(entry);
		const seen: string[] = [];
		const selected = map.filter(([name]) => {
			seen.push(name as string);
			map.clear();
			return true;
		});
		expect(seen).toEqual(['a']);
		expect(selected).toEqual([items[0]]);
		expect(map.size).toBe(0);
		expect(items.some((entry) => map.has(entry))).toBe(false);
	});

	it('selects an entry its own test deleted, as it was when tested', () => {
		const map = new KeyMap<Item>();
		const a = item('a');
		const b = item('b');
		map.add(a);
		map.add(b);
		const selected = map.filter(([name]) => {
			if (name === 'a') map.delete(a);
			return true;
		});
		expect(selected).toEqual([a, b]);
		expect(walked(map)).toEqual(['b']);
	});

	it('selects nothing, and throws nothing, before anything was added', () => {
		expect(new KeyMap<Item>().filter(() => true)).toEqual([]);
	});

	it('selects the entries whose parts pass a test, in insertion order', () => {
		const map = new KeyMap<Item>();
		for (const name of ['a1', 'b1', 'a2', 'b2']) map.add(item(name));
		const seen: KeyParts[] = [];
		const selected = map.filter((parts) => {
			seen.push(parts);
			return String(parts[0]).startsWith('a');
		});
		expect(selected.map((entry) => entry.name)).toEqual(['a1', 'a2']);
		expect(seen).toEqual([['a1'], ['b1'], ['a2'], ['b2']]);
	});

	it('hands out the entry found last for an equal key, and nothing for another key, a deleted entry or after a clear', () => {
		const map = new KeyMap<Keyed>();
		const a = { code: keyCode(['a', { n: 1, m: 2 }]), parts: normalizeKey(['a', { n: 1, m: 2 }]), position: -1 };
		const b = { code: keyCode(['b']), parts: normalizeKey(['b']), position: -1 };
		map.add(a);
		map.add(b);
		expect(map.recent(['a', { n: 1, m: 2 }])).toBeUndefined(); // nothing found yet
		expect(map.find(['a', { n: 1, m: 2 }], a.code)).toBe(a);
		expect(map.recent(['a', { m: 2, n: 1 }])).toBe(a);
		expect(map.recent(['a', { n: 1 }])).toBeUndefined();
		expect(map.recent(['b'])).toBeUndefined();
		expect(map.find(['c'], keyCode(['c']))).toBeUndefined(); // a miss keeps the entry found last
		expect(map.recent(['a', { n: 1, m: 2 }])).toBe(a);
		expect(map.find(['b'], b.code)).toBe(b);
		expect(map.recent(['a', { n: 1, m: 2 }])).toBeUndefined();
		expect(map.recent(['b'])).toBe(b);
		map.delete(b);
		expect(map.recent(['b'])).toBeUndefined();
		map.find(['a', { n: 1, m: 2 }], a.code);
		map.clear();
		expect(map.recent(['a', { n: 1, m: 2 }])).toBeUndefined();
	});

	it('takes nothing but an equal array for the key found last: not a string or array-like of the same parts, nor a class instance for an object part', () => {
		const map = new KeyMap<Keyed>();
		const entry = { code: keyCode(['a', 'b', {}]), parts: normalizeKey(['a', 'b', {}]), position: -1 };
		map.add(entry);
		expect(map.find(['a', 'b', {}], entry.code)).toBe(entry);
		expect(map.recent(['a', 'b', Object.create(null)])).toBe(entry); // a null-prototype object is plain
		expect(map.recent(['a', 'b', new Date(0)])).toBeUndefined();
		expect(map.recent(['a', 'b', new (class Filter {})()])).toBeUndefined();
		expect(map.recent(['a', 'b'])).toBeUndefined();
		expect(map.recent('ab{}' as never)).toBeUndefined();
		expect(map.recent({ 0: 'a', 1: 'b', 2: {}, length: 3 } as never)).toBeUndefined();
	});

	it('keeps handing out the entry found last when another entry is deleted', () => {
		const map = new KeyMap<Keyed>();
		const a = { code: keyCode(['a']), parts: normalizeKey(['a']), position: -1 };
		const b = { code: keyCode(['b']), parts: normalizeKey(['b']), position: -1 };
		map.add(a);
		map.add(b);
		expect(map.find(['a'], a.code)).toBe(a);
		expect(map.delete(b)).toBe(true);
		expect(map.recent(['a'])).toBe(a);
	});

	it('keeps handing out the entry found last when a lookup misses among keys sharing a code', () => {
		const { map, a, b } = twoSharingACode();
		expect(map.find(['a'], 7)).toBe(a);
		expect(map.find(['c'], 7)).toBeUndefined();
		expect(map.recent(['a'])).toBe(a);
	});

	it('takes no undefined, null or primitive part for an object part of the key found last, nor an object for its null or number part, and throws nothing', () => {
		const map = new KeyMap<Keyed>();
		const entry = { code: keyCode(['a', {}, null, 5]), parts: normalizeKey(['a', {}, null, 5]), position: -1 };
		map.add(entry);
		expect(map.find(['a', {}, null, 5], entry.code)).toBe(entry);
		expect(map.recent(['a', {}, null, 5])).toBe(entry);
		expect(map.recent(['a', undefined, null, 5])).toBeUndefined();
		expect(map.recent(['a', null, null, 5])).toBeUndefined();
		expect(map.recent(['a', 1, null, 5])).toBeUndefined();
		expect(map.recent(['a', {}, {}, 5])).toBeUndefined();
		expect(map.recent(['a', {}, null, {}])).toBeUndefined();
	});

	it('takes no key with an undefined property for the key found last (keyCode counts it against the part budget), though find matches it', () => {
		const map = new KeyMap<Keyed>();
		const entry = { code: keyCode(['a', { n: 1 }]), parts: normalizeKey(['a', { n: 1 }]), position: -1 };
		map.add(entry);
		expect(map.find(['a', { n: 1, x: undefined }], entry.code)).toBe(entry);
		expect(map.recent(['a', { n: 1 }])).toBe(entry);
		expect(map.recent(['a', { n: 1, x: undefined }])).toBeUndefined();
		expect(map.recent(['a', { x: undefined, n: 1 }])).toBeUndefined();
	});

	it('property: the entry found last is handed out for an equal key and only then, whatever was added, deleted or cleared', () => {
		// The fourth equals the third but holds an undefined property, which only find's comparison skips.
		const pool: KeyParts[] = [['a'], ['a', 1], ['a', { n: 1, m: 2 }], ['a', { m: 2, n: 1, x: undefined } as never], ['a', { n: 1 }], ['b', [1, { x: null }]]];
		const operation = fc.oneof(
			fc.record({ type: fc.constant('add' as const), key: fc.nat(pool.length - 1) }),
			fc.record({ type: fc.constant('delete' as const), key: fc.nat(pool.length - 1) }),
			fc.record({ type: fc.constant('clear' as const) }),
			{ weight: 3, arbitrary: fc.record({ type: fc.constant('find' as const), key: fc.nat(pool.length - 1) }) },
			{ weight: 3, arbitrary: fc.record({ type: fc.constant('recent' as const), key: fc.nat(pool.length - 1) }) }
		);
		fc.assert(
			fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
				const map = new KeyMap<Keyed>();
				const model = new Map<string, Keyed>();
				let foundLast: Keyed | undefined;
				for (const op of operations) {
					const key = op.type === 'clear' ? [] : (structuredClone(pool[op.key]) as KeyParts);
					const live = model.get(hashKey(key));
					if (op.type === 'add' && !live) {
						const entry = { code: keyCode(key), parts: normalizeKey(key), position: -1 };
						map.add(entry);
						model.set(hashKey(key), entry);
					} else if (op.type === 'delete' && live) {
						map.delete(live);
						model.delete(hashKey(key));
						if (foundLast === live) foundLast = undefined;
					} else if (op.type === 'clear') {
						map.clear();
						model.clear();
						foundLast = undefined;
					} else if (op.type === 'find') {
						expect(map.find(key, keyCode(key))).toBe(live);
						if (live) foundLast = live;
					} else if (op.type === 'recent') {
						const exact = op.key !== 3;
						expect(map.recent(key)).toBe(foundLast !== undefined && foundLast === live && exact ? live : undefined);
					}
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('property: after any adds and deletes, walks, size, has and find agree with a plain list', () => {
		const operation = fc.oneof(
			fc.record({ type: fc.constant('add' as const), name: fc.integer({ min: 0, max: 60 }), code: fc.integer({ min: 0, max: 5 }) }),
			fc.record({ type: fc.constant('delete' as const), name: fc.integer({ min: 0, max: 60 }) }),
			fc.record({ type: fc.constant('clear' as const) })
		);
		fc.assert(
			fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
				const map = new KeyMap<Item>();
				let model: Item[] = [];
				for (const op of operations) {
					const name = op.type === 'clear' ? '' : `k${op.name}`;
					const live = model.find((entry) => entry.name === name);
					if (op.type === 'add' && !live) {
						const entry = item(name, op.code);
						map.add(entry);
						model.push(entry);
					} else if (op.type === 'delete' && live) {
						expect(map.delete(live)).toBe(true);
						model = model.filter((entry) => entry !== live);
					} else if (op.type === 'clear') {
						map.clear();
						model = [];
					}
				}
				expect(walked(map)).toEqual(model.map((entry) => entry.name));
				expect(map.size).toBe(model.length);
				for (const entry of model) {
					expect(map.has(entry)).toBe(true);
					expect(map.find([entry.name], entry.code)).toBe(entry);
				}
			}),
			{ numRuns: 200 }
		);
	});
});
