// @vitest-environment node
/**
 * The server's view of a key (as-shipped.ts) beyond a page's first values: what a seed
 * that throws does on the server, and what a store still subscribed after the render
 * shows when the server's own entry changes then (each store by its own options, the
 * render's predictions gone). first-render-shared-key.test.ts covers the first values.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dehydrate, hydrate, QoraClient, type QoraState } from '../../src/lib/index.js';
import { createQuery, createQueryState } from '../../src/lib/svelte/index.js';
import { inBrowserOn } from './first-render-page.js';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));

const key = ['todos'];
const never = () => new Promise<string>(() => {});

let server: QoraClient;
let reported: unknown[];
beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(1_700_000_000_000);
	reported = [];
	server = new QoraClient({ onError: (error) => reported.push(error) });
});
afterEach(() => {
	server.dispose();
	vi.useRealTimers();
});

/** The latest value of each store, all subscribed in order as a page's components do; the returned function unsubscribes them. */
function render(stores: { subscribe: (run: (state: QoraState<string>) => void) => () => void }[]) {
	const lasts: QoraState<string>[] = [];
	const stops = stores.map((store, i) => store.subscribe((state) => (lasts[i] = state)));
	return { lasts, stop: () => stops.forEach((stop) => stop()) };
}

/** What the first subscribe to `make(client)` throws, on the server and in a browser hydrated from the server's payload. */
function thrownOnBothSides(make: (client: QoraClient) => { subscribe: (run: () => void) => () => void }) {
	const threw = (client: QoraClient) => {
		try {
			make(client).subscribe(() => {})();
		} catch (error) {
			return { error };
		}
		return undefined;
	};
	const payload = dehydrate(server);
	const onServer = threw(server);
	return { onServer, inBrowser: inBrowserOn(payload, threw) };
}

const pick = ({ status, data, fetchStatus, isStale }: QoraState<string>) => ({ status, data, fetchStatus, isStale });

describe('a seed that throws on the server', () => {
	it('fails the server render of its query with the seed’s own error, as it fails the browser’s', () => {
		const failure = new Error('seed failed');
		const { onServer, inBrowser } = thrownOnBothSides((client) =>
			createQuery<string>({ key, fetcher: never, options: { initialData: () => { throw failure; } } }, client)
		);
		expect(inBrowser?.error).toBe(failure);
		expect(onServer?.error).toBe(failure);
	});

	it('is reported to onError, not swallowed, when a state after the render first reads it', async () => {
		await server.prefetchQuery({ key, fetcher: async () => 'shipped' });
		const failure = new Error('seed failed');
		// The key has data during the render, so the seed is not read then.
		const page = render([createQuery<string>({ key, fetcher: never, options: { staleTime: 60_000, initialData: () => { throw failure; } } }, server)]);
		expect(page.lasts[0]).toMatchObject({ status: 'success', data: 'shipped' });
		await Promise.resolve(); // the render is over
		// The server's entry fails: as shipped it has no data, so the seed is read.
		void server.prefetchQuery({ key, fetcher: () => Promise.reject(new Error('down')), options: { retry: 0, staleTime: 0 } });
		await vi.advanceTimersByTimeAsync(0);
		expect(server.getState(key)).toMatchObject({ status: 'error' });
		expect(reported).toContain(failure);
		page.stop();
	});
});

