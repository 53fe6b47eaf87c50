import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	DEHYDRATED_VERSION,
	QoraClient,
	dehydrate,
	hydrate,
	type DehydratedState,
	type KeyParts
} from '../../src/lib/index.js';
import { hydrateExcept } from '../../src/lib/core/hydration.js';
import { HEAVY_TEST_TIMEOUT, MINUTE, T0, advance, controlledFetcher, failingFetcher, flush, record, useFakeTime } from './helpers.js';
import { unhandledRejectionsDuring } from '../ssr/unhandled-rejections.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

const failing = async (): Promise<never> => {
	throw new Error('server secret: db at 10.0.0.1');
};

/** A server-side client with a success, an error and a pending entry. */
async function serverClient() {
	const server = new QoraClient({ defaultOptions: { retry: false } });
	await server.fetchQuery({ key: ['todos', { page: 1 }], fetcher: async () => [{ id: 1 }] });
	await server.prefetchQuery({ key: ['broken'], fetcher: failing });
	void server.prefetchQuery({ key: ['slow'], fetcher: () => new Promise<string>(() => {}) });
	return server;
}

const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('when the request behind hydrated data went out (requestedAt)', () => {
	it('dehydrate ships it for fetched data that took time, and not for written data', async () => {
		const server = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const fetched = server.fetchQuery({ key: ['slow'], fetcher });
		await advance(4000);
		call(0).resolve('rows');
		await fetched;
		server.setQueryData(['written'], 'w');
		expect(dehydrate(server).entries).toEqual([
			{ key: ['slow'], status: 'success', data: 'rows', dataUpdatedAt: T0 + 4000, requestedAt: T0 },
			{ key: ['written'], status: 'success', data: 'w', dataUpdatedAt: T0 + 4000 }
		]);
		server.setQueryData(['slow'], 'overwritten');
		expect(dehydrate(server).entries[0]).toEqual({ key: ['slow'], status: 'success', data: 'overwritten', dataUpdatedAt: T0 + 4000 });
	});

	it('a slow server fetch that went out before the browser saved and refetched does not replace the browser’s newer data', async () => {
		const browser = new QoraClient();
		await advance(1000);
		browser.setQueryData(['todos'], ['a', 'b', 'saved meanwhile']); // the page's own fetch and a save's refetch, at T0+1s
		await advance(3100);
		// The streamed payload of a server read that started at T0 and took 4 s: finished later, but older data.
		hydrate(browser, wire({ version: 1, entries: [{ key: ['todos'], status: 'success', data: ['a', 'b'], dataUpdatedAt: T0 + 4000, requestedAt: T0 }] }));
		expect(browser.getQueryData(['todos'])).toEqual(['a', 'b', 'saved meanwhile']);
		// Without requestedAt (data written on the server at T0+4s), it is newer and replaces it, as before.
		hydrate(browser, wire({ version: 1, entries: [{ key: ['todos'], status: 'success', data: ['a', 'b'], dataUpdatedAt: T0 + 4000 }] }));
		expect(browser.getQueryData(['todos'])).toEqual(['a', 'b']);
	});

	it('accepts a requestedAt equal to dataUpdatedAt: a request answered at once', () => {
		const browser = new QoraClient();
		hydrate(browser, { version: 1, entries: [{ key: ['k'], status: 'success', data: 'x', dataUpdatedAt: T0, requestedAt: T0 }] });
		expect(browser.getState(['k'])).toMatchObject({ data: 'x', dataUpdatedAt: T0 });
	});

	it('a browser fetch sent after the server’s request went out still lands', async () => {
		const browser = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		await advance(1000);
		const own = browser.fetchQuery({ key: ['k'], fetcher }); // sent at T0+1s
		hydrate(browser, wire({ version: 1, entries: [{ key: ['k'], status: 'success', data: 'server, read at T0', dataUpdatedAt: T0 + 1000, requestedAt: T0 }] }));
		expect(browser.getQueryData(['k'])).toBe('server, read at T0'); // fills the entry meanwhile
		call(0).resolve('browser, read at T0+1s');
		await expect(own).resolves.toBe('browser, read at T0+1s');
		expect(browser.getQueryData(['k'])).toBe('browser, read at T0+1s');
	});
});

