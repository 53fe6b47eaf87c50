/**
 * Hostile keys: cycles, functions, class instances, holes, 10,000-deep nesting,
 * huge and exponentially shared keys, `__proto__` own properties. And property
 * tests of the key algebra against an independent JSON-based reference:
 * hashKey is order-independent, equalsKey agrees with JSON-canonical equality,
 * normalizeKey is idempotent and equals the JSON round trip, and every
 * non-JSON-safe key throws a TypeError whose path really leads to the bad part.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QoraClient, QoraKey, equalsKey, hashKey, keyStartsWith, normalizeKey, type KeyParts, type QueryKeyInput } from '../../src/lib/index.js';
import { keyCode } from '../../src/lib/core/key-code.js';
import { failOnUnhandledRejections, fcParams } from './support.js';

failOnUnhandledRejections();

// ---------------------------------------------------------------------------
// an independent reference: what JSON says a key is

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const jsonRoundTrip = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

/** Structural equality of two JSON values: arrays in order, objects by own keys in any order. */
function jsonEqual(a: Json, b: Json): boolean {
	if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a)) {
		const bb = b as Json[];
		return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i] as Json));
	}
	const ao = a as Record<string, Json>;
	const bo = b as Record<string, Json>;
	const ak = Object.keys(ao);
	if (ak.length !== Object.keys(bo).length) return false;
	return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k] as Json, bo[k] as Json));
}

/** Deep copy with every object's properties re-inserted in a different order. */
function shuffled(value: unknown, seed: number): unknown {
	if (Array.isArray(value)) return value.map((v, i) => shuffled(v, seed + i));
	if (value === null || typeof value !== 'object') return value;
	const names = Object.keys(value);
	const order = names.map((n, i) => [n, (i * 7919 + seed * 104729) % (names.length + 13)] as const).sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? 1 : -1));
	const out: Record<string, unknown> = {};
	for (const [name] of order) {
		Object.defineProperty(out, name, { value: shuffled((value as Record<string, unknown>)[name], seed + 1), enumerable: true, writable: true, configurable: true });
	}
	return out;
}

function isDeeplyFrozen(value: unknown): boolean {
	if (value === null || typeof value !== 'object') return true;
	return Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen);
}

/** Parses the path out of "Invalid query key: key[1].filter["a b"] is ..." into segments. */
function parsePath(message: string): (string | number)[] | null {
	// Rooted at the argument that holds the part: key, or equalsKey's a or b, or keyStartsWith's prefix.
	const root = /: (key|a|b|prefix)(?=[[.]| )/.exec(message);
	if (root === null) return null;
	let rest = message.slice(root.index + root[0].length);
	const segments: (string | number)[] = [];
	for (;;) {
		let m = /^\[(\d+)\]/.exec(rest);
		if (m) {
			segments.push(Number(m[1]));
			rest = rest.slice(m[0].length);
			continue;
		}
		m = /^\.([A-Za-z_$][\w$]*)/.exec(rest);
		if (m) {
			segments.push(m[1] as string);
			rest = rest.slice(m[0].length);
			continue;
		}
		m = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
		if (m) {
			segments.push(JSON.parse(m[1] as string) as string);
			rest = rest.slice(m[0].length);
			continue;
		}
		break;
	}
	return rest.startsWith(' ') || rest === '' ? segments : null;
}

/** Follows a path into a key; `found` is false when a segment does not exist. */
function follow(key: unknown, path: (string | number)[]): { found: boolean; value: unknown; parent: unknown; last: string | number | undefined } {
	let value: unknown = key;
	let parent: unknown = undefined;
	for (const segment of path) {
		if (value === null || typeof value !== 'object') return { found: false, value: undefined, parent, last: segment };
		if (Array.isArray(value) ? typeof segment !== 'number' || segment >= value.length : !Object.prototype.hasOwnProperty.call(value, segment)) {
			return { found: false, value: undefined, parent: value, last: segment };
		}
		parent = value;
		value = (value as Record<string | number, unknown>)[segment];
	}
	return { found: true, value, parent, last: path.at(-1) };
}

function captureError(run: () => unknown): unknown {
	try {
		run();
	} catch (error) {
		return error;
	}
	return undefined;
}

// ---------------------------------------------------------------------------
// arbitraries

const jsonKey = fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 });

