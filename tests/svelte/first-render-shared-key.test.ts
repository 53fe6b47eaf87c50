// @vitest-environment node
/**
 * Several stores of one key on a page: each store's first render on the server shows
 * what its first render in the browser will, where the stores before it have already
 * mounted (hydration runs them in the server's order, but see hydration-order.test.ts). A query that fetches on mount
 * makes the key `fetching` for a disabled query or a `createQueryState` after it; a
 * query's `initialData` seed is what the stores after it show; an entry's `staleTime`
 * is its enabled queries' shortest. first-render-random.test.ts checks the same on
 * random pages; these are the cases by name.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dehydrate, hydrate, QoraClient, type QoraState } from '../../src/lib/index.js';
import { createQuery, createQueryState } from '../../src/lib/svelte/index.js';
import { browserPageValues, firstValues, inBrowserOn, universalLoadsOf, type PageStore } from './first-render-page.js';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));

const key = ['todos'];
const never = () => new Promise<string>(() => {});
const query = (options?: Record<string, unknown>): PageStore => ({ query: { key, fetcher: never, options } });
const stateOf: PageStore = { state: key };

interface Shown {
	status: string;
	fetchStatus: string;
	data?: string | undefined;
	isStale?: boolean;
}

interface Case {
	name: string;
	setup?: (server: QoraClient) => Promise<void>;
	page: PageStore[];
	shows: Shown[];
}

const cases: Case[] = [
	{
		name: 'a disabled query after one that fetches the key on mount shows the fetch',
		page: [query(), query({ enabled: false })],
		shows: [
			{ status: 'pending', fetchStatus: 'fetching' },
			{ status: 'pending', fetchStatus: 'fetching' }
		]
	},
	{
		name: 'createQueryState after a query that fetches the key on mount shows the fetch (a spinner elsewhere on the page)',
		page: [query(), stateOf],
		shows: [
			{ status: 'pending', fetchStatus: 'fetching' },
			{ status: 'pending', fetchStatus: 'fetching' }
		]
	},
	{
		name: 'createQueryState before the query shows the key as shipped, idle',
		page: [stateOf, query()],
		shows: [
			{ status: 'pending', fetchStatus: 'idle' },
			{ status: 'pending', fetchStatus: 'fetching' }
		]
	},
	{
		name: 'createQueryState after a query that refetches stale shipped data shows the refetch',
		setup: async (server) => {
			await server.prefetchQuery({ key, fetcher: async () => 'shipped' });
		},
		page: [query({ staleTime: 0 }), stateOf],
		shows: [
			{ status: 'success', fetchStatus: 'fetching', data: 'shipped' },
			{ status: 'success', fetchStatus: 'fetching', data: 'shipped', isStale: true }
		]
	},
	{
		name: 'a query’s initialData seed is what the stores after it show, though the server’s own fetch kept it out of the server’s cache',
		setup: async (server) => void server.prefetchQuery({ key, fetcher: never }),
		page: [query({ initialData: 'seed' }), query(), stateOf],
		shows: [
			{ status: 'success', fetchStatus: 'idle', data: 'seed' },
			{ status: 'success', fetchStatus: 'idle', data: 'seed' },
			{ status: 'success', fetchStatus: 'idle', data: 'seed', isStale: false }
		]
	},
	{
		name: 'a query after one that fetches does not lay its initialData (the browser seeds no key with a fetch in flight)',
		page: [query(), query({ initialData: 'seed' })],
		shows: [
			{ status: 'pending', fetchStatus: 'fetching' },
			{ status: 'pending', fetchStatus: 'fetching', data: undefined }
		]
	},
	{
		name: 'createQueryState does not show the server’s own refetch in flight: the browser does not run it',
		setup: async (server) => {
			await server.prefetchQuery({ key, fetcher: async () => 'shipped' });
			void server.invalidate(key);
			void server.prefetchQuery({ key, fetcher: never });
		},
		page: [stateOf],
		shows: [{ status: 'success', fetchStatus: 'idle', data: 'shipped', isStale: true }]
	},
	{
		name: 'createQueryState counts staleness by the client’s default staleTime on data a server load shipped (prefetchOnServer’s own client, hydrated on both sides)',
		setup: async (server) => {
			const serverLoad = new QoraClient();
			await serverLoad.prefetchQuery({ key, fetcher: async () => 'shipped', options: { staleTime: 1000 } });
			hydrate(server, dehydrate(serverLoad));
			serverLoad.dispose();
			await vi.advanceTimersByTimeAsync(2000);
		},
		page: [stateOf],
		shows: [{ status: 'success', fetchStatus: 'idle', data: 'shipped', isStale: false }]
	},
	{
		name: 'createQueryState counts staleness by a universal load’s staleTime, which the browser’s rerun of the load gives the hydrated entry',
		setup: async (server) => {
			await server.prefetchQuery({ key, fetcher: async () => 'shipped', options: { staleTime: 1000 } });
			await vi.advanceTimersByTimeAsync(2000);
		},
		page: [stateOf],
		shows: [{ status: 'success', fetchStatus: 'idle', data: 'shipped', isStale: true }]
	},
	{
		name: 'a query is stale by the shortest staleTime among the enabled queries of its key',
		setup: async (server) => {
			await server.prefetchQuery({ key, fetcher: async () => 'shipped' });
			await vi.advanceTimersByTimeAsync(2000);
		},
		page: [query({ staleTime: 1000, enabled: false }), query({ staleTime: 60_000 }), query({ staleTime: 1000 }), query({ staleTime: 60_000, enabled: false }), stateOf],
		shows: [
			{ status: 'success', fetchStatus: 'idle', data: 'shipped', isStale: true },
			{ status: 'success', fetchStatus: 'idle', data: 'shipped', isStale: false },
			{ status: 'success', fetchStatus: 'fetching', data: 'shipped', isStale: true },
			{ status: 'success', fetchStatus: 'fetching', data: 'shipped', isStale: true },
			{ status: 'success', fetchStatus: 'fetching', data: 'shipped', isStale: true }
		]
	}
];

let server: QoraClient;
beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(1_700_000_000_000);
	server = new QoraClient({ onError: () => {} });
});
afterEach(() => {
	server.dispose();
	vi.useRealTimers();
});

describe('stores of one key on a page: the server renders each as the browser’s first render shows it', () => {
	for (const { name, setup, page, shows } of cases) {
		it(name, async () => {
			await setup?.(server);
			// QoraKitProvider dehydrates before the page's components render.
			const payload = dehydrate(server);
			// The setup's prefetches are universal loads, which the browser runs again before the render.
			const loads = universalLoadsOf(server);
			const onServer = firstValues(page, server);
			const inBrowser = browserPageValues(payload, page, false, undefined, loads).firsts;
			shows.forEach((expected, i) => {
				expect(onServer[i], `store ${i + 1} on the server`).toMatchObject(expected);
				expect(inBrowser[i], `store ${i + 1} in the browser`).toMatchObject(expected);
			});
		});
	}

	it('a client that outlives one render (not per request) starts the next render from its cache, not from the last render’s page', async () => {
		expect(firstValues([query()], server)[0]).toMatchObject({ fetchStatus: 'fetching' });
		await Promise.resolve(); // the render is over
		expect(firstValues([query({ enabled: false })], server)[0]).toMatchObject({ status: 'pending', fetchStatus: 'idle' });
	});
});

/** The first and the latest value of each store once all subscribed, and whether its subscribe threw. */
function pageOutcomes(page: (() => { subscribe: (run: (state: QoraState<string>) => void) => () => void })[]) {
	const firsts: (QoraState<string> | { threw: unknown })[] = [];
	const lasts: (QoraState<string> | { threw: unknown })[] = [];
	const stops: (() => void)[] = [];
	page.forEach((make, i) => {
		try {
			stops.push(make().subscribe((state) => ((firsts[i] ??= state), (lasts[i] = state))));
		} catch (threw) {
			firsts[i] = lasts[i] = { threw };
		}
	});
	// Taken before the teardown, whose emissions are no part of the page.
	const kept = [...lasts];
	for (const stop of stops) stop();
	return { firsts, lasts: kept };
}