describe('dehydrate', () => {
	it('by default includes only successful entries', async () => {
		const payload = dehydrate(await serverClient());
		expect(payload).toEqual({
			version: DEHYDRATED_VERSION,
			entries: [{ key: ['todos', { page: 1 }], status: 'success', data: [{ id: 1 }], dataUpdatedAt: T0 }]
		});
		expect(DEHYDRATED_VERSION).toBe(1);
	});

	it('shouldDehydrate chooses the entries, given each state and normalized key', async () => {
		const server = await serverClient();
		const seen: [string, KeyParts][] = [];
		const payload = dehydrate(server, {
			shouldDehydrate: (state, key) => {
				seen.push([state.status, key]);
				return state.status === 'error';
			}
		});
		expect(seen).toEqual([
			['success', ['todos', { page: 1 }]],
			['error', ['broken']],
			['pending', ['slow']]
		]);
		expect(payload.entries).toHaveLength(1);
		expect(payload.entries[0]).toMatchObject({ key: ['broken'], status: 'error' });
	});

	it('refuses a shouldDehydrate that returns a promise (an async function in plain JS), which would let every entry through, errors included', async () => {
		const server = await serverClient();
		const asyncChoice = (async (state: { status: string }) => state.status === 'success') as never;
		expect(() => dehydrate(server, { shouldDehydrate: asyncChoice })).toThrow(
			/^dehydrate\(client, options\): "shouldDehydrate" must return a boolean, got a promise$/
		);
	});

	it('keeps the TypeError the only error when the refused async shouldDehydrate rejects (no unhandled rejection beside it)', async () => {
		const server = await serverClient();
		vi.useRealTimers();
		const asyncChoice = (async () => {
			throw new Error('permission lookup failed');
		}) as never;
		const unhandled = await unhandledRejectionsDuring(() => {
			expect(() => dehydrate(server, { shouldDehydrate: asyncChoice })).toThrow(/"shouldDehydrate" must return a boolean, got a promise$/);
		});
		expect(unhandled.map(String)).toEqual([]);
	});

	it('an error crosses as { name, message } only, never a stack, with the time of the error', async () => {
		const payload = dehydrate(await serverClient(), { shouldDehydrate: (state) => state.isError });
		expect(payload.entries[0]?.error).toEqual({ name: 'Error', message: 'server secret: db at 10.0.0.1' });
		expect(payload.entries[0]?.errorUpdatedAt).toBe(T0);
		const text = JSON.stringify(payload);
		expect(text).not.toContain('stack');
		expect(text).not.toContain('hydration.test');
	});

	it('an empty client dehydrates to no entries', () => {
		expect(dehydrate(new QoraClient())).toEqual({ version: 1, entries: [] });
	});

	it('leaves out entries whose data has an own "__proto__" property (hydrate would reject the whole payload)', () => {
		const server = new QoraClient();
		server.setQueryData(['hostile'], JSON.parse('{"__proto__":{"polluted":true}}'));
		server.setQueryData(['fine'], { ok: true });
		const payload = dehydrate(server);
		expect(payload.entries.map((e) => e.key)).toEqual([['fine']]);
		expect(() => hydrate(new QoraClient(), wire(payload))).not.toThrow();
	});

	it('leaves out entries whose data a JSON round trip would change, unless richData', () => {
		const client = new QoraClient();
		const unsafe: Record<string, unknown> = {
			date: { at: new Date(0) },
			map: new Map([[1, 2]]),
			bigint: { total: 10n },
			nan: [1, NaN],
			hole: [1, , 3], // eslint-disable-line no-sparse-arrays
			undefinedItem: [undefined],
			fn: { run: () => 1 },
			instance: new (class Point {})(),
			arraySubclass: Object.setPrototypeOf([1, 2], class Rows extends Array {}.prototype) // a driver's result rows, say
		};
		for (const [name, data] of Object.entries(unsafe)) client.setQueryData([name], data);
		client.setQueryData(['plain'], { a: [1, 'x', null, true, { b: undefined }], c: Object.assign(Object.create(null), { d: 1 }) });
		expect(dehydrate(client).entries.map((entry) => entry.key)).toEqual([['plain']]);
		expect(() => JSON.stringify(dehydrate(client))).not.toThrow();
		// Kept for devalue, whose built-ins (and an app's transport hook) carry what JSON cannot.
		expect(dehydrate(client, { richData: true }).entries).toHaveLength(Object.keys(unsafe).length + 1);
	});

	it('keeps the payload serialisable when one entry’s data nests deeper than JSON.stringify can go (that entry is left out)', () => {
		// JSON.parse reads any depth (a fetcher's res.json() of a user's document), JSON.stringify
		// recurses and overflows the stack some thousands of levels down: the whole payload, and the
		// server render writing it into the page, would fail for one such entry.
		const server = new QoraClient();
		server.setQueryData(['doc'], JSON.parse('['.repeat(20_000) + ']'.repeat(20_000)));
		server.setQueryData(['posts'], [{ id: 1 }]);
		const payload = dehydrate(server);
		expect(() => JSON.stringify(payload)).not.toThrow();
		expect(payload.entries.map((entry) => entry.key)).toEqual([['posts']]);
	});

	it('leaves out data that is itself no JSON value (NaN, Infinity, a BigInt), unless richData', () => {
		const client = new QoraClient();
		client.setQueryData(['nan'], NaN);
		client.setQueryData(['infinity'], Infinity);
		client.setQueryData(['bigint'], 10n);
		client.setQueryData(['null'], null);
		expect(dehydrate(client).entries.map((entry) => entry.key)).toEqual([['null']]);
		expect(dehydrate(client, { richData: true }).entries).toHaveLength(4);
	});

	it('checks data of more than 100,000 objects for JSON in full: it crosses, shared parts included, unless something deep inside cannot', () => {
		const client = new QoraClient();
		const team = { name: 'core' };
		client.setQueryData(['rows'], Array.from({ length: 100_001 }, (_, id) => ({ id, team })));
		const dated = Array.from({ length: 100_001 }, (_, id) => ({ id }));
		Object.assign(dated[0] as object, { at: new Date(0) }); // the last object the walk reaches
		client.setQueryData(['dated'], dated);
		expect(dehydrate(client).entries.map((entry) => entry.key)).toEqual([['rows']]);
		expect(dehydrate(client, { richData: true }).entries).toHaveLength(2);
	});

	it('keeps data with cycles or shared parts for a devalue transport (richData), and leaves only the cycles out of JSON', () => {
		const client = new QoraClient();
		const tree: Record<string, unknown> = { name: 'root', children: [] };
		(tree.children as unknown[]).push({ name: 'leaf', parent: tree });
		const author = { id: 7 };
		client.setQueryData(['tree'], tree);
		client.setQueryData(['posts'], [{ id: 1, author }, { id: 2, author }]);
		// A cycle far from the root: the walk has to get past its quick budget to find it.
		const deep = Array.from({ length: 60_000 }, (_, id) => ({ id }));
		(deep[59_999] as Record<string, unknown>).all = deep;
		client.setQueryData(['deep'], deep);

		expect(dehydrate(client).entries.map((entry) => entry.key)).toEqual([['posts']]);
		const rich = dehydrate(client, { richData: true });
		expect(rich.entries.map((entry) => entry.key)).toEqual([['tree'], ['posts'], ['deep']]);
		expect(rich.entries[0]?.data).toBe(tree);

		// devalue carries such data across; hydrate takes it as it comes.
		const browser = new QoraClient();
		hydrate(browser, { version: DEHYDRATED_VERSION, entries: rich.entries.map((entry) => ({ ...entry })) });
		expect(browser.getQueryData(['tree'])).toBe(tree);
		expect(browser.getQueryData(['deep'])).toBe(deep);
	});

	it('finds a __proto__ property behind a cycle and leaves that entry out', () => {
		const client = new QoraClient();
		const cyclic = () => {
			const data: Record<string, unknown> = { items: Array.from({ length: 120_000 }, (_, id) => ({ id })) };
			data.self = data;
			return data;
		};
		const tampered = cyclic();
		Object.defineProperty((tampered.items as object[])[119_999], '__proto__', { value: { admin: true }, enumerable: true });
		client.setQueryData(['tampered'], tampered);
		client.setQueryData(['clean'], cyclic()); // the same without it crosses
		expect(dehydrate(client, { richData: true }).entries.map((entry) => entry.key)).toEqual([['clean']]);
	});

	it('never writes what hydrate refuses: an error whose message is not a string, a timestamp before 1970', async () => {
		const clock = { now: () => -5, setTimeout: () => 0, clearTimeout: () => {} };
		const server = new QoraClient({ clock, defaultOptions: { retry: false } });
		server.setQueryData(['early'], 'from an odd clock');
		await server.prefetchQuery({
			key: ['failed'],
			fetcher: async () => Promise.reject(Object.assign(new Error('x'), { message: { code: 42 }, name: 7 }))
		});
		const payload = wire(dehydrate(server, { shouldDehydrate: () => true }));
		const browser = new QoraClient();
		expect(() => hydrate(browser, payload)).not.toThrow();
		expect(browser.getState(['early'])).toMatchObject({ data: 'from an odd clock', dataUpdatedAt: 0, isStale: true });
		expect(browser.getState(['failed'])?.error).toMatchObject({ name: '7', message: '[object Object]' });
	});

	it('leaves out an error entry whose message has no string form at all', async () => {
		const server = new QoraClient({ defaultOptions: { retry: false } });
		const unprintable = { toString: () => { throw new Error('no'); } };
		await server.prefetchQuery({ key: ['failed'], fetcher: async () => Promise.reject(Object.assign(new Error('x'), { message: unprintable })) });
		server.setQueryData(['ok'], 1);
		expect(dehydrate(server, { shouldDehydrate: () => true }).entries.map((e) => e.key)).toEqual([['ok']]);
	});

	it('survives a JSON round trip unchanged', async () => {
		const payload = dehydrate(await serverClient(), { shouldDehydrate: () => true });
		expect(wire(payload)).toEqual(payload);
	});
});

