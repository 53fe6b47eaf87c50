/**
 * Hostile dehydrated payloads: wrong types, missing or unknown fields,
 * `__proto__` / `constructor.prototype` tricks at every level, unknown
 * versions, holes, huge payloads. Each must be rejected with a clear Error
 * ("hydrate: invalid payload ...") and leave the cache exactly as it was
 * (full getState snapshots compared, no watcher notified), with
 * Object.prototype untouched.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEHYDRATED_VERSION, QoraClient, dehydrate, hydrate, type QoraState } from '../../src/lib/index.js';
import { T0, failOnUnhandledRejections, fcParams, useFakeTime } from './support.js';

failOnUnhandledRejections();
beforeEach(() => useFakeTime());
afterEach(() => {
	vi.useRealTimers();
});

const protoNamesBefore = Object.getOwnPropertyNames(Object.prototype).sort();

function assertPrototypesClean(): void {
	expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNamesBefore);
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
	expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

/** A client holding older data for keys the payloads name (so an applied payload would show), watched. */
function populatedClient() {
	const client = new QoraClient({ defaultOptions: { gcTime: Infinity } });
	client.setQueryData(['user', 1], { name: 'old' });
	client.setQueryData(['posts', { page: 1 }], ['old post']);
	client.setQueryData(['other'], 'untouched');
	vi.setSystemTime(T0 + 60_000);
	const emissions: QoraState<unknown>[] = [];
	const stops = [
		client.observeQuery(['user', 1]).subscribe((s) => emissions.push(s)),
		client.observeQuery(['fresh']).subscribe((s) => emissions.push(s))
	];
	const heard = emissions.length;
	return {
		client,
		snapshot: () => ({ keys: JSON.stringify(client.keys()), size: client.size, states: client.keys().map((k) => client.getState(k)) }),
		assertNothingHeard: () => expect(emissions.length, 'a watcher was notified by a rejected payload').toBe(heard),
		stop: () => stops.forEach((s) => s())
	};
}