/** `run` on the server client, then in a browser on a client hydrated from the payload the server had before. */
function onBothSides<R>(run: (client: QoraClient) => R): { onServer: R; inBrowser: R } {
	const payload = dehydrate(server);
	const onServer = run(server);
	return { onServer, inBrowser: inBrowserOn(payload, run) };
}

const pick = (value: QoraState<string> | { threw: unknown } | undefined) =>
	value === undefined || 'threw' in value ? value : { status: value.status, data: value.data, fetchStatus: value.fetchStatus, isStale: value.isStale };

describe('stores of one key on a page: seeds, and later values during the render', () => {
	it('a query after one that fetches the key on mount does not read its initialData on the server either, so one that throws fails neither render', () => {
		const { onServer, inBrowser } = onBothSides((client) =>
			pageOutcomes([
				() => createQuery({ key, fetcher: never }, client),
				() =>
					createQuery<string>({ key, fetcher: never, options: { initialData: () => { throw new Error('seed failed'); } } }, client)
			]).firsts.map(pick)
		);
		expect(inBrowser[1]).toMatchObject({ status: 'pending', fetchStatus: 'fetching' });
		expect(onServer).toEqual(inBrowser);
	});

	it('a query’s initialData function is called as many times on the server as in the browser', async () => {
		for (const first of [{}, { enabled: false }]) {
			await Promise.resolve(); // the last render is over
			let calls = 0;
			const seed = () => (calls++, 'seed');
			const { onServer, inBrowser } = onBothSides((client) => {
				calls = 0;
				pageOutcomes([() => createQuery({ key, fetcher: never, options: first }, client), () => createQuery({ key, fetcher: never, options: { initialData: seed } }, client)]);
				return calls;
			});
			expect(onServer, `after a query with ${JSON.stringify(first)}`).toBe(inBrowser);
		}
	});

	it('a store keeps showing the key as the browser does when later stores of the key mount, or change the server’s own entry mid-render (a staleness flip)', async () => {
		const seeded = onBothSides((client) =>
			pageOutcomes([
				() => createQuery({ key, fetcher: never }, client),
				() => createQueryState<string>(key, client),
				() => createQuery({ key, fetcher: never, options: { initialData: 'seed' } }, client)
			]).lasts.map(pick)
		);
		expect(seeded.inBrowser[0]).toMatchObject({ status: 'pending', fetchStatus: 'fetching' });
		expect(seeded.onServer).toEqual(seeded.inBrowser);

		await server.prefetchQuery({ key, fetcher: async () => 'shipped' });
		await vi.advanceTimersByTimeAsync(2000);
		const flipped = onBothSides((client) =>
			pageOutcomes([
				() => createQuery({ key, fetcher: never, options: { staleTime: 1000 } }, client),
				() => createQuery({ key, fetcher: never, options: { enabled: false, staleTime: 1000 } }, client),
				() => createQuery({ key, fetcher: never, options: { enabled: false, staleTime: 60_000 } }, client)
			]).lasts.map(pick)
		);
		expect(flipped.inBrowser[1]).toMatchObject({ fetchStatus: 'fetching' });
		expect(flipped.onServer).toEqual(flipped.inBrowser);
	});
});
