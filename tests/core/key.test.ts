import { describe, expect, it } from 'vitest';
import {
	QoraClient,
	QoraKey,
	equalsKey,
	hashKey,
	keyStartsWith,
	normalizeKey,
	type KeyInput,
	type QueryKeyInput
} from '../../src/lib/index.js';

/** Lets a test hand the key functions something the types forbid. */
const asKey = (value: unknown) => value as KeyInput;

class Point {
	constructor(
		readonly x: number,
		readonly y: number
	) {}
}

function isDeeplyFrozen(value: unknown): boolean {
	if (typeof value !== 'object' || value === null) return true;
	return Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen);
}

/** An array key nested `levels` deep in total, the key array itself included. */
function nestedArrays(levels: number): unknown[] {
	let inner: unknown[] = ['leaf'];
	for (let i = 1; i < levels; i++) inner = [inner];
	return inner;
}

/** A key whose part 0 is an object nested `levels` objects deep. */
function nestedObjects(levels: number): unknown[] {
	let inner: Record<string, unknown> = { leaf: true };
	for (let i = 1; i < levels; i++) inner = { a: inner };
	return [inner];
}

describe('QoraKey', () => {
	it('new QoraKey(parts) keeps the parts', () => {
		expect(new QoraKey(['todos', 1]).parts).toEqual(['todos', 1]);
	});

	it('QoraKey.single(s) is [s]', () => {
		expect(QoraKey.single('todos').parts).toEqual(['todos']);
	});

	it('QoraKey.withId(entity, id) is [entity, id]', () => {
		expect(QoraKey.withId('user', 7).parts).toEqual(['user', 7]);
		expect(QoraKey.withId('user', 'abc').parts).toEqual(['user', 'abc']);
	});

	it('QoraKey.withFilter(entity, filter) is [entity, filter]', () => {
		expect(QoraKey.withFilter('todos', { done: false, page: 2 }).parts).toEqual(['todos', { done: false, page: 2 }]);
	});

	it('QoraKey.from(parts) builds a key from a raw array and returns a QoraKey unchanged', () => {
		const key = QoraKey.from(['a', { b: 1 }]);
		expect(key).toBeInstanceOf(QoraKey);
		expect(key.parts).toEqual(['a', { b: 1 }]);
		expect(QoraKey.from(key)).toBe(key);
	});

	it('parts is a deep copy, deeply frozen, unaffected by later changes to the input', () => {
		const filter = { tags: ['a', 'b'], since: 5 };
		const input = ['todos', filter];
		const key = new QoraKey(input);
		filter.tags.push('c');
		filter.since = 6;
		input.push('extra');
		expect(key.parts).toEqual(['todos', { tags: ['a', 'b'], since: 5 }]);
		expect(isDeeplyFrozen(key.parts)).toBe(true);
		expect(() => (key.parts as unknown[]).push('x')).toThrow(TypeError);
	});

	it('parts cannot be reassigned', () => {
		const key = QoraKey.single('a');
		expect(() => {
			(key as { parts: unknown }).parts = ['b'];
		}).toThrow(TypeError);
		expect(key.parts).toEqual(['a']);
	});

	it('equals() compares structurally, with raw arrays and other QoraKeys', () => {
		const key = QoraKey.withFilter('todos', { a: 1, b: 2 });
		expect(key.equals(['todos', { b: 2, a: 1 }])).toBe(true);
		expect(key.equals(new QoraKey(['todos', { b: 2, a: 1 }]))).toBe(true);
		expect(key.equals(['todos', { a: 1, b: 3 }])).toBe(false);
		expect(key.equals(['todos'])).toBe(false);
	});

	it('converts to its hash wherever a string is expected', () => {
		const key = QoraKey.withFilter('todos', { page: 2, done: false });
		expect(String(key)).toBe('["todos",{"done":false,"page":2}]');
		expect(`${key}`).toBe(key.hash);
	});

	it('the constructor validates like normalizeKey', () => {
		expect(() => new QoraKey(['a', () => 1])).toThrow(TypeError);
		expect(() => new QoraKey(['a', () => 1])).toThrow('key[1]');
		expect(() => QoraKey.withFilter('todos', { since: new Date(0) } as never)).toThrow('key[1].since');
		expect(() => new QoraKey('todos' as never)).toThrow(TypeError);
	});
});