describe('hydrate', () => {
	it('a JSON round trip fills an empty client with the same data and timestamps', async () => {
		const server = await serverClient();
		await advance(MINUTE);
		const browser = new QoraClient();
		hydrate(browser, wire(dehydrate(server)));
		expect(browser.getState(['todos', { page: 1 }])).toMatchObject({
			status: 'success',
			fetchStatus: 'idle',
			data: [{ id: 1 }],
			dataUpdatedAt: T0
		});
		expect(browser.size).toBe(1);
	});

	it('hydrated data is fresh for staleTime from the server’s timestamp, so watchers do not refetch it', async () => {
		const server = await serverClient();
		const browser = new QoraClient();
		hydrate(browser, wire(dehydrate(server)));
		const fetcher = vi.fn(async () => [{ id: 2 }]);
		const watcher = record(browser.watchQuery({ key: ['todos', { page: 1 }], fetcher }));
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(watcher.last.data).toEqual([{ id: 1 }]);
	});

	it('round-trips error entries let through by shouldDehydrate as errors', async () => {
		const server = await serverClient();
		const browser = new QoraClient();
		hydrate(browser, wire(dehydrate(server, { shouldDehydrate: (state) => state.isError })));
		const state = browser.getState(['broken']);
		expect(state).toMatchObject({ status: 'error', data: undefined, isLoadingError: true });
		expect(state?.error).toBeInstanceOf(Error);
		expect(state?.error?.message).toBe('server secret: db at 10.0.0.1');
	});

	it('round-trips an error entry that kept its data (a failed refetch) with its data', async () => {
		const server = new QoraClient({ defaultOptions: { retry: false, staleTime: 0 } });
		server.setQueryData(['k'], 'cached');
		await server.prefetchQuery({ key: ['k'], fetcher: failing });
		await flush();
		expect(server.getState(['k'])).toMatchObject({ status: 'error', data: 'cached' });
		const payload = wire(dehydrate(server, { shouldDehydrate: () => true }));
		const browser = new QoraClient();
		hydrate(browser, payload);
		expect(browser.getQueryData(['k'])).toBe('cached');
		expect(browser.getState(['k'])).toMatchObject({ status: 'error', data: 'cached', isRefetchError: true, dataUpdatedAt: T0 });
	});

	it('never overwrites newer (or equally new) client data', async () => {
		const server = await serverClient();
		const payload = wire(dehydrate(server));
		const browser = new QoraClient();
		await advance(1000);
		browser.setQueryData(['todos', { page: 1 }], [{ id: 'newer' }]);
		hydrate(browser, payload);
		expect(browser.getQueryData(['todos', { page: 1 }])).toEqual([{ id: 'newer' }]);

		const same = new QoraClient();
		vi.setSystemTime(T0);
		same.setQueryData(['todos', { page: 1 }], [{ id: 'same time' }]);
		hydrate(same, payload);
		expect(same.getQueryData(['todos', { page: 1 }])).toEqual([{ id: 'same time' }]);
	});

	it('replaces older client data and notifies its watchers', async () => {
		const browser = new QoraClient();
		browser.setQueryData(['todos', { page: 1 }], [{ id: 'old' }]);
		const watcher = record(browser.observeQuery(['todos', { page: 1 }]));
		await advance(1000);
		const server = new QoraClient();
		server.setQueryData(['todos', { page: 1 }], [{ id: 'server' }]);
		hydrate(browser, wire(dehydrate(server)));
		expect(watcher.states.map((s) => s.data)).toEqual([[{ id: 'old' }], [{ id: 'server' }]]);
		expect(watcher.last.dataUpdatedAt).toBe(T0 + 1000);
	});

	it('a server timestamp in the future counts as now', async () => {
		const browser = new QoraClient({ defaultOptions: { gcTime: Infinity } });
		const payload: DehydratedState = {
			version: 1,
			entries: [{ key: ['k'], status: 'success', data: 'x', dataUpdatedAt: T0 + 60 * MINUTE }]
		};
		hydrate(browser, payload);
		expect(browser.getState(['k'])?.dataUpdatedAt).toBe(T0);
		await advance(5 * MINUTE - 1);
		expect(browser.getState(['k'])?.isStale).toBe(false);
		await advance(1);
		expect(browser.getState(['k'])?.isStale).toBe(true);
	});

	it('a hydrated entry nobody watches is collected gcTime later', async () => {
		const browser = new QoraClient();
		hydrate(browser, { version: 1, entries: [{ key: ['k'], status: 'success', data: 1, dataUpdatedAt: T0 }] });
		await advance(5 * MINUTE);
		expect(browser.size).toBe(0);
	});

	it('hydrating success data during a fetch wins over that fetch, whose callers get the hydrated data', async () => {
		const browser = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const result = browser.fetchQuery({ key: ['k'], fetcher });
		hydrate(browser, { version: 1, entries: [{ key: ['k'], status: 'success', data: 'hydrated', dataUpdatedAt: T0 }] });
		call(0).resolve('fetched');
		await expect(result).resolves.toBe('hydrated');
	});

	it('data the server had before a browser fetch started does not discard that fetch’s result', async () => {
		const browser = new QoraClient();
		browser.setQueryData(['posts'], 'cached');
		const serverHadItAt = Date.now() + 1000;
		await advance(2000);
		const { fetcher, call } = controlledFetcher<string>();
		void browser.fetchQuery({ key: ['posts'], fetcher, options: { staleTime: 0 } }); // background refetch
		await advance(500);
		hydrate(browser, { version: 1, entries: [{ key: ['posts'], status: 'success', data: 'server', dataUpdatedAt: serverHadItAt }] });
		expect(browser.getQueryData(['posts'])).toBe('server'); // newer than what the cache had
		call(0).resolve('fetched after');
		await flush();
		expect(browser.getState(['posts'])).toMatchObject({ data: 'fetched after', fetchStatus: 'idle' });
	});

	it('an error record older than the entry’s own failure leaves that error and the retry in progress alone', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		client.watchQuery({ key: ['k'], fetcher, options: { retry: 0 } }).subscribe(() => {});
		await advance(1000);
		call(0).reject(new Error('browser failure at T0+1s'));
		await flush();
		void client.invalidate(['k']); // "try again"
		expect(client.getState(['k'])).toMatchObject({ status: 'error', fetchStatus: 'fetching', errorUpdatedAt: T0 + 1000 });
		// A late payload from a server that ships errors (shouldDehydrate lets them through), made earlier.
		hydrate(client, {
			version: 1,
			entries: [{ key: ['k'], status: 'error', dataUpdatedAt: 0, error: { name: 'Error', message: 'server failure at T0' }, errorUpdatedAt: T0 }]
		});
		expect(client.getState(['k'])).toMatchObject({ status: 'error', fetchStatus: 'fetching', errorUpdatedAt: T0 + 1000 });
		expect(client.getState(['k'])?.error?.message).toBe('browser failure at T0+1s');
		client.cancel(['k']);
		expect(client.getState(['k'])?.error?.message).toBe('browser failure at T0+1s');
	});

	it('an error record carrying older data does not discard a fetch started after the server had it', async () => {
		const browser = new QoraClient();
		const serverHadItAt = Date.now();
		await advance(10_000);
		const { fetcher, call } = controlledFetcher<string>();
		const running = browser.fetchQuery({ key: ['k'], fetcher });
		hydrate(browser, {
			version: 1,
			entries: [
				{ key: ['k'], status: 'error', data: 'server', dataUpdatedAt: serverHadItAt, error: { name: 'Error', message: 'x' }, errorUpdatedAt: serverHadItAt + 1000 }
			]
		});
		call(0).resolve('fresh');
		await expect(running).resolves.toBe('fresh');
		expect(browser.getState(['k'])).toMatchObject({ status: 'success', data: 'fresh' });
	});

	it('keeps an entry invalidated when the server had the data before the invalidation, and clears it when after', async () => {
		const browser = new QoraClient();
		browser.setQueryData(['posts'], 'cached');
		browser.setQueryData(['users'], 'cached');
		const before = Date.now() + 1000;
		await advance(2000);
		void browser.invalidate(['posts']);
		void browser.invalidate(['users']);
		await advance(1000);
		hydrate(browser, {
			version: 1,
			entries: [
				{ key: ['posts'], status: 'success', data: 'from before the invalidation', dataUpdatedAt: before },
				{ key: ['users'], status: 'success', data: 'from after it', dataUpdatedAt: Date.now() - 500 }
			]
		});
		expect(browser.getState(['posts'])).toMatchObject({ data: 'from before the invalidation', isInvalidated: true, isStale: true });
		expect(browser.getState(['users'])).toMatchObject({ data: 'from after it', isInvalidated: false, isStale: false });
	});

	it('takes data from a server clock ahead of ours as fetched now, newer than what the browser has, but lets it undo no invalidation and discard no fetch in flight', async () => {
		const browser = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		browser.watchQuery({ key: ['fetching'], fetcher, options: { staleTime: MINUTE } }).subscribe(() => {});
		browser.observeQuery(['invalidated']).subscribe(() => {}); // an empty entry
		void browser.invalidate(['invalidated']);
		browser.setQueryData(['cached'], 'fetched earlier in the browser');
		await advance(1000);
		// Streamed in now, from a server whose clock runs 5 s ahead: when it had the data is unknown.
		const ahead = Date.now() + 5000;
		const record = (name: string) => ({ key: [name], status: 'success', data: 'from the server', dataUpdatedAt: ahead });
		hydrate(browser, { version: 1, entries: ['fetching', 'invalidated', 'cached', 'new'].map(record) });
		expect(browser.getState(['new'])).toMatchObject({ data: 'from the server', dataUpdatedAt: Date.now(), isStale: false });
		expect(browser.getState(['invalidated'])).toMatchObject({ data: 'from the server', isInvalidated: true });
		// A form action's rerun load, say: the browser's older data is replaced.
		expect(browser.getState(['cached'])).toMatchObject({ data: 'from the server', dataUpdatedAt: Date.now(), isStale: false });
		expect(browser.getState(['fetching'])).toMatchObject({ data: 'from the server', fetchStatus: 'fetching' });
		call(0).resolve('fetched');
		await flush();
		expect(browser.getState(['fetching'])).toMatchObject({ data: 'fetched', fetchStatus: 'idle' });
	});

	it('carries an invalidation across: data invalidated on the server arrives stale, and a watcher refetches it', async () => {
		const browser = new QoraClient({ defaultOptions: { staleTime: MINUTE } });
		browser.setQueryData(['other'], ['older']);
		await advance(1);
		const server = new QoraClient({ defaultOptions: { staleTime: MINUTE } });
		server.setQueryData(['list'], ['a']);
		server.setQueryData(['other'], ['b']);
		await server.invalidate(['list']); // a server load that writes, then invalidates
		const payload = wire(dehydrate(server));
		expect(payload.entries.map((entry) => entry.invalidated)).toEqual([true, undefined]);

		hydrate(browser, payload);
		expect(browser.getState(['list'])).toMatchObject({ data: ['a'], isInvalidated: true, isStale: true });
		expect(browser.getState(['other'])).toMatchObject({ data: ['b'], isInvalidated: false, isStale: false });
		const fetcher = vi.fn(async () => ['a', 'new']);
		browser.watchQuery({ key: ['list'], fetcher }).subscribe(() => {});
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(browser.getState(['list'])).toMatchObject({ data: ['a', 'new'], isInvalidated: false, isStale: false });
	});

	it('refetches data that arrives invalidated for a query already on screen', async () => {
		const browser = new QoraClient();
		let version = 0;
		const fetcher = vi.fn(async () => `v${++version}`);
		const states = record(browser.watchQuery({ key: ['list'], fetcher, options: { staleTime: MINUTE } }));
		await flush();
		await advance(1000);
		hydrate(browser, { version: 1, entries: [{ key: ['list'], status: 'success', data: 'server', dataUpdatedAt: Date.now(), invalidated: true }] });
		expect(states.last).toMatchObject({ data: 'server', isInvalidated: true, fetchStatus: 'fetching' });
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(states.last).toMatchObject({ data: 'v2', isInvalidated: false, isStale: false });
	});

	it('refetches invalidated data once a fetch in flight that it overrode has settled', async () => {
		const browser = new QoraClient();
		const { fetcher, calls, call } = controlledFetcher<string>();
		const states = record(browser.watchQuery({ key: ['list'], fetcher }));
		await advance(1000);
		// The server had the data after the browser's request went out, then invalidated it.
		hydrate(browser, { version: 1, entries: [{ key: ['list'], status: 'success', data: 'server', dataUpdatedAt: Date.now(), invalidated: true }] });
		call(0).resolve('older browser answer'); // dropped: the hydrated write is newer
		await flush();
		expect(calls).toHaveLength(2);
		expect(states.last).toMatchObject({ data: 'server', isInvalidated: true, fetchStatus: 'fetching' });
		call(1).resolve('fresh');
		await flush();
		expect(states.last).toMatchObject({ data: 'fresh', isInvalidated: false, fetchStatus: 'idle' });
	});

	it('refetches invalidated data that came in an error record, for a query on screen', async () => {
		const browser = new QoraClient({ defaultOptions: { retry: 0 } });
		const { fetcher, calls, call } = controlledFetcher<string>();
		record(browser.watchQuery({ key: ['e'], fetcher }));
		call(0).reject(new Error('browser'));
		await flush();
		await advance(1000);
		const at = Date.now();
		hydrate(browser, {
			version: 1,
			entries: [{ key: ['e'], status: 'error', data: 'server', dataUpdatedAt: at, error: { name: 'Error', message: 'x' }, errorUpdatedAt: at, invalidated: true }]
		});
		expect(browser.getState(['e'])).toMatchObject({ data: 'server', isInvalidated: true, fetchStatus: 'fetching' });
		expect(calls).toHaveLength(2);
	});

	it('takes the newer data of an error record while keeping the newer error the browser has', async () => {
		const browser = new QoraClient({ defaultOptions: { retry: 0 } });
		const at = Date.now();
		browser.setQueryData(['k'], 'browser data');
		await advance(10_000);
		await browser.fetchQuery({ key: ['k'], fetcher: failingFetcher('refetch failed'), options: { staleTime: 0 } });
		await flush();
		hydrate(browser, {
			version: 1,
			entries: [
				{ key: ['k'], status: 'error', data: 'server data', dataUpdatedAt: at + 5000, error: { name: 'Error', message: 'older' }, errorUpdatedAt: at + 6000 }
			]
		});
		expect(browser.getState(['k'])).toMatchObject({ status: 'error', data: 'server data', dataUpdatedAt: at + 5000, error: { message: 'refetch failed' } });
	});

	it('counts an invalidation a restored snapshot brought, of unknown time, as older than the server’s data', async () => {
		const browser = new QoraClient();
		browser.watchQuery({ key: ['a'], fetcher: () => new Promise<string>(() => {}) }).subscribe(() => {});
		void browser.invalidate(['a']);
		browser.restoreQueryData(['b'], browser.getState(['a'])); // pending, invalidated
		expect(browser.getState(['b'])).toMatchObject({ status: 'pending', isInvalidated: true });
		hydrate(browser, { version: 1, entries: [{ key: ['b'], status: 'success', data: 'server', dataUpdatedAt: Date.now() - 1500 }] });
		expect(browser.getState(['b'])).toMatchObject({ data: 'server', isInvalidated: false });
	});

	it('applies a payload object once per client: a replay cannot bring back what the app changed since', async () => {
		const browser = new QoraClient();
		const payload = { version: 1, entries: [{ key: ['gone'], status: 'success', data: 'server', dataUpdatedAt: Date.now() }] };
		hydrate(browser, payload);
		await advance(1000);
		browser.remove(['gone']);
		await advance(1000);
		hydrate(browser, payload);
		expect(browser.getState(['gone'])).toBeUndefined();
		// The same data in a new object (another response) is applied as usual.
		hydrate(new QoraClient(), payload);
		hydrate(browser, wire(payload));
		expect(browser.getQueryData(['gone'])).toBe('server');
	});

	it('an error entry fills an existing entry that has neither data nor an error', () => {
		const browser = new QoraClient();
		const stop = browser.observeQuery(['k']).subscribe(() => {}); // makes a pending entry
		hydrate(browser, { version: 1, entries: [{ key: ['k'], status: 'error', dataUpdatedAt: 0, error: { name: 'Error', message: 'from server' } }] });
		expect(browser.getState(['k'])).toMatchObject({ status: 'error', error: { message: 'from server' } });
		stop();
	});

	it('data fills an existing entry that has none, even data dated 0 (initialData dated 0 on the server)', () => {
		const browser = new QoraClient();
		const stop = browser.observeQuery(['k']).subscribe(() => {}); // makes a pending entry
		hydrate(browser, { version: 1, entries: [{ key: ['k'], status: 'success', data: 'from server', dataUpdatedAt: 0 }] });
		expect(browser.getState(['k'])).toMatchObject({ status: 'success', data: 'from server', dataUpdatedAt: 0 });
		stop();
	});

	it('hydrating an error entry during a fetch does not discard the fetch’s result', async () => {
		const browser = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const result = browser.fetchQuery({ key: ['k'], fetcher });
		hydrate(browser, {
			version: 1,
			entries: [{ key: ['k'], status: 'error', dataUpdatedAt: T0 - 1000, error: { name: 'Error', message: 'old' } }]
		});
		call(0).resolve('fetched');
		await expect(result).resolves.toBe('fetched');
		expect(browser.getState(['k'])).toMatchObject({ status: 'success', data: 'fetched' });
	});

	it('an error entry never replaces client data, or a newer client error', async () => {
		const browser = new QoraClient({ defaultOptions: { retry: false } });
		browser.setQueryData(['data'], 'kept');
		await advance(1000);
		await browser.prefetchQuery({ key: ['error'], fetcher: failing });
		const errorEntry = (key: string[]) => ({
			key,
			status: 'error' as const,
			dataUpdatedAt: 0,
			errorUpdatedAt: T0 + 500,
			error: { name: 'Error', message: 'from server' }
		});
		hydrate(browser, { version: 1, entries: [errorEntry(['data']), errorEntry(['error'])] });
		expect(browser.getState(['data'])).toMatchObject({ status: 'success', data: 'kept' });
		expect(browser.getState(['error'])?.error?.message).toBe('server secret: db at 10.0.0.1');
	});

	it('an error record’s name is kept when it is a string; otherwise the error is a plain "Error"', () => {
		const browser = new QoraClient();
		const failed = (key: string, error: Record<string, unknown>) => ({ key: [key], status: 'error', dataUpdatedAt: 0, error });
		hydrate(browser, {
			version: 1,
			entries: [failed('named', { name: 'TimeoutError', message: 'm' }), failed('unnamed', { message: 'm' }), failed('numbered', { name: 7, message: 'm' })]
		});
		expect(['named', 'unnamed', 'numbered'].map((key) => browser.getState([key])?.error?.name)).toEqual(['TimeoutError', 'Error', 'Error']);
	});

	it('remembers every payload object it took in, not only the last one', async () => {
		const browser = new QoraClient();
		const first = { version: 1, entries: [{ key: ['gone'], status: 'success', data: 'server', dataUpdatedAt: Date.now() }] };
		hydrate(browser, first);
		hydrate(browser, { version: 1, entries: [] });
		await advance(1000);
		browser.remove(['gone']);
		hydrate(browser, first);
		expect(browser.getState(['gone'])).toBeUndefined();
	});

	it('accepts keys whose object parts are written in any property order', () => {
		const browser = new QoraClient();
		hydrate(browser, {
			version: 1,
			entries: [{ key: ['t', { b: 2, a: 1 }], status: 'success', data: 1, dataUpdatedAt: T0 }]
		});
		expect(browser.getQueryData(['t', { a: 1, b: 2 }])).toBe(1);
	});
});