/** Small values with many collisions, so equal and unequal pairs both occur often. */
const tinyPart: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
	part: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		fc.constantFrom(0, -0, 1, 'a', 'b', '', true, false, null),
		fc.array(tie('part'), { maxLength: 2 }),
		fc.dictionary(fc.constantFrom('x', 'y', 'z', '__proto__', 'constructor'), tie('part'), { maxKeys: 3 })
	)
})).part;
const tinyKey = fc.array(tinyPart, { maxLength: 3 });

class Point {
	constructor(readonly x: number) {}
}
const badValues: [string, () => unknown][] = [
	['a function', () => () => 1],
	['a symbol', () => Symbol('s')],
	['a bigint', () => 1n],
	['undefined in an array', () => undefined],
	['NaN', () => NaN],
	['Infinity', () => Infinity],
	['-Infinity', () => -Infinity],
	['a Date', () => new Date(0)],
	['a Map', () => new Map()],
	['a Set', () => new Set()],
	['a RegExp', () => /x/],
	['a class instance', () => new Point(1)],
	['an object with a custom prototype', () => Object.create({ inherited: 1 })],
	['a typed array', () => new Uint8Array(2)],
	['a boxed string', () => Object('s')],
	['a Promise', () => Promise.resolve(1)],
	['an Error', () => new Error('x')]
];

/** A JSON key with one bad part planted somewhere; `bad` is that part (or the hole/cycle marker). */
interface Planted {
	key: unknown[];
	kind: 'value' | 'hole' | 'cycle';
	bad: unknown;
	label: string;
}

const planted: fc.Arbitrary<Planted> = fc
	.tuple(
		jsonKey,
		fc.array(fc.oneof(fc.nat({ max: 5 }), fc.constantFrom('a', 'b c', '0', 'ünï', '__proto__', 'x.y')), { maxLength: 4 }),
		fc.oneof(fc.constantFrom(...badValues.map((b) => b[0])), fc.constantFrom('hole', 'cycle'))
	)
	.map(([base, route, which]) => {
		const key = jsonRoundTrip(base) as unknown[];
		// Walk (and build) the route, then plant the bad part at its end.
		let container: unknown[] | Record<string, unknown> = key;
		const ancestors: object[] = [key];
		for (const step of route) {
			const next: unknown[] | Record<string, unknown> = typeof step === 'number' ? [] : {};
			if (Array.isArray(container)) {
				container.push(next);
			} else {
				Object.defineProperty(container, String(step), { value: next, enumerable: true, writable: true, configurable: true });
			}
			container = next;
			ancestors.push(next);
		}
		if (which === 'hole') {
			const holey: unknown[] = ['before'];
			holey.length = 3; // indices 1 and 2 are holes
			holey[2] = 'after';
			if (Array.isArray(container)) container.push(holey);
			else Object.defineProperty(container, 'holey', { value: holey, enumerable: true, writable: true, configurable: true });
			return { key, kind: 'hole' as const, bad: holey, label: 'a hole in an array' };
		}
		if (which === 'cycle') {
			const target = ancestors[(route.length * 7 + key.length) % ancestors.length] as object;
			if (Array.isArray(container)) container.push(target);
			else Object.defineProperty(container, 'loop', { value: target, enumerable: true, writable: true, configurable: true });
			return { key, kind: 'cycle' as const, bad: target, label: 'a reference cycle' };
		}
		const make = (badValues.find((b) => b[0] === which) as [string, () => unknown])[1];
		const bad = make();
		if (Array.isArray(container)) container.push(bad);
		else {
			// undefined as an object property is legal (dropped): plant it in an array instead.
			if (bad === undefined) {
				const arr = [bad];
				Object.defineProperty(container, 'arr', { value: arr, enumerable: true, writable: true, configurable: true });
			} else Object.defineProperty(container, 'bad', { value: bad, enumerable: true, writable: true, configurable: true });
		}
		return { key, kind: 'value' as const, bad, label: which };
	});

// ---------------------------------------------------------------------------

