/**
 * A streamed `qoraState` in the browser: a server load returned
 * prefetchOnServer's promise without awaiting it, so `page.data.qoraState` is
 * a promise, and its payload is hydrated once it arrives. Simulated in Node by
 * making `$app/environment` report a browser.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { dehydrate, QoraClient, type DehydratedState } from '../../src/lib/index.js';
import { hydrateOnce } from '../../src/lib/sveltekit/hydrate-once.js';
import { prefetchOnServer } from '../../src/lib/sveltekit/prefetch-on-server.js';
import { unhandledRejectionsDuring } from './unhandled-rejections.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));

afterEach(() => vi.restoreAllMocks());

/** Lets the promise callbacks hydrateOnce attached run. */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('hydrateOnce with a streamed payload, in the browser', () => {
	test('a streamed prefetchOnServer payload is hydrated once it resolves, without an "invalid payload" error', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		const streamed = prefetchOnServer((q) => q.prefetchQuery({ key: ['posts'], fetcher: () => ['p'] }));
		hydrateOnce(client, streamed, 'page.data.qoraState');
		await streamed;
		await nextTurn();
		expect(error).not.toHaveBeenCalled();
		expect(client.getQueryData(['posts'])).toEqual(['p']);
	});

	test('reports a streamed payload that fails once, however often the page data comes back, and leaves no unhandled rejection', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		const unhandled = await unhandledRejectionsDuring(async () => {
			const streamed = Promise.reject(new Error('the database is down'));
			// The provider's effect reruns on navigation with the same page data.
			hydrateOnce(client, streamed, 'page.data.qoraState');
			hydrateOnce(client, streamed, 'page.data.qoraState');
			await nextTurn();
		});
		expect(unhandled).toEqual([]);
		expect(error).toHaveBeenCalledOnce();
		expect(String(error.mock.calls[0]?.[0])).toContain('page.data.qoraState');
		expect(String(error.mock.calls[0]?.[1])).toContain('the database is down');
		expect(client.size).toBe(0);
	});

	test('reports a streamed value that is not a payload, and leaves the cache unchanged', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		hydrateOnce(client, Promise.resolve({ version: 99, entries: [] }), 'page.data.qoraState');
		await nextTurn();
		expect(error).toHaveBeenCalledOnce();
		expect(String(error.mock.calls[0]?.[1])).toContain('version 99');
		expect(client.size).toBe(0);
	});

	test('arriving late, it fills what the browser lacks and keeps what the browser wrote meanwhile (that is newer)', async () => {
		const client = new QoraClient();
		const streamed = prefetchOnServer(async (q) => {
			await q.prefetchQuery({ key: ['posts'], fetcher: () => ['from the server'] });
			await q.prefetchQuery({ key: ['users'], fetcher: () => ['from the server'] });
		});
		hydrateOnce(client, streamed);
		await streamed;
		client.setQueryData(['posts'], ['written in the browser']);
		await nextTurn();
		expect(client.getQueryData(['posts'])).toEqual(['written in the browser']);
		expect(client.getQueryData(['users'])).toEqual(['from the server']);
	});

	test('a payload that arrived before the page started is applied without the page fetching the same data', async () => {
		const client = new QoraClient();
		const streamed = prefetchOnServer((q) => q.prefetchQuery({ key: ['posts'], fetcher: () => ['from the server'] }));
		await streamed; // it arrived while the page's JavaScript loaded
		const fetcher = vi.fn(async () => ['fetched again']);
		// What the provider and then the page do, in one synchronous pass.
		hydrateOnce(client, streamed, 'page.data.qoraState');
		const seen: unknown[] = [];
		const stop = client.watchQuery({ key: ['posts'], fetcher }).subscribe((state) => seen.push(state.data));
		await nextTurn();
		expect(fetcher).not.toHaveBeenCalled();
		expect(seen.at(-1)).toEqual(['from the server']);
		stop();
	});

	test('a payload still on its way does not hold the page: its queries fetch once the current task is over', async () => {
		const client = new QoraClient();
		const never = new Promise<never>(() => {});
		const fetcher = vi.fn(async () => ['fetched']);
		hydrateOnce(client, never, 'page.data.qoraState');
		const stop = client.watchQuery({ key: ['posts'], fetcher }).subscribe(() => {});
		expect(fetcher).not.toHaveBeenCalled();
		await nextTurn();
		expect(fetcher).toHaveBeenCalledTimes(1);
		stop();
	});

	test('drops a streamed payload that arrives after the client was disposed', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		const streamed = prefetchOnServer((q) => q.prefetchQuery({ key: ['posts'], fetcher: () => ['p'] }));
		hydrateOnce(client, streamed);
		client.dispose();
		await streamed;
		await nextTurn();
		expect(error).not.toHaveBeenCalled();
		expect(client.size).toBe(0);
	});
});