describe('hydrate applies a payload as a whole, then tells listeners (found by review)', () => {
	it('keeps a dependent query from fetching what the same payload brings: a watcher told of one key sees the payload\'s other keys', async () => {
		// A navigation's (or a stream's) payload with the user and the user's org, the layout watching the user.
		const browser = new QoraClient({ defaultOptions: { staleTime: MINUTE } });
		browser.setQueryData(['user'], { name: 'Ada', org: null });
		await advance(1000);
		const server = new QoraClient();
		server.setQueryData(['user'], { name: 'Ada', org: 1 });
		server.setQueryData(['org', 1], { name: 'Analytical Engines' });
		const payload = wire(dehydrate(server));
		server.dispose();
		const orgFetcher = vi.fn(async () => ({ name: 'from the network' }));
		const orgSeen: unknown[] = [];
		let stopOrg: (() => void) | undefined;
		// The dependent query mounts once the user names an org (`enabled: !!$user.data?.org`).
		const stopUser = browser.watchQuery<{ name: string; org: number | null }>({ key: ['user'], fetcher: async () => ({ name: 'Ada', org: null }) }).subscribe((state) => {
			const org = state.data?.org;
			if (org == null || stopOrg) return;
			orgSeen.push(browser.getQueryData(['org', org]));
			stopOrg = browser.watchQuery({ key: ['org', org], fetcher: orgFetcher }).subscribe(() => {});
		});
		hydrate(browser, payload);
		await flush();
		// Told of the user before the payload's org was in: it found no org, and fetched what the payload held.
		expect(orgSeen).toEqual([{ name: 'Analytical Engines' }]);
		expect(orgFetcher).not.toHaveBeenCalled();
		stopOrg?.();
		stopUser();
		browser.dispose();
	});
});