describe('hostile keys: invalid parts are rejected with a TypeError that names their path', () => {
	it('property: any key with one non-JSON-safe part throws a TypeError whose path really leads to that part (hashKey, normalizeKey, equalsKey, QoraKey, client calls)', () => {
		fc.assert(
			fc.property(planted, ({ key, kind, bad }) => {
				const client = new QoraClient();
				const calls: [string, () => unknown][] = [
					['hashKey', () => hashKey(key)],
					['normalizeKey', () => normalizeKey(key)],
					['equalsKey', () => equalsKey(['fine'], key)],
					['new QoraKey', () => new QoraKey(key as KeyParts)],
					['fetchQuery', () => client.fetchQuery({ key: key as QueryKeyInput, fetcher: async () => 1 })],
					['watchQuery', () => client.watchQuery({ key: key as QueryKeyInput, fetcher: async () => 1 })],
					['setQueryData', () => client.setQueryData(key, 1)],
					['getState', () => client.getState(key)]
				];
				for (const [name, call] of calls) {
					const error = captureError(call);
					expect(error, `${name} must throw`).toBeInstanceOf(TypeError);
					const message = (error as Error).message;
					const path = parsePath(message);
					expect(path, `${name}: no parsable path in "${message}"`).not.toBeNull();
					const hit = follow(key, path as (string | number)[]);
					if (kind === 'hole') {
						// The path names the hole: its parent is the holey array and the index is missing.
						expect(hit.parent, `${name}: "${message}"`).toBe(bad);
						expect(typeof hit.last === 'number' && !((hit.last as number) in (bad as unknown[])), `${name}: "${message}" must name a hole`).toBe(true);
					} else {
						expect(hit.found, `${name}: "${message}" names a path that does not exist`).toBe(true);
						if (kind === 'cycle') expect(hit.value, `${name}: "${message}"`).toBe(bad);
						else expect(Object.is(hit.value, bad), `${name}: "${message}" does not lead to the bad part`).toBe(true);
					}
				}
				expect(client.size).toBe(0); // nothing was created by the rejected calls
			}),
			fcParams(300)
		);
	});

	it('property: a bad key equal to the key read just before but for its bad part (its JSON twin) still throws at every read, naming the path', () => {
		fc.assert(
			fc.property(planted, ({ key }) => {
				let twin: unknown[];
				try {
					twin = JSON.parse(JSON.stringify(key)) as unknown[]; // the bad part as JSON makes it (dropped, null, a string)
				} catch {
					return; // a cycle or a bigint: JSON has no twin
				}
				const client = new QoraClient();
				client.setQueryData(twin, 'twin');
				const reads: [string, () => unknown][] = [
					['getQueryData', () => client.getQueryData(key)],
					['getState', () => client.getState(key)],
					['fetchQuery', () => client.fetchQuery({ key: key as QueryKeyInput, fetcher: async () => 1 })],
					['watchQuery', () => client.watchQuery({ key: key as QueryKeyInput, fetcher: async () => 1 })],
					['observeQuery', () => client.observeQuery(key)],
					['invalidate', () => client.invalidate(key)],
					['cancel', () => client.cancel(key)],
					['remove', () => client.remove(key)]
				];
				for (const [name, read] of reads) {
					// The twin is the entry found last: a lookup compares the next key with it before validating.
					expect(client.getQueryData(twin)).toBe('twin');
					const error = captureError(read);
					expect(error, `${name} must throw`).toBeInstanceOf(TypeError);
					const path = parsePath((error as Error).message);
					expect(path, `${name}: no parsable path in "${(error as Error).message}"`).not.toBeNull();
				}
				expect(client.size).toBe(1);
			}),
			fcParams(300)
		);
	});

	it('10,000-deep nesting (arrays and objects) throws a TypeError naming an existing path, never a RangeError, and fast', () => {
		let deepArray: unknown = 'leaf';
		let deepObject: unknown = 'leaf';
		for (let i = 0; i < 10_000; i++) {
			deepArray = [deepArray];
			deepObject = { next: deepObject };
		}
		for (const key of [[deepArray], ['x', deepObject]]) {
			for (const call of [() => hashKey(key), () => normalizeKey(key), () => new QoraClient().setQueryData(key, 1)]) {
				const started = performance.now();
				const error = captureError(call);
				expect(performance.now() - started).toBeLessThan(1_000);
				expect(error).toBeInstanceOf(TypeError);
				expect(error).not.toBeInstanceOf(RangeError);
				const path = parsePath((error as Error).message);
				expect(path).not.toBeNull();
				expect(follow(key, path as (string | number)[]).found).toBe(true);
			}
		}
	});

	it('a cycle through an array or an object, or the key containing itself, is named as a cycle at its path', () => {
		const loop: Record<string, unknown> = { a: 1 };
		loop.self = loop;
		const selfish: unknown[] = ['k'];
		selfish.push(selfish);
		for (const [key, where] of [
			[['users', loop], 'key[1].self'],
			[selfish, 'key[1]']
		] as const) {
			const error = captureError(() => hashKey(key as unknown[]));
			expect(error).toBeInstanceOf(TypeError);
			expect((error as Error).message).toContain(where);
			expect((error as Error).message).toMatch(/cycle/);
		}
	});

	it('shared (non-cyclic) references are fine: a DAG key equals its tree-shaped copy', () => {
		const shared = { id: 1 };
		expect(hashKey(['k', shared, [shared]])).toBe(hashKey(['k', { id: 1 }, [{ id: 1 }]]));
	});

	it('a key whose getter throws once does not poison later keys (same object accepted, next error names the right path)', () => {
		let reads = 0;
		const flaky = {
			get page() {
				if (reads++ === 0) throw new Error('flaky getter');
				return 1;
			}
		};
		expect(() => hashKey(['list', flaky])).toThrow('flaky getter');
		expect(hashKey(['list', flaky])).toBe(hashKey(['list', { page: 1 }]));
		const error = captureError(() => hashKey(['other', { f: () => 1 }]));
		expect((error as Error).message).toContain('key[1].f ');
	});
});