describe('raw arrays and QoraKey are interchangeable', () => {
	it('hit the same cache entry at every API', async () => {
		const client = new QoraClient();
		client.setQueryData(['user', 1], 'raw');
		expect(client.getQueryData(QoraKey.withId('user', 1))).toBe('raw');
		client.setQueryData(QoraKey.withId('user', 1), 'typed');
		expect(client.getQueryData(['user', 1])).toBe('typed');
		expect(client.getState(QoraKey.withId('user', 1))?.data).toBe('typed');
		expect(client.size).toBe(1);

		const fetcher = () => 'fetched';
		await expect(client.fetchQuery({ key: QoraKey.withId('user', 1), fetcher })).resolves.toBe('typed');
		let seen: unknown;
		client.observeQuery(QoraKey.withId('user', 1)).subscribe((state) => (seen = state.data))();
		expect(seen).toBe('typed');
		client.remove(QoraKey.withId('user', 1));
		expect(client.getState(['user', 1])).toBeUndefined();
		expect(client.size).toBe(0);
	});

	it('hash, compare and normalize the same', () => {
		const raw = ['todos', { done: false }];
		const key = QoraKey.withFilter('todos', { done: false });
		expect(hashKey(raw)).toBe(hashKey(key));
		expect(equalsKey(raw, key)).toBe(true);
		expect(normalizeKey(raw)).toEqual(normalizeKey(key));
		expect(keyStartsWith(key, ['todos'])).toBe(true);
		expect(keyStartsWith(raw, QoraKey.single('todos'))).toBe(true);
	});
});