describe('hydrateExcept (streamed payloads that skip what the app removed meanwhile)', () => {
	it('leaves out the removed keys, looking at each once rather than once per record', () => {
		const server = new QoraClient();
		for (let i = 0; i < 1_000; i++) server.setQueryData(['todo', i], { id: i });
		const payload = JSON.parse(JSON.stringify(dehydrate(server)));
		let reads = 0;
		const counted = (id: number) => new Proxy(['todo', id], { get: (target, property, receiver) => (property === '1' && reads++, Reflect.get(target, property, receiver)) });
		const removed = [counted(3), counted(500), counted(5_000)];
		const client = new QoraClient();
		hydrateExcept(client, payload, removed);
		expect(client.size).toBe(998);
		expect(client.getQueryData(['todo', 3])).toBeUndefined();
		expect(client.getQueryData(['todo', 500])).toBeUndefined();
		expect(client.getQueryData(['todo', 4])).toEqual({ id: 4 });
		// Comparing every record with every removed key read each of them 1,000 times.
		expect(reads).toBeLessThan(3 * 10);
	});

	it('applies nothing when the app cleared everything meanwhile, and still counts the payload as applied', () => {
		const client = new QoraClient();
		const payload = { version: 1, entries: [{ key: ['k'], status: 'success', data: 'server', dataUpdatedAt: T0 }] };
		hydrateExcept(client, payload, 'all');
		expect(client.size).toBe(0);
		hydrate(client, payload);
		expect(client.size).toBe(0);
		expect(() => hydrateExcept(client, { version: 2, entries: [] }, 'all')).toThrow(/^hydrate: invalid payload/);
	});
});