describe('hostile keys: keys crafted to share one structural code', () => {
	/**
	 * Floats whose 64 bits fold to the code of the integer 7: a non-integer number's code mixes its
	 * low word with its high word times a constant, so any high word has a low word that matches.
	 */
	function floatsCodedLikeSeven(n: number): number[] {
		const float = new Float64Array(1);
		const words = new Int32Array(float.buffer);
		const low = 0, high = 1; // little-endian, as on every platform Node runs on
		const out: number[] = [];
		for (let k = 1; out.length < n; k++) {
			words[high] = 0x3ff00000 + k; // doubles between 1 and 2
			words[low] = (7 ^ 0x2545f491) ^ Math.imul(words[high] as number, 0x9e3779b1);
			const x = float[0] as number;
			if (Number.isFinite(x) && x !== (x | 0)) out.push(x);
		}
		return out;
	}

	it('2,000 ids from outside input that share one code are each cached, found and removed correctly, each lookup comparing few keys', () => {
		const ids = floatsCodedLikeSeven(2_000);
		// The premise: every one really has the code of ['product', 7] (if the coding changes, craft anew).
		expect(new Set([7, ...ids].map((id) => keyCode(['product', id]))).size).toBe(1);
		const client = new QoraClient();
		client.setQueryData(['product', 7], 'seven');
		ids.forEach((id, i) => client.setQueryData(['product', id], i));
		expect(client.size).toBe(2_001);
		let reads = 0;
		const counted = (id: number) => new Proxy(['product', id], { get: (target, property, receiver) => (property === '1' && reads++, Reflect.get(target, property, receiver)) });
		expect(client.getQueryData(counted(ids[1_000] as number))).toBe(1_000);
		expect(client.getQueryData(counted(1.5))).toBeUndefined();
		// Coding and validating the key read it a few times; a walk down the shared chain would read it 2,000 times.
		expect(reads).toBeLessThan(20);
		expect(ids.every((id, i) => client.getQueryData(['product', id]) === i)).toBe(true);
		for (const id of ids.slice(0, 1_500)) client.remove(['product', id]);
		expect(client.size).toBe(501);
		expect(client.getQueryData(['product', 7])).toBe('seven');
		expect(client.getQueryData(['product', ids[0] as number])).toBeUndefined();
		expect(client.getQueryData(['product', ids[1_999] as number])).toBe(1_999);
		client.dispose();
	});
});