describe('a streamed payload still on its way when the app removes what it holds', () => {
	/** A payload the server made of `entries`, and the page's promise of it, resolved by the test. */
	function streamedPayload(entries: [unknown[], unknown][]) {
		const server = new QoraClient();
		for (const [key, data] of entries) server.setQueryData(key as [string], data);
		const payload = dehydrate(server);
		server.dispose();
		let resolve!: (payload: DehydratedState) => void;
		const promise = new Promise<DehydratedState>((res) => (resolve = res));
		return { payload, promise, arrive: async () => (resolve(payload), await nextTurn()) };
	}

	test('after clear() (a logout), brings nothing back and reports no failure: the next user’s page fetches its own data', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		const stream = streamedPayload([[['orders'], ['order of user A']]]);
		hydrateOnce(client, stream.promise, 'page.data.qoraState');
		client.clear();
		await stream.arrive();
		expect(client.getState(['orders'])).toBeUndefined();
		expect(error).not.toHaveBeenCalled(); // dropped quietly, not as a failed payload
		// The payload counts as applied: hydrated again later, it still brings nothing back.
		hydrateOnce(client, stream.payload, 'page.data.qoraState');
		expect(client.getState(['orders'])).toBeUndefined();
		const fetcher = vi.fn(async () => ['order of user B']);
		await client.prefetchQuery({ key: ['orders'], fetcher });
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	test('after remove(key) (a deleted post), leaves that key out and applies the rest', async () => {
		const client = new QoraClient();
		const stream = streamedPayload([
			[['posts', 5], { title: 'deleted meanwhile' }],
			[['posts', 6], { title: 'kept' }]
		]);
		hydrateOnce(client, stream.promise, 'page.data.qoraState');
		client.remove(['posts', 5]); // the browser never had it: still remembered
		await stream.arrive();
		expect(client.getState(['posts', 5])).toBeUndefined();
		expect(client.getQueryData(['posts', 6])).toEqual({ title: 'kept' });
		// The payload counts as applied: a +page.ts hydrating the awaited value again brings nothing back.
		hydrateOnce(client, stream.payload, 'page.data.qoraState');
		expect(client.getState(['posts', 5])).toBeUndefined();
	});

	test('a payload that arrives before the removal is applied as usual', async () => {
		const client = new QoraClient();
		const stream = streamedPayload([[['posts', 5], { title: 'there' }]]);
		hydrateOnce(client, stream.promise, 'page.data.qoraState');
		await stream.arrive();
		expect(client.getQueryData(['posts', 5])).toEqual({ title: 'there' });
		client.clear();
		const again = streamedPayload([[['posts', 5], { title: 'next page' }]]);
		hydrateOnce(client, again.promise, 'page.data.qoraState');
		await again.arrive();
		expect(client.getQueryData(['posts', 5])).toEqual({ title: 'next page' });
	});
});

describe('a streamed payload whose stream was cut (its promise never settles)', () => {
	test('stops tracking removals once the promise is garbage, instead of keeping every removed key for the session', async () => {
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as () => void;
		const client = new QoraClient();
		const listening = new Set<unknown>();
		const onRemove = client._onRemove.bind(client);
		client._onRemove = (listener) => {
			listening.add(listener);
			const stop = onRemove(listener);
			return () => {
				listening.delete(listener);
				return stop();
			};
		};
		for (let page = 0; page < 20; page++) hydrateOnce(client, new Promise<DehydratedState>(() => {}), 'page.data.qoraState');
		expect(listening.size).toBe(20);
		let arrive: (payload: DehydratedState) => void = () => {};
		const held = new Promise<DehydratedState>((resolve) => (arrive = resolve));
		hydrateOnce(client, held, 'page.data.qoraState');
		// Finalizers run in a later task after a collection: collect until they have, or give up.
		for (let round = 0; round < 50 && listening.size > 1; round++) {
			gc();
			await new Promise((resolve) => setImmediate(resolve));
		}
		expect(listening.size).toBe(1); // the stream still held (and still awaited) keeps tracking
		client.remove(['gone']);
		arrive({ version: 1, entries: [{ key: ['gone'], status: 'success', data: 1, dataUpdatedAt: Date.now() }] } as DehydratedState);
		await nextTurn();
		expect(client.getQueryData(['gone'])).toBeUndefined();
		expect(listening.size).toBe(0);
	});

	test('keeps memory flat while a cut stream stays in the page data and the app removes ever new keys (a tab left open for hours)', async () => {
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as () => void;
		const heap = async () => {
			for (let round = 0; round < 3; round++) {
				await new Promise((resolve) => setImmediate(resolve));
				gc();
			}
			return process.memoryUsage().heapUsed;
		};
		const client = new QoraClient();
		let deliver: (payload: DehydratedState) => void = () => {};
		// The root layout's streamed qoraState, cut mid-way: SvelteKit never settles it, and the layout's data
		// (or a page the user never leaves, a dashboard) keeps the promise, so it is never garbage.
		const stream = new Promise<DehydratedState>((resolve) => (deliver = resolve));
		hydrateOnce(client, stream, 'page.data.qoraState');
		const before = await heap();
		// A todo app left open: each deleted todo's key is removed, never the same one twice.
		for (let id = 0; id < 50_000; id++) client.remove(['todo', id]);
		const growth = (await heap()) - before;
		// Before, every removed key was noted for the stream (about 130 B each): 6.5 MB here, growing for the session.
		expect(growth).toBeLessThan(1024 * 1024);
		// What it must still do if it ever lands: bring back no removed key.
		deliver({ version: 1, entries: [{ key: ['todo', 3], status: 'success', data: 'deleted todo', dataUpdatedAt: Date.now() - 1000 }] } as DehydratedState);
		await nextTurn();
		expect(client.getQueryData(['todo', 3])).toBeUndefined();
		client.dispose();
	});
});

describe('a streamed payload given as a thenable (not a native promise)', () => {
	test('a key removed while it is on its way stays removed, even once the thenable object itself is garbage', async () => {
		setFlagsFromString('--expose-gc');
		const gc = runInNewContext('gc') as () => void;
		const client = new QoraClient();
		let arrive: (payload: DehydratedState) => void = () => {};
		// The source of the value stays alive (a stream reader holds `arrive`); the wrapper handed to the page does not.
		const source = new Promise<DehydratedState>((resolve) => (arrive = resolve));
		(() => {
			const thenable: PromiseLike<DehydratedState> = { then: (onValue, onError) => source.then(onValue, onError) };
			hydrateOnce(client, thenable, 'page.data.qoraState');
		})();
		await nextTurn(); // its then has been called: nothing refers to the wrapper any more
		for (let round = 0; round < 20; round++) {
			gc();
			await new Promise((resolve) => setImmediate(resolve));
		}
		client.remove(['gone']); // a post deleted while the payload streamed in
		arrive({ version: 1, entries: [{ key: ['gone'], status: 'success', data: 'deleted post', dataUpdatedAt: Date.now() - 1000 }] });
		await nextTurn();
		expect(client.getQueryData(['gone'])).toBeUndefined();
	});
});

describe('on a runtime without FinalizationRegistry (Safari before 14.1, some embedded runtimes)', () => {
	const original = globalThis.FinalizationRegistry;
	afterEach(() => {
		globalThis.FinalizationRegistry = original;
		vi.resetModules();
	});

	test('the module still loads (QoraKitProvider imports it, on the server too) and still skips what was removed', async () => {
		// @ts-expect-error simulating a runtime that lacks it
		delete globalThis.FinalizationRegistry;
		vi.resetModules();
		const fresh = await import('../../src/lib/sveltekit/hydrate-once.js');
		const client = new QoraClient();
		let arrive: (payload: DehydratedState) => void = () => {};
		fresh.hydrateOnce(client, new Promise<DehydratedState>((resolve) => (arrive = resolve)), 'page.data.qoraState');
		client.remove(['gone']);
		arrive({ version: 1, entries: [{ key: ['gone'], status: 'success', data: 'x', dataUpdatedAt: Date.now() - 1000 }, { key: ['kept'], status: 'success', data: 'y', dataUpdatedAt: Date.now() - 1000 }] });
		await nextTurn();
		expect(client.getQueryData(['gone'])).toBeUndefined();
		expect(client.getQueryData(['kept'])).toBe('y');
	});
});