describe('after the render, a store still subscribed on the server follows the server’s own later states, as shipped and by its own mount', () => {
	it('a fetch that lands after the render shows in its query and in createQueryState', async () => {
		let land!: (data: string) => void;
		void server.prefetchQuery({ key, fetcher: () => new Promise<string>((resolve) => (land = resolve)) });
		const page = render([createQuery<string>({ key, fetcher: never, options: { staleTime: 60_000 } }, server), createQueryState<string>(key, server)]);
		expect(page.lasts.map(pick)).toEqual([
			{ status: 'pending', data: undefined, fetchStatus: 'fetching', isStale: true },
			{ status: 'pending', data: undefined, fetchStatus: 'fetching', isStale: true }
		]);
		await Promise.resolve(); // the render is over
		land('landed');
		await vi.advanceTimersByTimeAsync(0);
		expect(page.lasts.map(pick)).toEqual([
			{ status: 'success', data: 'landed', fetchStatus: 'idle', isStale: false },
			{ status: 'success', data: 'landed', fetchStatus: 'idle', isStale: false }
		]);
		expect(reported).toEqual([]);
		page.stop();
	});

	it('each query of the key by its own options, not by what the render predicted for the key', async () => {
		let land!: (data: string) => void;
		void server.prefetchQuery({ key, fetcher: () => new Promise<string>((resolve) => (land = resolve)) });
		const page = render([
			createQuery<string>({ key, fetcher: never, options: { staleTime: 0 } }, server),
			createQuery<string>({ key, fetcher: never, options: { staleTime: 60_000, enabled: false } }, server)
		]);
		// During the render the disabled query shows the fetch the enabled one starts on mount.
		expect(page.lasts[1]).toMatchObject({ fetchStatus: 'fetching' });
		await Promise.resolve(); // the render is over
		land('landed');
		await vi.advanceTimersByTimeAsync(0);
		expect(page.lasts.map(pick)).toEqual([
			{ status: 'success', data: 'landed', fetchStatus: 'fetching', isStale: true },
			{ status: 'success', data: 'landed', fetchStatus: 'idle', isStale: false }
		]);
		page.stop();
	});
});

describe('a key the page ships, on the server', () => {
	it('never shows a failure reason the payload does not carry, even from a hand-made snapshot restored into the server’s cache', async () => {
		await server.prefetchQuery({ key, fetcher: async () => 'shipped' });
		const snapshot = server.getState<string>(key)!;
		server.restoreQueryData(key, { ...snapshot, failureCount: 0, failureReason: new Error('server secret') });
		const payload = dehydrate(server);
		const page = render([createQueryState<string>(key, server), createQuery<string>({ key, fetcher: never }, server)]);
		expect(page.lasts.map((state) => state.failureReason)).toEqual([null, null]);
		page.stop();
		const browser = new QoraClient();
		hydrate(browser, JSON.parse(JSON.stringify(payload)));
		expect(browser.getState(key)?.failureReason).toBeNull();
		browser.dispose();
	});
});

describe('a prediction shown to the earlier stores of its key', () => {
	it('ends every store on the latest one when an earlier store’s subscriber subscribes another store of the key meanwhile', async () => {
		server = new QoraClient({ defaultOptions: { staleTime: 0 } });
		await server.prefetchQuery({ key, fetcher: async () => 'shipped' });
		await vi.advanceTimersByTimeAsync(30);
		const payload = dehydrate(server);
		const page = (client: QoraClient) => {
			const lasts: QoraState<string>[] = [];
			const stops: (() => void)[] = [];
			const subscribe = (index: number, store: { subscribe: (run: (state: QoraState<string>) => void) => () => void }) =>
				stops.push(store.subscribe((state) => (lasts[index] = state)));
			let heard = 0;
			// A hears of the query below (its second value) and subscribes one more store of the key, once.
			stops.push(
				createQueryState<string>(key, client).subscribe((state) => {
					lasts[0] = state;
					if (++heard === 2) subscribe(2, createQuery<string>({ key, fetcher: never, options: { staleTime: 10 } }, client));
				})
			);
			subscribe(1, createQuery<string>({ key, fetcher: never, options: { staleTime: 60_000 } }, client));
			const seen = lasts.map((state) => ({ fetchStatus: state.fetchStatus, isStale: state.isStale }));
			stops.forEach((stop) => stop());
			return seen;
		};
		const onServer = page(server);
		const inBrowser = inBrowserOn(payload, page, { defaultOptions: { staleTime: 0 } });
		expect(inBrowser).toEqual([
			{ fetchStatus: 'fetching', isStale: true },
			{ fetchStatus: 'fetching', isStale: true },
			{ fetchStatus: 'fetching', isStale: true }
		]);
		expect(onServer).toEqual(inBrowser);
	});
});