describe('normalizeKey', () => {
	it('returns a deep copy, deeply frozen', () => {
		const inner = { page: 1, tags: ['x'] };
		const input = ['todos', inner, [1, [2]]];
		const parts = normalizeKey(input);
		expect(parts).toEqual(['todos', { page: 1, tags: ['x'] }, [1, [2]]]);
		expect(parts).not.toBe(input);
		expect(parts[1]).not.toBe(inner);
		expect(isDeeplyFrozen(parts)).toBe(true);
		expect(Object.isFrozen(input)).toBe(false);
		expect(Object.isFrozen(inner)).toBe(false);
		inner.page = 2;
		expect(parts).toEqual(['todos', { page: 1, tags: ['x'] }, [1, [2]]]);
	});

	it('keeps every JSON value: strings (with escapes and unicode), numbers, booleans, null, nesting', () => {
		const input = ['a"b\\c\nd\u0001', '😀 é', 0, -1.5, 1e21, true, false, null, [], {}, { x: [null, { y: 'z' }] }];
		expect(normalizeKey(input)).toEqual(input);
	});

	it('accepts objects without a prototype', () => {
		const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
		expect(normalizeKey(['x', bare])).toEqual(['x', { a: 1 }]);
	});

	it('drops object properties whose value is undefined, as JSON does', () => {
		const parts = normalizeKey(['todos', { done: undefined, page: 1, nested: { gone: undefined } }]);
		expect(parts).toEqual(['todos', { page: 1, nested: {} }]);
		expect('done' in (parts[1] as object)).toBe(false);
		expect('gone' in ((parts[1] as { nested: object }).nested)).toBe(false);
		expect(equalsKey(['todos', { done: undefined, page: 1 }], ['todos', { page: 1 }])).toBe(true);
	});

	it('drops symbol-keyed properties, as JSON does', () => {
		const parts = normalizeKey(['todos', { [Symbol('s')]: 1, page: 1 }]);
		expect(parts).toEqual(['todos', { page: 1 }]);
		expect(Object.getOwnPropertySymbols(parts[1] as object)).toEqual([]);
	});

	it('returns the parts of a QoraKey', () => {
		const key = QoraKey.single('a');
		expect(normalizeKey(key)).toBe(key.parts);
	});

	it('throws a TypeError when the key is not an array or a QoraKey', () => {
		for (const bad of ['todos', 1, null, undefined, { 0: 'a', length: 1 }, new Set(['a'])]) {
			expect(() => normalizeKey(asKey(bad))).toThrow(TypeError);
		}
	});

	describe('throws a TypeError naming the path of a part that cannot survive a JSON round trip', () => {
		class Filter {
			since = 1;
		}
		const cases: [string, unknown][] = [
			['a function', () => 1],
			['a symbol', Symbol('s')],
			['a bigint', 10n],
			['NaN', NaN],
			['Infinity', Infinity],
			['-Infinity', -Infinity],
			['a class instance', new Point(1, 2)],
			['a class instance with only plain fields', new Filter()],
			['a Date', new Date(0)],
			['a Map', new Map([['a', 1]])],
			['a Set', new Set([1])],
			['a RegExp', /x/],
			['a boxed string', new String('x')],
			['an Error', new Error('x')],
			['a typed array', new Uint8Array(2)],
			['a promise', Promise.resolve(1)]
		];
		for (const [name, value] of cases) {
			it(`${name} deep inside an object: key[1].filter.since`, () => {
				const key = ['todos', { filter: { since: value } }];
				expect(() => normalizeKey(key)).toThrow(TypeError);
				expect(() => normalizeKey(key)).toThrow(/key\[1\]\.filter\.since\b/);
			});
			it(`${name} as an array element: key[2][0]`, () => {
				expect(() => normalizeKey(['a', 'b', [value]])).toThrow(/key\[2\]\[0\]/);
			});
		}
	});

	it('throws for an undefined array element, naming its index', () => {
		expect(() => normalizeKey(['a', undefined])).toThrow(TypeError);
		expect(() => normalizeKey(['a', undefined])).toThrow(/key\[1\]/);
		expect(() => normalizeKey(['a', { list: [1, undefined] }])).toThrow(/key\[1\]\.list\[1\]/);
	});

	it('throws for a hole in a sparse array', () => {
		// eslint-disable-next-line no-sparse-arrays
		expect(() => normalizeKey(['a', , 'c'])).toThrow(/key\[1\]/);
	});

	it('names a property that is not an identifier with brackets', () => {
		expect(() => normalizeKey(['a', { 'date-from': new Date(0) }])).toThrow('key[1]["date-from"]');
	});

	it('names the first bad part in order', () => {
		expect(() => normalizeKey(['ok', { a: 1, b: NaN }, () => 1])).toThrow(/key\[1\]\.b\b/);
	});

	it('names the bad part that comes after nulls, valid arrays and undefined properties', () => {
		expect(() => normalizeKey([null, ['a'], { skipped: undefined, bad: () => 1 }])).toThrow('Invalid query key: key[2].bad is a function');
		expect(() => normalizeKey([{ a: null, b: [null, [1]] }, undefined])).toThrow('Invalid query key: key[1] is undefined');
	});

	it('turns -0 into 0, as JSON does, so the parts equal their own JSON round trip', () => {
		const parts = normalizeKey([-0, { a: -0 }, [-0]]);
		expect(Object.is(parts[0], 0)).toBe(true);
		expect(parts).toStrictEqual(JSON.parse(JSON.stringify(parts)));
		expect(Object.is(new QoraKey([-0]).parts[0], 0)).toBe(true);
	});

	it('throws for a reference cycle, naming where it closes', () => {
		const node: Record<string, unknown> = { name: 'n' };
		node.self = node;
		expect(() => normalizeKey(['a', node])).toThrow(TypeError);
		expect(() => normalizeKey(['a', node])).toThrow(/key\[1\]\.self\b.*cycle/);
		const list: unknown[] = [1];
		list.push(list);
		expect(() => normalizeKey(['a', list])).toThrow(/key\[1\]\[1\].*cycle/);
	});

	it('accepts the same object twice when it is not a cycle', () => {
		const shared = { a: 1 };
		expect(normalizeKey(['x', shared, [shared]])).toEqual(['x', { a: 1 }, [{ a: 1 }]]);
	});

	it('a rejected key leaves no trace: the same objects are accepted in a valid key afterwards', () => {
		const shared = { a: [1] };
		expect(() => normalizeKey([shared, { b: () => 1 }])).toThrow(TypeError);
		expect(normalizeKey([shared, shared])).toEqual([{ a: [1] }, { a: [1] }]);
	});

	it('accepts nesting up to 64 levels', () => {
		expect(() => normalizeKey(nestedArrays(64))).not.toThrow();
		expect(() => normalizeKey(nestedObjects(63))).not.toThrow();
	});

	it('names a bad part at the deepest level allowed, rather than the nesting', () => {
		const key = nestedArrays(64);
		let innermost = key;
		while (Array.isArray(innermost[0])) innermost = innermost[0] as unknown[];
		innermost.push(undefined);
		expect(() => normalizeKey(key)).toThrow(`key${'[0]'.repeat(63)}[1] is undefined`);
	});

	it('throws a TypeError, never a RangeError, for nesting deeper than 64 levels', () => {
		for (const key of [nestedArrays(65), nestedObjects(64), nestedArrays(100_000), nestedObjects(100_000)]) {
			let thrown: unknown;
			try {
				normalizeKey(key);
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(TypeError);
			expect((thrown as Error).message).toMatch(/64/);
		}
	});

	it('throws a TypeError promptly for a key that shared references make astronomically large', () => {
		// 41 levels of [x, x]: tiny in memory, 2^40 parts as JSON
		let part: unknown = 'leaf';
		for (let i = 0; i < 41; i++) part = [part, part];
		const started = performance.now();
		expect(() => normalizeKey([part])).toThrow(TypeError);
		expect(() => hashKey([part])).toThrow(TypeError);
		expect(performance.now() - started).toBeLessThan(5000);
	});

	it('throws a TypeError promptly when a getter swaps a bad part for an astronomically large one between reads', () => {
		let huge: unknown = 'leaf';
		for (let i = 0; i < 41; i++) huge = [huge, huge];
		let reads = 0;
		// Rejected on the first read; the second read, which looks for the bad part's path, finds 2^41 parts instead.
		const key = [{ get part() { return reads++ === 0 ? () => 1 : huge; } }];
		expect(() => normalizeKey(key)).toThrow(`more than 1000000 parts`);
	});

	it('deep nesting gives a TypeError at every API that takes a key', () => {
		const client = new QoraClient();
		const key = nestedArrays(100_000);
		expect(() => hashKey(key)).toThrow(TypeError);
		expect(() => client.setQueryData(key, 1)).toThrow(TypeError);
		expect(() => client.fetchQuery({ key: key as QueryKeyInput, fetcher: () => 1 })).toThrow(TypeError);
	});
});

describe('equalsKey', () => {
	it('is true for structurally equal keys', () => {
		expect(equalsKey(['a', 1, { b: [1, 2], c: null }], ['a', 1, { c: null, b: [1, 2] }])).toBe(true);
	});

	it('compares arrays in order', () => {
		expect(equalsKey(['a', 1], [1, 'a'])).toBe(false);
		expect(equalsKey(['a', [1, 2]], ['a', [2, 1]])).toBe(false);
	});

	it('compares plain objects regardless of property order, at any depth', () => {
		expect(equalsKey([{ a: 1, b: { c: 1, d: 2 } }], [{ b: { d: 2, c: 1 }, a: 1 }])).toBe(true);
	});

	it('tells apart values JSON tells apart', () => {
		expect(equalsKey([1], ['1'])).toBe(false);
		expect(equalsKey([null], [{}])).toBe(false);
		expect(equalsKey([{ a: null }], [{}])).toBe(false);
		expect(equalsKey([true], [1])).toBe(false);
		expect(equalsKey([[]], [{}])).toBe(false);
		expect(equalsKey(['a'], ['a', 'b'])).toBe(false);
		expect(equalsKey([{ a: 1 }], [{ a: 1, b: 2 }])).toBe(false);
	});

	it('throws a TypeError for an invalid key', () => {
		expect(() => equalsKey(['a', NaN], ['a', 1])).toThrow(TypeError);
		expect(() => equalsKey(['a'], ['a', () => 1])).toThrow(TypeError);
	});

	it('names the argument that holds the bad part (equalsKey(a, b)), not key[…] for both', () => {
		expect(() => equalsKey(['a'], ['a', undefined] as never)).toThrow('Invalid query key: b[1] is undefined');
		expect(() => equalsKey([1n] as never, ['a'])).toThrow('Invalid query key: a[0] is a bigint');
	});

	it('throws a TypeError for an invalid key even when both arguments are the same array', () => {
		const bad = ['a', () => 1];
		expect(() => equalsKey(bad, bad)).toThrow(TypeError);
	});
});

describe('hashKey', () => {
	it('is a string, stable across calls and copies', () => {
		const hash = hashKey(['todos', { page: 1 }]);
		expect(typeof hash).toBe('string');
		expect(hashKey(['todos', { page: 1 }])).toBe(hash);
		expect(hashKey(normalizeKey(['todos', { page: 1 }]))).toBe(hash);
	});

	it('hashes {a:1,b:2} and {b:2,a:1} the same, at any depth', () => {
		expect(hashKey([{ a: 1, b: 2 }])).toBe(hashKey([{ b: 2, a: 1 }]));
		expect(hashKey(['x', [{ z: { b: 1, a: 2 }, y: 0 }]])).toBe(hashKey(['x', [{ y: 0, z: { a: 2, b: 1 } }]]));
	});

	it('hashes different keys differently', () => {
		const keys: unknown[][] = [
			['a'],
			['b'],
			['a', 1],
			['a', '1'],
			[1, 'a'],
			['a', null],
			['a', {}],
			['a', []],
			['a', [1]],
			['a', { b: 1 }],
			['a', { b: '1' }],
			['a,1'],
			['a', true],
			['a', 'true'],
			['a"', 'b'],
			['a', '"b']
		];
		expect(new Set(keys.map((key) => hashKey(key))).size).toBe(keys.length);
	});

	it('throws a TypeError naming the path of an invalid part', () => {
		expect(() => hashKey(['a', { b: 10n }])).toThrow(/key\[1\]\.b\b/);
	});
});

describe('messages and odd inputs', () => {
	it('says what a rejected value is, in plain words', () => {
		expect(() => normalizeKey({} as unknown as unknown[])).toThrow('expected an array or a QoraKey, got a plain object');
		expect(() => normalizeKey(undefined as unknown as unknown[])).toThrow('got undefined');
		expect(() => normalizeKey(['a', Object.create({ a: 1 })])).toThrow('key[1] is an object with a custom prototype');
		expect(() => normalizeKey(['a', new Error('x')])).toThrow('key[1] is an Error instance');
		expect(() => normalizeKey(['a', new URL('http://x/')])).toThrow('key[1] is a URL instance');
		class Hostile {}
		Object.defineProperty(Hostile.prototype, 'constructor', {
			get() {
				throw new Error('boom');
			}
		});
		expect(() => normalizeKey(['a', new Hostile()])).toThrow('Invalid query key: key[1] is an object with a custom prototype');
	});

	it('says what a rejected key or part is: null, a string, a function, a nameless or consonant-named class', () => {
		expect(() => normalizeKey(asKey(null))).toThrow('expected an array or a QoraKey, got null');
		expect(() => normalizeKey(asKey('todos'))).toThrow('expected an array or a QoraKey, got a string');
		expect(() => normalizeKey(['a', () => 1])).toThrow('key[1] is a function, which JSON cannot represent');
		const nameless = Object.create(Object.create(Object.prototype, { constructor: { value: { name: '' } } }));
		expect(() => normalizeKey(['a', nameless])).toThrow('key[1] is an object with a custom prototype');
		const constructorless = Object.create(Object.create(null));
		expect(() => normalizeKey(['a', constructorless])).toThrow('key[1] is an object with a custom prototype');
		class UserId {}
		expect(() => normalizeKey(['a', new UserId()])).toThrow('key[1] is a UserId instance');
	});

	it('names the bad part of a key of exactly a million parts, the most allowed', () => {
		const parts: unknown[] = new Array(1_000_000).fill(0);
		expect(normalizeKey(parts)).toHaveLength(1_000_000);
		parts[999_999] = undefined;
		expect(() => normalizeKey(parts)).toThrow('key[999999] is undefined');
	});

	it('a QoraKey made from a key whose getter answers differently each time still finds its own entry', () => {
		let reads = 0;
		const key = new QoraKey(['x', { get p() { return ++reads; } }]);
		const client = new QoraClient();
		client.setQueryData(key, 'v');
		expect(client.getQueryData(key)).toBe('v');
		expect(client.getQueryData(key.parts)).toBe('v');
	});
});

describe('keyStartsWith', () => {
	const key = ['users', 1, { tab: 'a', page: 2 }];

	it('matches every leading run of parts, including the whole key and the empty prefix', () => {
		expect(keyStartsWith(key, [])).toBe(true);
		expect(keyStartsWith(key, ['users'])).toBe(true);
		expect(keyStartsWith(key, ['users', 1])).toBe(true);
		expect(keyStartsWith(key, ['users', 1, { page: 2, tab: 'a' }])).toBe(true);
	});

	it('does not match a different part, a longer prefix, or parts out of place', () => {
		expect(keyStartsWith(key, ['users', 2])).toBe(false);
		expect(keyStartsWith(key, ['user'])).toBe(false);
		expect(keyStartsWith(key, [1])).toBe(false);
		expect(keyStartsWith(key, ['users', 1, { tab: 'a', page: 2 }, 'more'])).toBe(false);
		expect(keyStartsWith(['users'], ['users', 1])).toBe(false);
	});

	it('compares each part structurally: an object part must match whole, not partly', () => {
		expect(keyStartsWith(key, ['users', 1, { tab: 'a' }])).toBe(false);
		expect(keyStartsWith(['users', 1, { tab: 'a' }], key)).toBe(false);
		expect(keyStartsWith(['t', { a: 1 }, 'x'], ['t', { a: 1, b: 2 }])).toBe(false);
		expect(keyStartsWith(['t', [1, 2]], ['t', [1]])).toBe(false);
		expect(keyStartsWith(['t', { a: undefined, b: 1 }], ['t', { b: 1 }])).toBe(true);
		expect(keyStartsWith(['t', { b: 1 }, 'x'], ['t', { a: undefined, b: 1 }])).toBe(true);
	});

	it('tells a number or string part from an object part without properties or with index names', () => {
		expect(keyStartsWith(['t', {}], ['t', 1])).toBe(false);
		expect(keyStartsWith(['t', {}], ['t', ''])).toBe(false);
		expect(keyStartsWith(['t', { 0: 'a' }], ['t', 'a'])).toBe(false);
	});

	it('tells an object part of the prefix from a number, string or null part of the key, and a null part of the prefix from an object', () => {
		expect(keyStartsWith(['t', 1], ['t', {}])).toBe(false);
		expect(keyStartsWith(['t', ''], ['t', {}])).toBe(false);
		expect(keyStartsWith(['t', 'a'], ['t', { 0: 'a' }])).toBe(false);
		expect(keyStartsWith(['t', null], ['t', {}])).toBe(false);
		expect(keyStartsWith(['t', {}], ['t', null])).toBe(false);
		expect(keyStartsWith(['t', [], 'x'], ['t', null])).toBe(false);
	});

	it('compares array parts of the same length element by element', () => {
		expect(keyStartsWith(['t', [1, 2], 'x'], ['t', [1, 3]])).toBe(false);
		expect(keyStartsWith(['t', [1, 2], 'x'], ['t', [1, 2]])).toBe(true);
	});

	it('counts only the defined properties of a key object part that has undefined ones', () => {
		expect(keyStartsWith(['t', { a: undefined, b: 1, c: 2 }], ['t', { b: 1, c: 2 }])).toBe(true);
		expect(keyStartsWith(['t', { a: undefined, b: 1, c: 2 }], ['t', { b: 1 }])).toBe(false);
	});

	it('treats a frozen key or prefix like any other: validated, undefined properties ignored', () => {
		expect(keyStartsWith(['users', { a: 1 }, 2], Object.freeze(['users', Object.freeze({ a: 1, b: undefined })]))).toBe(true);
		expect(keyStartsWith(Object.freeze(['users', { a: 1, b: undefined }]), ['users', { a: 1 }])).toBe(true);
		expect(() => keyStartsWith(['a'], Object.freeze(['a', () => 1]))).toThrow(/prefix\[1\]/);
		expect(() => keyStartsWith(Object.freeze(['a', , 'c']), ['a'])).toThrow(TypeError);
	});

	it('names the prefix, not key[…], when the bad part is in the prefix', () => {
		expect(() => keyStartsWith(['a'], ['a', Symbol('x')])).toThrow('Invalid query key: prefix[1] is a symbol');
		expect(() => keyStartsWith(['a', Symbol('x')], ['a'])).toThrow('Invalid query key: key[1] is a symbol');
	});

	it('throws a TypeError for an invalid key or prefix', () => {
		expect(() => keyStartsWith(['a', NaN], ['a'])).toThrow(TypeError);
		expect(() => keyStartsWith(['a'], [Symbol('x')])).toThrow(TypeError);
		expect(() => keyStartsWith(['a'], asKey('a'))).toThrow(TypeError);
	});
});