describe('hostile keys: huge keys work or fail cleanly', () => {
	it('a 1 MB string, a 100,000-element array and a 100,000-property object work as keys (or fail with a TypeError), quickly', () => {
		const big = 'x'.repeat(1024 * 1024);
		const wide = Array.from({ length: 100_000 }, (_, i) => i);
		const fat: Record<string, number> = {};
		for (let i = 0; i < 100_000; i++) fat[`p${i}`] = i;
		const client = new QoraClient();
		for (const [name, key, copy] of [
			['1 MB string', ['s', big], ['s', big.slice()]],
			['100k array', ['a', wide], ['a', [...wide]]],
			['100k properties', ['o', fat], ['o', shuffled(fat, 3)]]
		] as const) {
			const started = performance.now();
			try {
				client.setQueryData(key as unknown as unknown[], name);
				expect(client.getQueryData(copy as unknown as unknown[]), name).toBe(name);
				expect(equalsKey(key as unknown as unknown[], copy as unknown as unknown[])).toBe(true);
			} catch (error) {
				expect(error, `${name} failed uncleanly`).toBeInstanceOf(TypeError);
			}
			expect(performance.now() - started, name).toBeLessThan(10_000);
		}
	});

	describe('a small key that is exponentially large as JSON (shared references, "billion laughs")', () => {
		const here = dirname(fileURLToPath(import.meta.url));
		let dir = '';
		beforeAll(async () => {
			dir = mkdtempSync(join(tmpdir(), 'qora-keys-'));
			await build({
				entryPoints: [join(resolve(here, '../..'), 'src/lib/index.ts')],
				bundle: true,
				format: 'esm',
				platform: 'node',
				outfile: join(dir, 'qora.mjs'),
				logLevel: 'silent'
			});
			writeFileSync(
				join(dir, 'laughs.mjs'),
				`import { hashKey } from ${JSON.stringify(pathToFileURL(join(dir, 'qora.mjs')).href)};
let part = ['lol'];
for (let i = 0; i < 40; i++) part = [part, part];
try { hashKey(['k', part]); console.log('accepted'); }
catch (error) { console.log(error instanceof TypeError ? 'TypeError' : error?.constructor?.name, String(error?.message).slice(0, 200)); }
`
			);
		});
		afterAll(() => {
			if (dir) rmSync(dir, { recursive: true, force: true });
		});

		it('is rejected with a TypeError within seconds instead of hanging the process or exhausting its memory', () => {
			// 41 arrays in memory, 2^40 leaves as JSON: hashing it naively never finishes.
			// Run in a child with a time and memory cap, so a failure cannot take the suite down.
			const run = spawnSync(process.execPath, ['--max-old-space-size=256', join(dir, 'laughs.mjs')], { encoding: 'utf8', timeout: 6_000 });
			const outcome = run.error ? `did not finish in 6 s (${run.signal ?? run.error.message})` : run.status !== 0 ? `crashed (exit ${run.status} ${run.signal ?? ''}): ${run.stderr.slice(-300)}` : run.stdout.trim();
			expect(outcome).toMatch(/^TypeError/);
		});
	});
});