/** A valid payload whose entries are newer than the client's: applying it would change the cache. */
function validPayload(): Record<string, unknown> {
	return {
		version: DEHYDRATED_VERSION,
		entries: [
			{ key: ['user', 1], status: 'success', data: { name: 'new' }, dataUpdatedAt: T0 + 30_000 },
			{ key: ['fresh'], status: 'success', data: 1, dataUpdatedAt: T0 + 30_000 },
			{ key: ['posts', { page: 1 }], status: 'success', data: ['new post'], dataUpdatedAt: T0 + 30_000 }
		]
	};
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
type Payload = Record<string, unknown> & { entries: Record<string, unknown>[] };

/** Corruptions of a valid payload; each must make the whole payload invalid. `i` picks the entry. */
const corruptions: [string, (p: Payload, i: number) => unknown][] = [
	['payload is null', () => null],
	['payload is a string', () => '{"version":1,"entries":[]}'],
	['payload is an array', (p) => [p]],
	['payload is a Date', () => new Date()],
	['payload inherits its fields from a prototype', (p) => Object.create(p)],
	['version is missing', (p) => ({ entries: p.entries })],
	['version is 2', (p) => ({ ...p, version: 2 })],
	['version is 0', (p) => ({ ...p, version: 0 })],
	['version is "1"', (p) => ({ ...p, version: '1' })],
	['version is null', (p) => ({ ...p, version: null })],
	['entries is missing', (p) => ({ version: p.version })],
	['entries is an object', (p) => ({ ...p, entries: { 0: p.entries[0], length: 1 } })],
	['entries is a string', (p) => ({ ...p, entries: 'x' })],
	['an entry is null', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? null : e)) })],
	['an entry is an array', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? [e] : e)) })],
	['an entry has an unknown field', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, extra: 1 } : e)) })],
	['an entry key is a string', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, key: 'user' } : e)) })],
	['an entry key is missing', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, key: undefined } : e)) })],
	['an entry key holds a function', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, key: ['x', () => 1] } : e)) })],
	['an entry key holds NaN', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, key: ['x', NaN] } : e)) })],
	['an entry key is 10,000 levels deep', (p, i) => {
		let deep: unknown = 0;
		for (let d = 0; d < 10_000; d++) deep = [deep];
		return { ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, key: [deep] } : e)) };
	}],
	['an entry status is unknown', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, status: 'fetching' } : e)) })],
	['an entry status is missing', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, status: undefined } : e)) })],
	['dataUpdatedAt is negative', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, dataUpdatedAt: -1 } : e)) })],
	['dataUpdatedAt is a string', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, dataUpdatedAt: String(T0) } : e)) })],
	['dataUpdatedAt is NaN', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, dataUpdatedAt: NaN } : e)) })],
	['dataUpdatedAt is Infinity', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, dataUpdatedAt: Infinity } : e)) })],
	['dataUpdatedAt is missing', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, dataUpdatedAt: undefined } : e)) })],
	['a success entry has no data', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, data: undefined } : e)) })],
	['an error entry has no error', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, status: 'error' } : e)) })],
	['an error entry has a string error', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, status: 'error', error: 'boom' } : e)) })],
	['an error entry error has no message', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, status: 'error', error: { name: 'E' } } : e)) })],
	['__proto__ in the envelope', (p) => JSON.parse(`{"__proto__": {"polluted": true}, "version": 1, "entries": ${JSON.stringify(p.entries)}}`)],
	['__proto__ in an entry', (p, i) => {
		const out = clone(p);
		out.entries[i] = JSON.parse(`{"__proto__": {"isAdmin": true}, ${JSON.stringify(p.entries[i]).slice(1)}`);
		return out;
	}],
	['__proto__ deep in data', (p, i) => {
		const out = clone(p);
		(out.entries[i] as Record<string, unknown>).data = JSON.parse('{"profile": [{"__proto__": {"isAdmin": true}}]}');
		return out;
	}],
	['__proto__ in a key object', (p, i) => {
		const out = clone(p);
		(out.entries[i] as Record<string, unknown>).key = JSON.parse('["user", {"__proto__": {"polluted": true}}]');
		// The key itself is a valid, distinct key; the payload is still refused for carrying __proto__.
		return out;
	}],
	['__proto__ in an error', (p, i) => {
		const out = clone(p);
		const entry = out.entries[i] as Record<string, unknown>;
		entry.status = 'error';
		entry.error = JSON.parse('{"name": "Error", "message": "x", "__proto__": {"polluted": true}}');
		return out;
	}],
	['constructor.prototype in the envelope', (p) => ({ ...p, constructor: { prototype: { polluted: true } } })],
	['constructor.prototype in an entry', (p, i) => ({ ...p, entries: p.entries.map((e, j) => (j === i ? { ...e, constructor: { prototype: { polluted: true } } } : e)) })],
	['a hole in entries after valid ones', (p) => {
		const entries: unknown[] = [...p.entries];
		entries.length = p.entries.length + 2;
		entries[p.entries.length + 1] = p.entries[0];
		return { ...p, entries };
	}],
	['the last of 10,000 valid entries is invalid', (p) => ({
		...p,
		entries: [
			...Array.from({ length: 10_000 }, (_, n) => ({ key: ['bulk', n], status: 'success', data: n, dataUpdatedAt: T0 })),
			...p.entries,
			{ key: ['bulk', 'last'], status: 'success', dataUpdatedAt: T0 }
		]
	})]
];

function expectRejectedUnchanged(payload: unknown, label: string): void {
	const world = populatedClient();
	const before = world.snapshot();
	let error: unknown;
	try {
		hydrate(world.client, payload);
	} catch (e) {
		error = e;
	}
	expect(error, `${label}: hydrate accepted it`).toBeInstanceOf(Error);
	expect((error as Error).message, label).toMatch(/^hydrate: invalid payload/);
	expect(world.snapshot(), `${label}: the cache changed`).toEqual(before);
	world.assertNothingHeard();
	assertPrototypesClean();
	world.stop();
}