describe('dehydrate and hydrate given bad arguments', () => {
	it('throw a TypeError naming the mistake: a misspelt or mistyped option, or something that is not a client', () => {
		const client = new QoraClient();
		client.setQueryData(['when'], new Date(0));
		expect(() => dehydrate(client, { richdata: true } as never)).toThrow(/^dehydrate\(client, options\): unknown option "richdata"; did you mean "richData"\?$/);
		expect(() => dehydrate(client, { shouldDehydrate: true } as never)).toThrow(/"shouldDehydrate" must be a function/);
		expect(() => dehydrate(client, { richData: 'true' } as never)).toThrow(/"richData" must be a boolean, got string/);
		expect(() => dehydrate(null as never)).toThrow(/^dehydrate\(client, options\): expected a QoraClient, got null$/);
		expect(() => hydrate(null as never, { version: 1, entries: [] })).toThrow(/^hydrate\(client, payload\): expected a QoraClient, got null$/);
		expect(() => client.fetchQuery({ key: ['k'], fetcher: async () => 1, options: [] as never })).toThrow(/options must be an object, got an array/);
	});

	it('dehydrate names options that are not an object: null, a number', () => {
		const client = new QoraClient();
		expect(() => dehydrate(client, null as never)).toThrow(/^dehydrate\(client, options\): options must be an object, got null$/);
		expect(() => dehydrate(client, 5 as never)).toThrow(/^dehydrate\(client, options\): options must be an object, got number$/);
	});
});