describe('hostile keys: __proto__ and friends are data, never prototype changes', () => {
	it('a key object with its own __proto__ property (JSON.parse or defineProperty) is a key of its own, never merged with the key without it', () => {
		const parsed = JSON.parse('["user", {"__proto__": {"admin": true}, "id": 1}]') as unknown[];
		const defined: Record<string, unknown> = { id: 1 };
		Object.defineProperty(defined, '__proto__', { value: { admin: true }, enumerable: true, writable: true, configurable: true });
		const plain = ['user', { id: 1 }];
		const client = new QoraClient();
		client.setQueryData(plain, 'plain');
		client.setQueryData(parsed, 'with __proto__');
		expect(client.size).toBe(2);
		expect(client.getQueryData(plain)).toBe('plain');
		expect(client.getQueryData(['user', defined])).toBe('with __proto__');
		expect(equalsKey(parsed, plain)).toBe(false);
		expect(hashKey(parsed)).toBe(hashKey(['user', defined]));
		const normalized = normalizeKey(parsed);
		const part = normalized[1] as Record<string, unknown>;
		expect(Object.prototype.hasOwnProperty.call(part, '__proto__')).toBe(true);
		expect(Object.getPrototypeOf(part)).toBe(Object.prototype);
		expect((part as { admin?: unknown }).admin).toBeUndefined();
		expect(client.keys().map((k) => JSON.stringify(k))).toContain(JSON.stringify(parsed));
		expect(({} as { admin?: unknown }).admin).toBeUndefined();
		// invalidateWhere by prefix must not confuse them either.
		expect(keyStartsWith(parsed, ['user', { id: 1 }])).toBe(false);
	});

	it('keys named constructor / prototype / __proto__ at any depth never touch Object.prototype', () => {
		const keys = [
			['constructor'],
			[{ constructor: { prototype: { polluted: true } } }],
			JSON.parse('[{"__proto__": {"polluted": true}}]') as unknown[],
			JSON.parse('[[{"a": {"__proto__": {"polluted": true}}}]]') as unknown[]
		];
		const client = new QoraClient();
		for (const key of keys) {
			client.setQueryData(key, 1);
			normalizeKey(key);
			void client.invalidateWhere(key);
		}
		expect(client.size).toBe(keys.length);
		expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
		expect((Object.prototype as { polluted?: unknown }).polluted).toBeUndefined();
	});
});

describe('key algebra: property tests against JSON-canonical equality', () => {
	it('hashKey is order-independent: a deep copy with every object re-ordered hashes the same and is equalsKey', () => {
		fc.assert(
			fc.property(jsonKey, fc.nat(), (key, seed) => {
				const copy = shuffled(key, seed) as unknown[];
				expect(hashKey(copy)).toBe(hashKey(key));
				expect(equalsKey(copy, key)).toBe(true);
				expect(new QoraKey(copy as KeyParts).equals(key)).toBe(true);
			}),
			fcParams(300)
		);
	});

	it('equalsKey agrees with JSON-canonical equality on random pairs (and hashKey equality with it)', () => {
		let equalPairs = 0;
		fc.assert(
			fc.property(tinyKey, tinyKey, (a, b) => {
				const expected = jsonEqual(jsonRoundTrip(a), jsonRoundTrip(b));
				if (expected) equalPairs++;
				expect(equalsKey(a, b)).toBe(expected);
				expect(hashKey(a) === hashKey(b)).toBe(expected);
				expect(equalsKey(a, b)).toBe(equalsKey(b, a));
			}),
			fcParams(500)
		);
		expect(equalPairs).toBeGreaterThan(0); // the arbitrary really produces equal pairs
	});

	it('normalizeKey is idempotent, deeply frozen, copies its input and deep-equals the JSON round trip for JSON-safe keys', () => {
		fc.assert(
			fc.property(fc.oneof(jsonKey, tinyKey), (key) => {
				const snapshot = JSON.stringify(key);
				const once = normalizeKey(key);
				const twice = normalizeKey(once);
				expect(jsonEqual(twice as Json, once as Json)).toBe(true);
				expect(hashKey(twice)).toBe(hashKey(once));
				expect(jsonEqual(once as Json, jsonRoundTrip(key))).toBe(true);
				expect(isDeeplyFrozen(once)).toBe(true);
				expect(JSON.stringify(key)).toBe(snapshot); // input untouched
				if (key.length > 0 && typeof key[0] === 'object' && key[0] !== null) expect(once[0]).not.toBe(key[0]);
				expect(normalizeKey(new QoraKey(key as KeyParts))).toEqual(once);
			}),
			fcParams(300)
		);
	});

	it('keyStartsWith agrees with JSON-canonical equality of every prefix part', () => {
		fc.assert(
			fc.property(tinyKey, tinyKey, (key, prefix) => {
				const k = jsonRoundTrip(key) as Json[];
				const p = jsonRoundTrip(prefix) as Json[];
				const expected = p.length <= k.length && p.every((part, i) => jsonEqual(part, k[i] as Json));
				expect(keyStartsWith(key, prefix)).toBe(expected);
				expect(keyStartsWith(key, key.slice(0, 1))).toBe(true);
			}),
			fcParams(300)
		);
	});
});