describe('hostile hydration: every malformed or tampered payload is rejected and changes nothing', () => {
	it('the valid payload the corruptions start from is applied (so "unchanged" means something)', () => {
		const world = populatedClient();
		const before = world.snapshot();
		hydrate(world.client, validPayload());
		expect(world.snapshot()).not.toEqual(before);
		expect(world.client.getQueryData(['user', 1])).toEqual({ name: 'new' });
		world.stop();
	});

	for (const [name, corrupt] of corruptions) {
		it(`rejects: ${name}`, () => {
			for (let i = 0; i < 3; i++) expectRejectedUnchanged(corrupt(validPayload() as Payload, i), `${name} (entry ${i})`);
		});
	}

	it('property: a valid payload with any one random corruption is rejected with the cache unchanged', () => {
		fc.assert(
			fc.property(fc.nat({ max: corruptions.length - 1 }), fc.nat({ max: 2 }), fc.boolean(), (which, index, viaJson) => {
				const [name, corrupt] = corruptions[which] as (typeof corruptions)[number];
				let payload = corrupt(validPayload() as Payload, index);
				// Through a JSON round trip too, as a payload read from HTML would be (when it survives one).
				// JSON turns a function or NaN inside a key into null, which repairs those two corruptions,
				// and JSON.stringify itself overflows the stack on the 10,000-deep key.
				if (viaJson && !/function|NaN|10,000/.test(name)) {
					const text = JSON.stringify(payload);
					if (text !== undefined) payload = JSON.parse(text) as unknown;
				}
				expectRejectedUnchanged(payload, name);
			}),
			fcParams(200)
		);
	});

	it('Object.prototype is never polluted, even by payloads that are accepted', () => {
		const client = new QoraClient();
		// "constructor" and "prototype" as plain data keys are legitimate data and must stay inert.
		hydrate(client, {
			version: 1,
			entries: [{ key: ['cfg'], status: 'success', data: { constructor: { prototype: { polluted: true } }, prototype: { isAdmin: true } }, dataUpdatedAt: T0 }]
		});
		expect(client.getQueryData<{ constructor: unknown }>(['cfg'])?.constructor).toEqual({ prototype: { polluted: true } });
		assertPrototypesClean();
	});
});

describe('hostile hydration: huge payloads', () => {
	it('100,000 valid entries are applied in one go; a 10,000-deep data value is stored or cleanly refused', () => {
		const client = new QoraClient();
		const started = performance.now();
		hydrate(client, { version: 1, entries: Array.from({ length: 100_000 }, (_, n) => ({ key: ['row', n], status: 'success', data: { n }, dataUpdatedAt: T0 })) });
		expect(client.size).toBe(100_000);
		expect(performance.now() - started).toBeLessThan(15_000);
		let deep: unknown = 'bottom';
		for (let d = 0; d < 10_000; d++) deep = { d: deep };
		const world = populatedClient();
		const before = world.snapshot();
		try {
			hydrate(world.client, { version: 1, entries: [{ key: ['deep'], status: 'success', data: deep, dataUpdatedAt: T0 }] });
			expect(world.client.getQueryData(['deep'])).toBe(deep);
		} catch (error) {
			expect(error).toBeInstanceOf(Error);
			expect(error).not.toBeInstanceOf(RangeError);
			expect(world.snapshot()).toEqual(before);
		}
		world.stop();
	});

	it('dehydrate never emits a payload that hydrate refuses: data or keys holding an own "__proto__" property (legal JSON) do not poison the whole payload', () => {
		const source = new QoraClient();
		source.setQueryData(['word-counts'], JSON.parse('{"the": 3, "__proto__": 1}'));
		source.setQueryData(JSON.parse('["dict", {"__proto__": "x"}]') as unknown[], 'a key that is legal on its own');
		source.setQueryData(['plain'], 'innocent');
		const payload = JSON.parse(JSON.stringify(dehydrate(source))) as unknown;
		const target = new QoraClient();
		expect(() => hydrate(target, payload)).not.toThrow();
		expect(target.getQueryData(['plain'])).toBe('innocent');
		assertPrototypesClean();
	});

	it('a dehydrate → JSON → hydrate round trip of a random cache reproduces every successful entry in an empty client', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.tuple(fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }), fc.jsonValue({ maxDepth: 3 })), {
					maxLength: 8,
					selector: ([key]) => JSON.stringify(key)
				}).filter((items) => !JSON.stringify(items).includes('"__proto__"')), // own __proto__: the test above
				(items) => {
					const source = new QoraClient();
					for (const [key, data] of items) source.setQueryData(key, data);
					const text = JSON.stringify(dehydrate(source));
					const target = new QoraClient();
					hydrate(target, JSON.parse(text));
					for (const key of source.keys()) {
						expect(target.getState(key)).toMatchObject({ status: 'success', dataUpdatedAt: source.getState(key)?.dataUpdatedAt });
						expect(target.getQueryData(key)).toEqual(JSON.parse(JSON.stringify(source.getQueryData(key))));
					}
					expect(target.size).toBe(source.size);
					assertPrototypesClean();
				}
			),
			fcParams(100)
		);
	});
});