describe('hydrate: malformed payloads throw before anything is applied', () => {
	const valid = { key: ['ok'], status: 'success', data: 'applied?', dataUpdatedAt: T0 };
	const payloads: [string, unknown][] = [
		['null', null],
		['a string', '{"version":1}'],
		['an array', []],
		['no version', { entries: [] }],
		['an unknown version', { version: 2, entries: [] }],
		['entries not an array', { version: 1, entries: {} }],
		['an unknown top-level field', { version: 1, entries: [valid], extra: true }],
		// eslint-disable-next-line no-sparse-arrays
		['a hole in entries', { version: 1, entries: [valid, , valid] }],
		['an entry that is not an object', { version: 1, entries: [valid, 'x'] }],
		['an entry with an unknown field', { version: 1, entries: [valid, { ...valid, key: ['b'], extra: 1 }] }],
		['a key that is not an array', { version: 1, entries: [valid, { ...valid, key: 'b' }] }],
		['an invalid key part', { version: 1, entries: [valid, { ...valid, key: ['b', { since: null, x: [undefined] }] }] }],
		['an unknown status', { version: 1, entries: [valid, { ...valid, key: ['b'], status: 'done' }] }],
		['a missing dataUpdatedAt', { version: 1, entries: [valid, { key: ['b'], status: 'success', data: 1 }] }],
		['a string dataUpdatedAt', { version: 1, entries: [valid, { ...valid, key: ['b'], dataUpdatedAt: '0' }] }],
		['a negative dataUpdatedAt', { version: 1, entries: [valid, { ...valid, key: ['b'], dataUpdatedAt: -1 }] }],
		['an infinite dataUpdatedAt', { version: 1, entries: [valid, { ...valid, key: ['b'], dataUpdatedAt: Infinity }] }],
		[
			'a bad errorUpdatedAt',
			{ version: 1, entries: [valid, { key: ['b'], status: 'error', dataUpdatedAt: 0, errorUpdatedAt: 'now', error: { name: 'E', message: 'm' } }] }
		],
		['a success without data', { version: 1, entries: [valid, { key: ['b'], status: 'success', dataUpdatedAt: T0 }] }],
		['an error without an error', { version: 1, entries: [valid, { key: ['b'], status: 'error', dataUpdatedAt: T0 }] }],
		[
			'an error whose message is not a string',
			{ version: 1, entries: [valid, { key: ['b'], status: 'error', dataUpdatedAt: T0, error: { name: 'E', message: 5 } }] }
		],
		['a BigInt dataUpdatedAt', { version: 1, entries: [valid, { ...valid, key: ['b'], dataUpdatedAt: 1n }] }],
		['a BigInt status', { version: 1, entries: [valid, { ...valid, key: ['b'], status: 1n }] }],
		[
			'a BigInt errorUpdatedAt',
			{ version: 1, entries: [valid, { key: ['b'], status: 'error', dataUpdatedAt: 1, errorUpdatedAt: 1n, error: { name: 'E', message: 'm' } }] }
		],
		['a BigInt version', { version: 1n, entries: [valid] }],
		['an error on a success entry', { version: 1, entries: [valid, { ...valid, key: ['b'], error: 42 }] }],
		['an errorUpdatedAt on a success entry', { version: 1, entries: [valid, { ...valid, key: ['b'], errorUpdatedAt: 'garbage' }] }],
		['data on a pending entry', { version: 1, entries: [valid, { key: ['b'], status: 'pending', data: { x: 1 }, dataUpdatedAt: T0 }] }],
		['an invalidated flag that is not true', { version: 1, entries: [valid, { ...valid, key: ['b'], invalidated: 'yes' }] }],
		['a requestedAt later than dataUpdatedAt', { version: 1, entries: [valid, { ...valid, key: ['b'], requestedAt: Number.MAX_SAFE_INTEGER }] }],
		['a requestedAt that is not a timestamp', { version: 1, entries: [valid, { ...valid, key: ['b'], requestedAt: -5 }] }],
		['a requestedAt without data', { version: 1, entries: [valid, { key: ['b'], status: 'pending', dataUpdatedAt: T0, requestedAt: 0 }] }],
		['an invalidated flag without data', { version: 1, entries: [valid, { key: ['b'], status: 'pending', dataUpdatedAt: T0, invalidated: true }] }],
		['an entry that is a class instance', { version: 1, entries: [valid, Object.assign(new (class Row {})(), valid, { key: ['b'] })] }],
		[
			'a "__proto__" property beside data JSON cannot carry (a devalue payload)',
			{ version: 1, entries: [valid, { ...valid, key: ['b'], data: JSON.parse('{"__proto__":{"polluted":true}}') }, { ...valid, key: ['c'], data: 10n }] }
		],
		['a "__proto__" property', JSON.parse(`{"version":1,"entries":[${JSON.stringify(valid)},{"key":["b"],"status":"success","data":{"__proto__":{"polluted":true}},"dataUpdatedAt":1}]}`)]
	];

	for (const [name, payload] of payloads) {
		it(name, () => {
			const browser = new QoraClient();
			browser.setQueryData(['existing'], 'untouched');
			const watcher = record(browser.observeQuery(['ok']));
			const before = browser.getState(['existing']);
			expect(() => hydrate(browser, payload)).toThrow(/^hydrate: invalid payload/);
			expect(browser.keys()).toEqual([['existing'], ['ok']]);
			expect(browser.getState(['existing'])).toEqual(before);
			expect(browser.getQueryData(['ok'])).toBeUndefined();
			expect(watcher.states).toHaveLength(1);
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		});
	}

	it('the message names the entry and field at fault, and shows the bad value as JSON', () => {
		const messageOf = (payload: unknown) => {
			try {
				hydrate(new QoraClient(), payload);
			} catch (error) {
				return (error as Error).message.replace(/^hydrate: invalid payload: (.*); nothing was applied$/, '$1');
			}
			return 'accepted';
		};
		const second = (entry: Record<string, unknown>) => messageOf({ version: 1, entries: [valid, entry] });
		expect(messageOf(null)).toBe('the payload is not an object');
		expect(messageOf({ entries: [] })).toBe('the payload has no "version"');
		expect(messageOf({ version: '1', entries: [] })).toBe('the payload has version "1"; this Qora reads version 1');
		expect(second('x' as never)).toBe('entries[1] is not an object');
		expect(second({ ...valid, status: 'done' })).toBe('entries[1].status must be "pending", "success" or "error", got "done"');
		expect(second({ ...valid, dataUpdatedAt: '0' })).toBe('entries[1].dataUpdatedAt must be a timestamp in ms, got "0"');
		expect(second({ ...valid, requestedAt: 'early' })).toBe(
			'entries[1].requestedAt must be a timestamp no later than dataUpdatedAt, on an entry with data, or absent; got "early"'
		);
		expect(second({ key: ['b'], status: 'error', dataUpdatedAt: 0, errorUpdatedAt: 'now', error: { name: 'E', message: 'm' } })).toBe(
			'entries[1].errorUpdatedAt must be a timestamp in ms, got "now"'
		);
	});

	it('keeps the message short when the payload holds a huge string where a name or value is quoted', () => {
		const huge = 'x'.repeat(1_000_000);
		const entry = { key: ['k'], status: 'success', data: 1, dataUpdatedAt: 1 };
		const payloads: unknown[] = [
			{ version: 1, entries: [], [huge]: 1 },
			{ version: huge, entries: [] },
			{ version: 1, entries: [{ ...entry, [huge]: 1 }] },
			{ version: 1, entries: [{ ...entry, status: huge }] },
			{ version: 1, entries: [{ ...entry, dataUpdatedAt: [huge] }] },
			{ version: 1, entries: [{ ...entry, requestedAt: huge }] },
			{ version: 1, entries: [{ key: ['k'], status: 'error', dataUpdatedAt: 1, errorUpdatedAt: huge, error: { name: 'E', message: 'm' } }] },
			{ version: 1, entries: [{ ...entry, key: ['k', { [huge]: [undefined] }] }] },
			JSON.parse(`{"version":1,"entries":[{"key":["k"],"status":"success","data":1,"dataUpdatedAt":1,"${huge}":{"__proto__":{}}}]}`)
		];
		for (const payload of payloads) {
			let message = 'accepted';
			try {
				hydrate(new QoraClient(), payload as never);
			} catch (error) {
				message = (error as Error).message;
			}
			expect(message).toMatch(/^hydrate: invalid payload: .*; nothing was applied$/);
			// Before the fix: the whole string, a megabyte of message (and of every log line holding it).
			expect(message.length).toBeLessThan(500);
		}
	});

	it('names the field at fault on an entry that is not an error: errorUpdatedAt, when that is what it carries', () => {
		const messageOf = (entry: Record<string, unknown>) => {
			try {
				hydrate(new QoraClient(), { version: 1, entries: [valid, entry] });
			} catch (error) {
				return (error as Error).message;
			}
			return 'accepted';
		};
		expect(messageOf({ ...valid, key: ['b'], errorUpdatedAt: T0 })).toBe('hydrate: invalid payload: entries[1].errorUpdatedAt is only for error entries; nothing was applied');
		expect(messageOf({ ...valid, key: ['b'], error: { name: 'E', message: 'm' } })).toBe('hydrate: invalid payload: entries[1].error is only for error entries; nothing was applied');
	});

	it('names a payload of another version as such, though that version has fields this one does not know (a tab open across a deploy)', () => {
		let message = 'accepted';
		try {
			hydrate(new QoraClient(), { version: 2, entries: [], mutations: [] });
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toBe('hydrate: invalid payload: the payload has version 2; this Qora reads version 1; nothing was applied');
	});

	it('names a promise as such (a streamed qoraState not awaited, in plain JS), not as something that is not an object', () => {
		const streamed = Promise.resolve({ version: 1, entries: [valid] });
		expect(() => hydrate(new QoraClient(), streamed as never)).toThrow(
			/^hydrate: invalid payload: the payload is a promise \(a streamed qoraState\?\): await it; nothing was applied$/
		);
	});

	it('keeps the refusal the only error when the unawaited streamed payload rejects (no unhandled rejection beside it)', async () => {
		vi.useRealTimers();
		const streamed = Promise.reject(new Error('the stream was cut'));
		const unhandled = await unhandledRejectionsDuring(() => {
			expect(() => hydrate(new QoraClient(), streamed as never)).toThrow(/is a promise \(a streamed qoraState\?\): await it/);
		});
		expect(unhandled.map(String)).toEqual([]);
	});

	it('a payload of more objects than the check walks (10,000,000) is refused as too large, beside data JSON cannot carry too', () => {
		const cell = {};
		// Distinct rows: the check walks each once, and counts every cell it reaches.
		const rows = Array.from({ length: 10_001 }, () => Array(1000).fill(cell));
		const browser = new QoraClient();
		const payload = { version: 1, entries: [{ key: ['huge'], status: 'success', data: [10n, ...rows], dataUpdatedAt: T0 }] };
		expect(() => hydrate(browser, payload)).toThrow(/^hydrate: invalid payload: the payload is too large to check; nothing was applied$/);
		expect(browser.size).toBe(0);
	}, HEAVY_TEST_TIMEOUT);

	it('a valid payload with the same entries applies', () => {
		const browser = new QoraClient();
		hydrate(browser, { version: 1, entries: [valid] });
		expect(browser.getQueryData(['ok'])).toBe('applied?');
	});
});
