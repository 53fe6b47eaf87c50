// @vitest-environment node
/**
 * Server rendering: no `window`, and Svelte's server runtime. The `svelte`
 * project resolves `svelte` to its browser build (for @testing-library), so
 * this file maps it back to the server build, as a SvelteKit server would
 * resolve it.
 */
import { render } from 'svelte/server';
import { get } from 'svelte/store';
import type { QoraState } from '../../src/lib/index.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { browserFocusSource, browserOnlineSource, createQuery, createQueryState } from '../../src/lib/svelte/index.js';
import { firstRenderCases } from './first-render-cases.js';
import Activity from './components/Activity.svelte';
import QueryThenActivity from './components/QueryThenActivity.svelte';
import Provide from './components/Provide.svelte';
import ProviderApp from './components/ProviderApp.svelte';
import QueryView from './components/QueryView.svelte';
import StateView from './components/StateView.svelte';
import ReadmeStreamHold from './components/ReadmeStreamHold.svelte';
import BoundaryThenKey from './components/BoundaryThenKey.svelte';
import { freshClientPerTest } from './helpers.js';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('qora/svelte on the server', () => {
	it('createIsFetching renders what the browser will: not the server’s own fetches, but the queries before it that fetch on mount', async () => {
		await client.prefetchQuery({ key: ['users', 1], fetcher: async () => 'ada' });
		void client.prefetchQuery({ key: ['users', 2], fetcher: () => new Promise<string>(() => {}) });
		expect(render(Provide, { props: { client, view: Activity, viewProps: { prefix: ['users'] } } }).body).not.toContain('fetching=');
		const page = render(Provide, { props: { client, view: QueryThenActivity, viewProps: { key: ['users', 3], prefix: ['users'] } } }).body;
		expect(page).toContain('status=pending fetchStatus=fetching');
		expect(page).toContain('fetching=1 under=1 mutating=0 (0 under)');
		await Promise.resolve(); // a client of one's own keeps its picture of the page for one synchronous stretch
		const elsewhere = render(Provide, { props: { client, view: QueryThenActivity, viewProps: { key: ['posts'], prefix: ['users'] } } }).body;
		expect(elsewhere).toContain('fetching=1 under=0 mutating=0 (0 under)');
	});

	it('imports without a window', async () => {
		expect(typeof window).toBe('undefined');
		const svelteLayer = await import('../../src/lib/svelte/index.js');
		expect(typeof svelteLayer.createQuery).toBe('function');
	});

	it('renders prefetched data without calling the fetcher', async () => {
		await client.prefetchQuery({ key: ['post', 1], fetcher: async () => 'Hello from load' });
		const fetcher = vi.fn(async () => 'fetched during render');
		const { body } = render(Provide, {
			props: { client, view: QueryView, viewProps: { config: { key: ['post', 1], fetcher, options: { staleTime: 0 } } } }
		});
		expect(body).toContain('data: "Hello from load"');
		await vi.advanceTimersByTimeAsync(60_000);
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('renders the loading branch for a key nobody prefetched, as fetching (the browser fetches it on mount), without fetching or leaving work behind', async () => {
		const fetcher = vi.fn(async () => 'never on the server');
		const { body } = render(ProviderApp, { props: { client, config: { key: ['missing'], fetcher } } });
		expect(body).toContain('loading');
		expect(body).toContain('fetchStatus=fetching');
		await vi.advanceTimersByTimeAsync(60_000);
		expect(fetcher).not.toHaveBeenCalled();

		client.dispose(); // as the SvelteKit layer does after each request
		expect(vi.getTimerCount()).toBe(0);
	});

	it('renders initialData, as the browser’s first render will show it, without fetching', async () => {
		const fetcher = vi.fn(async () => 'fetched');
		const { body } = render(Provide, {
			props: { client, view: QueryView, viewProps: { config: { key: ['seeded'], fetcher, options: { initialData: 'from initialData' } } } }
		});
		expect(body).toContain('data: "from initialData"');
		await vi.advanceTimersByTimeAsync(60_000);
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('does not attach browser wiring to the client', () => {
		const mount = vi.spyOn(client, 'mount');
		render(ProviderApp, { props: { client, config: { key: ['k'], fetcher: async () => 1 } } });
		expect(mount).not.toHaveBeenCalled();
	});

	it('renders createQueryState from the cache', () => {
		client.setQueryData(['name'], 'Ada');
		const { body } = render(Provide, { props: { client, view: StateView, viewProps: { stateKey: ['name'] } } });
		expect(body).toContain('success: Ada');
	});

	it('renders a query whose prefetch failed as pending, as the browser will, never with the error’s message', async () => {
		await client.prefetchQuery({ key: ['me'], fetcher: async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432')), options: { retry: 0 } });
		expect(client.getState(['me'])?.status).toBe('error');
		const query = render(Provide, { props: { client, view: QueryView, viewProps: { config: { key: ['me'], fetcher: async () => 'me' } } } });
		const state = render(Provide, { props: { client, view: StateView, viewProps: { stateKey: ['me'] } } });
		expect(query.body).toContain('loading');
		expect(query.body).toContain('status=pending fetchStatus=fetching failureCount=0');
		expect(state.body).toContain('pending: nothing');
		expect(query.body + state.body).not.toContain('10.0.0.5');
	});

	it('renders a query whose refetch failed over cached data as pending, as the browser will: neither its data nor its error is shipped', async () => {
		client.setQueryData(['me'], 'cached name');
		await client.invalidate(['me']);
		await client.prefetchQuery({ key: ['me'], fetcher: async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432')), options: { retry: 0 } });
		await vi.advanceTimersByTimeAsync(0); // stale data: the prefetch answered from the cache, the refetch fails after
		expect(client.getState(['me'])).toMatchObject({ status: 'error', data: 'cached name', fetchStatus: 'idle' });
		const query = render(Provide, { props: { client, view: QueryView, viewProps: { config: { key: ['me'], fetcher: async () => 'me' } } } });
		const state = render(Provide, { props: { client, view: StateView, viewProps: { stateKey: ['me'] } } });
		expect(query.body).toContain('loading');
		expect(query.body).toContain('status=pending fetchStatus=fetching failureCount=0');
		expect(state.body).toContain('pending: nothing');
		expect(query.body + state.body).not.toContain('cached name');
		expect(query.body + state.body).not.toContain('10.0.0.5');
	});

	it('renders a query with initialData whose server fetch failed with the seed, as the browser (which never gets the failure) will', async () => {
		await client.prefetchQuery({ key: ['feed'], fetcher: async () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432')), options: { retry: 0 } });
		expect(client.getState(['feed'])?.status).toBe('error');
		const fetcher = vi.fn(async () => 'fetched');
		const { body } = render(Provide, {
			props: { client, view: QueryView, viewProps: { config: { key: ['feed'], fetcher, options: { initialData: 'seed' } } } }
		});
		expect(body).toContain('data: "seed"');
		expect(body).not.toContain('10.0.0.5');
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('renders a query still retrying after a failure as what it held before, with no failure', async () => {
		client.setQueryData(['list'], 'cached');
		let attempts = 0;
		void client.fetchQuery({ key: ['list'], fetcher: async () => Promise.reject(new Error(`attempt ${++attempts}`)), options: { staleTime: 0, retry: 3 } });
		await vi.advanceTimersByTimeAsync(0);
		const { body } = render(Provide, { props: { client, view: QueryView, viewProps: { config: { key: ['list'], fetcher: async () => 'x' } } } });
		expect(client.getState(['list'])).toMatchObject({ fetchStatus: 'fetching', failureCount: 1 });
		expect(body).toContain('data: "cached"');
		expect(body).toContain('status=success fetchStatus=idle failureCount=0');
		expect(body).not.toContain('attempt 1');
	});
});

describe('qora/svelte on the server, a fetch in flight', () => {
	it('renders a key whose fetch is still in flight as pending and fetching, as the browser (which fetches it on mount) will', () => {
		void client.fetchQuery({ key: ['slow'], fetcher: () => new Promise<string>(() => {}) });
		const { body } = render(Provide, { props: { client, view: QueryView, viewProps: { config: { key: ['slow'], fetcher: async () => 'x' } } } });
		expect(body).toContain('loading');
		expect(body).toContain('status=pending fetchStatus=fetching failureCount=0');
	});

	it('shows a key whose first fetch is retrying exactly as a key nothing is known about, even once invalidated', async () => {
		let attempts = 0;
		void client.fetchQuery({ key: ['flaky'], fetcher: async () => Promise.reject(new Error(`attempt ${++attempts}`)), options: { retry: 3 } }).catch(() => {});
		await vi.advanceTimersByTimeAsync(0);
		void client.invalidate(['flaky']);
		await vi.advanceTimersByTimeAsync(0);
		expect(client.getState(['flaky'])).toMatchObject({ status: 'pending', failureCount: 1, isInvalidated: true });
		expect(get(createQueryState(['flaky'], client))).toEqual(get(createQueryState(['unknown'], client)));
	});

	it('shows a key the server is still fetching (a streamed prefetch), even once invalidated, exactly as a key nothing is known about: the page ships nothing of it', async () => {
		void client.prefetchQuery({ key: ['slow'], fetcher: () => new Promise<string>(() => {}) });
		void client.invalidate(['slow']);
		await vi.advanceTimersByTimeAsync(0);
		expect(client.getState(['slow'])).toMatchObject({ status: 'pending', fetchStatus: 'fetching', isInvalidated: true });
		expect(get(createQueryState(['slow'], client))).toEqual(get(createQueryState(['unknown'], client)));
	});
});

describe('qora/svelte on a server runtime with a document global but no window (an SSR document polyfill)', () => {
	beforeEach(() => {
		vi.stubGlobal('document', new EventTarget());
	});
	afterEach(() => {
		vi.unstubAllGlobals();
	});

	it('renders as on any server: no fetch', async () => {
		expect(typeof window).toBe('undefined');
		const fetcher = vi.fn(async () => 'never on the server');
		const { body } = render(ProviderApp, { props: { client, config: { key: ['polyfilled'], fetcher } } });
		expect(body).toContain('fetchStatus=fetching');
		await vi.advanceTimersByTimeAsync(60_000);
		expect(fetcher).not.toHaveBeenCalled();
	});
});

describe('qora/svelte on a server runtime with a window global but no document (Deno 1.x, SSR window polyfills)', () => {
	beforeEach(() => {
		vi.stubGlobal('window', new EventTarget());
		vi.stubGlobal('navigator', { userAgent: 'Deno/1.46' }); // no onLine
	});
	afterEach(() => {
		vi.unstubAllGlobals();
	});

	it('renders as on any server: no fetch, no browser wiring, no crash', async () => {
		expect(typeof document).toBe('undefined');
		const mount = vi.spyOn(client, 'mount');
		const fetcher = vi.fn(async () => 'never on the server');
		const { body } = render(ProviderApp, { props: { client, config: { key: ['deno'], fetcher } } });
		expect(body).toContain('loading');
		expect(body).toContain('fetchStatus=fetching');
		await vi.advanceTimersByTimeAsync(60_000);
		expect(fetcher).not.toHaveBeenCalled();
		expect(mount).not.toHaveBeenCalled();
	});

	it('has browser sources that neither crash nor report offline there', () => {
		const onFocus = vi.fn();
		const stopFocus = browserFocusSource().subscribe(onFocus);
		window.dispatchEvent(new Event('focus'));
		expect(onFocus).toHaveBeenCalledTimes(1);
		stopFocus();

		const online = browserOnlineSource();
		expect(online.isOnline()).toBe(true);
		const stopOnline = online.subscribe(() => {});
		expect(online.isOnline()).toBe(true);
		stopOnline();
	});
});

describe('streamSettled (qora/sveltekit) in a server render', () => {
	it('renders what the cache holds, while a stream is on its way or not, and never fetches', async () => {
		await client.prefetchQuery({ key: ['slow'], fetcher: async () => 'prefetched' });
		const fetcher = vi.fn(async () => 'fetched during render');
		const slowQuery = { key: ['slow'], fetcher };
		const stream = new Promise<never>(() => {});
		expect(render(ReadmeStreamHold, { props: { data: { qoraState: stream }, slowQuery, client } }).body).toContain('success/idle: prefetched');
		expect(render(ReadmeStreamHold, { props: { data: {}, slowQuery: { ...slowQuery, key: ['other'] }, client } }).body).toContain('pending/fetching: -');
		await vi.advanceTimersByTimeAsync(60_000);
		expect(fetcher).not.toHaveBeenCalled();
	});
});

describe('a query’s server render shows what the browser’s first render will (first-render.test.ts checks the browser), for', () => {
	for (const { name, setup, config, shows } of firstRenderCases) {
		it(`${name}: ${shows.status}/${shows.fetchStatus}`, async () => {
			await setup(client);
			let first: QoraState<string> | undefined;
			const stop = createQuery(config, client).subscribe((state) => (first ??= state));
			stop();
			expect(first).toMatchObject(shows);
		});
	}
});

describe('qora/svelte on the server, after an error boundary', () => {
	it("README: a store of a key after a <svelte:boundary> whose failed snippet the server rendered (transformError) shows what the caught component's query of the key did, which the browser never mounts", () => {
		const page = render(Provide, { props: { client, view: BoundaryThenKey }, transformError: (error: unknown) => error }).body;
		expect(page).toContain('failed');
		expect(page).not.toContain('child broke');
		// The caught component's query fetches on mount, as far as the server's picture of the page goes...
		expect(page).toContain('status=pending fetchStatus=fetching');
		// ...while the browser hydrates the failed snippet and never mounts that component: there, the key is idle.
		expect(client.getState(['todos'])?.fetchStatus ?? 'idle').toBe('idle');
	});
});
