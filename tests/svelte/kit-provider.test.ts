/**
 * <QoraKitProvider> in the browser (jsdom, `$app/environment` reporting a browser and
 * `$app/state` a reactive page): gaps found by mutation testing, which the server-render
 * tests cannot see.
 */
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { QORA_STATE_ELEMENT_ID, serializeForScript } from '../../src/lib/sveltekit/payload.js';
import ProviderHarness from '../ssr/fixtures/ProviderHarness.svelte';
import { page } from './page-mock.svelte.js';
import { flush, goOnline, serverPayload } from './helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => import('./page-mock.svelte.js'));

let client: QoraClient;
let element: HTMLElement | null = null;

beforeEach(() => {
	vi.useFakeTimers();
	client = new QoraClient();
	page.data = {};
});
afterEach(() => {
	client.dispose();
	element?.remove();
	element = null;
	vi.useRealTimers();
});

/** The payload element the server rendered into the page. */
function serverRenderedElement(text: string): void {
	element = document.createElement('script');
	element.setAttribute('type', 'application/json');
	element.id = QORA_STATE_ELEMENT_ID;
	element.textContent = text;
	document.body.append(element);
}

describe('QoraKitProvider in the browser', () => {
	it("hydrates the page's qoraState before the children subscribe: they show it at once, without fetching", async () => {
		page.data = { qoraState: serverPayload([['users', 1], { name: 'Ada' }]) };
		const fetchStatuses: string[] = [];
		const stop = client.observeQuery(['users', 1]).subscribe((state) => fetchStatuses.push(`${state.status}/${state.fetchStatus}`));
		render(ProviderHarness, { client, keys: [['users', 1]] });
		expect(screen.getByText('success: Ada')).toBeInTheDocument();
		await flush();
		expect(screen.getByText('success: Ada')).toBeInTheDocument();
		// No fetch ever went out for it: the data was there before the child's query subscribed.
		expect(fetchStatuses).not.toContain('pending/fetching');
		expect(fetchStatuses.at(-1)).toBe('success/idle');
		stop();
	});

	it('hydrates the qoraState a navigation brings, before the new page subscribes', async () => {
		render(ProviderHarness, { client, keys: [] });
		expect(client.getQueryData(['users', 2])).toBeUndefined();
		page.data = { qoraState: serverPayload([['users', 2], { name: 'Grace' }]) };
		flushSync();
		expect(client.getQueryData(['users', 2])).toEqual({ name: 'Grace' });
	});

	it("ends the first page's deferred revalidation once it has mounted, also for a page without queries: what it left stale is refetched, and later loads refetch stale data", async () => {
		client.setQueryData(['users', 1], { name: 'Ada' });
		vi.advanceTimersByTime(2000);
		const query = { key: ['users', 1], fetcher: vi.fn(async () => ({ name: 'Ada, now' })), options: { staleTime: 1000 } };
		client._deferRevalidation(true); // as loadQoraClient leaves it for the first page's loads
		await client.prefetchQuery(query);
		expect(query.fetcher).not.toHaveBeenCalled();
		render(ProviderHarness, { client, keys: [] });
		// After SvelteKit's start, which follows the mount: then a load's fetch no longer replays the page's responses.
		await flush();
		expect(query.fetcher).toHaveBeenCalledTimes(1); // what the first page's loads left stale
		vi.advanceTimersByTime(2000);
		await client.prefetchQuery(query);
		expect(query.fetcher).toHaveBeenCalledTimes(2);
	});

	it('without a client (data.qora missing) says so, naming the provider, before touching anything', () => {
		serverRenderedElement(serializeForScript(serverPayload([['users', 4], { name: 'Edsger' }])));
		expect(() => render(ProviderHarness, { client: undefined as never, keys: [] })).toThrow(
			/^<QoraKitProvider client=\{data\.qora\}>: expected a QoraClient, got undefined/
		);
	});

	it('renders exactly the payload element the server sent, so Svelte keeps it as it is', () => {
		const text = serializeForScript(serverPayload([['users', 3], { name: 'Alan' }]));
		serverRenderedElement(text);
		const { container } = render(ProviderHarness, { client, keys: [['users', 3]] });
		const rendered = [...container.querySelectorAll('script')].find((script) => script.id === QORA_STATE_ELEMENT_ID && script !== element);
		expect(rendered).not.toBeNull();
		expect(rendered?.getAttribute('type')).toBe('application/json');
		expect(rendered?.textContent).toBe(text);
		// And the client read it: the query shows the server's data.
		expect(screen.getByText('success: Alan')).toBeInTheDocument();
	});
});

describe('the first page opened offline (an installed app started without a connection)', () => {
	it("keeps the first page's load from calling the fetcher offline: its prefetch pauses, and the fetch goes out once on reconnect", async () => {
		const backOnline = goOnline(false);
		try {
			// The first page's loads run before the root layout's provider mounts the browser's connectivity.
			vi.resetModules();
			const { loadQoraClient } = await import('../../src/lib/sveltekit/load-client.js');
			const session = loadQoraClient(() => new QoraClient());
			const fetcher = vi.fn(async () => {
				if (!navigator.onLine) throw new TypeError('Failed to fetch');
				return ['milk'];
			});
			const todos = { key: ['todos'], fetcher, options: { retry: false } };
			await session.prefetchQuery(todos);
			// Before, the fetcher ran offline and, with retry off, the page showed "Failed to fetch" instead of waiting.
			expect(fetcher).not.toHaveBeenCalled();
			expect(session.getState(['todos'])).toMatchObject({ status: 'pending', fetchStatus: 'paused', failureCount: 0 });
			render(ProviderHarness, { client: session, keys: [] });
			await flush();
			expect(fetcher).not.toHaveBeenCalled();
			goOnline(true);
			await flush();
			expect(fetcher).toHaveBeenCalledTimes(1);
			expect(session.getState(['todos'])).toMatchObject({ status: 'success', data: ['milk'], fetchStatus: 'idle' });
			session.dispose();
		} finally {
			backOnline();
		}
	});
});

describe('the first page opened offline from a cached document (a service worker serving the page it cached)', () => {
	/** The session client of a first page whose document carries the response SvelteKit inlined for `url`'s load fetch. */
	async function sessionOfCachedPage(url: string, body: string): Promise<QoraClient> {
		const fetched = document.createElement('script');
		fetched.setAttribute('type', 'application/json');
		fetched.setAttribute('data-sveltekit-fetched', '');
		fetched.setAttribute('data-url', url);
		fetched.textContent = JSON.stringify({ status: 200, statusText: '', headers: {}, body });
		document.body.append(fetched);
		element = fetched;
		vi.resetModules();
		const { loadQoraClient } = await import('../../src/lib/sveltekit/load-client.js');
		return loadQoraClient(() => new QoraClient());
	}

	/**
	 * Runs `test` on the session client of a cached first page (the posts inlined) opened offline, with a
	 * profile fetcher that fails while the browser is offline; then `test`'s profile fetch must land once
	 * the connection is back, as the fetcher's `calls`-th call.
	 */
	async function offlineOnCachedPage(calls: number, test: (session: QoraClient, fetcher: Mock<() => Promise<{ name: string }>>) => Promise<void>): Promise<void> {
		const backOnline = goOnline(false);
		try {
			const session = await sessionOfCachedPage('/api/posts', '[{"title":"Hello"}]');
			const fetcher = vi.fn(async () => {
				if (!navigator.onLine) throw new TypeError('Failed to fetch');
				return { name: 'Ada' };
			});
			await test(session, fetcher);
			goOnline(true);
			await flush();
			expect(fetcher).toHaveBeenCalledTimes(calls);
			expect(session.getState(['profile'])).toMatchObject({ status: 'success', data: { name: 'Ada' } });
			session.dispose();
		} finally {
			backOnline();
		}
	}

	it("keeps the data a first-page load's fetch gets from the responses inlined in the page when the browser starts offline", async () => {
		const backOnline = goOnline(false);
		try {
			// The document a service worker cached: SvelteKit inlined the responses its loads fetched on the server.
			const inlinedPosts = '[{"title":"Hello","at":"2026-11-28T10:00:00.000Z"}]';
			const session = await sessionOfCachedPage('/api/posts', inlinedPosts);
			// SvelteKit's load `fetch` answers the first page's loads from the responses the server inlined in
			// the document, with no request: offline too. (The posts' dates keep them out of Qora's payload.)
			const inlined = new Map([['/api/posts', inlinedPosts]]);
			const kitFetch = vi.fn(async (url: string) => {
				const body = inlined.get(url);
				if (body !== undefined) return { json: async () => JSON.parse(body) as unknown };
				if (!navigator.onLine) throw new TypeError('Failed to fetch');
				return { json: async () => [] as unknown };
			});
			const posts = {
				key: ['posts'],
				fetcher: async () => ((await (await kitFetch('/api/posts')).json()) as { title: string; at: string }[]).map((p) => ({ ...p, at: new Date(p.at) }))
			};
			// The page's universal load awaits its prefetch, so its first render has the posts.
			await session.prefetchQuery(posts);
			await flush();
			expect(session.getState(['posts'])).toMatchObject({ status: 'success', data: [{ title: 'Hello' }] });
			session.dispose();
		} finally {
			backOnline();
		}
	});

	it("keeps a first-page load's fetch that the inlined responses cannot answer paused at its retry when the browser starts offline, as the README says", async () => {
		const backOnline = goOnline(false);
		try {
			// The cached document carries the posts a load fetched on the server, not the profile (a key the server failed, or one an SDK fetches).
			const inlinedPosts = '[{"title":"Hello"}]';
			const session = await sessionOfCachedPage('/api/posts', inlinedPosts);
			const inlined = new Map([['/api/posts', inlinedPosts]]);
			const kitFetch = vi.fn(async (url: string) => {
				const body = inlined.get(url);
				if (body !== undefined) return JSON.parse(body) as unknown;
				if (!navigator.onLine) throw new TypeError('Failed to fetch');
				return { name: 'Ada' };
			});
			// The profile page's load awaits its profile (the demo's unlessPaused stops waiting once it pauses).
			let outcome = 'waiting';
			const profile = session.fetchQuery({ key: ['profile'], fetcher: () => kitFetch('/api/profile') }).then(
				() => (outcome = 'resolved'),
				(error: unknown) => (outcome = `rejected: ${String(error)}`)
			);
			await flush();
			// A load fetch after that failure still runs, and SvelteKit answers it from the page.
			await session.prefetchQuery({ key: ['posts'], fetcher: () => kitFetch('/api/posts') });
			expect(session.getState(['posts'])).toMatchObject({ status: 'success', data: [{ title: 'Hello' }] });
			// The loads are still running: the provider has not mounted. The backoff passes with no attempt offline.
			await flush(10_000);
			expect(kitFetch.mock.calls.filter(([url]) => url === '/api/profile')).toHaveLength(1);
			expect(session.getState(['profile'])).toMatchObject({ status: 'pending', fetchStatus: 'paused', failureCount: 1 });
			// Before, it retried offline at each backoff and rejected with "Failed to fetch": the load threw, an error page.
			expect(outcome).toBe('waiting');
			goOnline(true);
			await flush();
			await profile;
			expect(outcome).toBe('resolved');
			expect(session.getQueryData(['profile'])).toEqual({ name: 'Ada' });
			session.dispose();
		} finally {
			backOnline();
		}
	});

	it("keeps a first-page load's fetch that the inlined responses cannot answer paused when the browser reports offline again before the provider mounts", async () => {
		await offlineOnCachedPage(2, async (session, fetcher) => {
			// A load's fetch the page cannot answer fails once and pauses at its retry.
			await session.prefetchQuery({ key: ['profile'], fetcher });
			await flush();
			expect(fetcher).toHaveBeenCalledTimes(1);
			expect(session.getState(['profile'])).toMatchObject({ status: 'pending', fetchStatus: 'paused', failureCount: 1 });
			// The browser says offline again (a network interface going down): no news of a connection.
			window.dispatchEvent(new Event('offline'));
			await flush();
			// Before, the event counted as online news: the fetch went out again offline and failed at once.
			expect(fetcher).toHaveBeenCalledTimes(1);
			expect(session.getState(['profile'])).toMatchObject({ status: 'pending', fetchStatus: 'paused', failureCount: 1 });
		});
	});

	it("keeps a first-page load's fetch that the inlined responses cannot answer paused when the provider mounts offline", async () => {
		await offlineOnCachedPage(2, async (session, fetcher) => {
			await session.prefetchQuery({ key: ['profile'], fetcher });
			await flush();
			expect(session.getState(['profile'])).toMatchObject({ status: 'pending', fetchStatus: 'paused', failureCount: 1 });
			// The loads are done; the root layout's provider mounts the browser's focus and connectivity, still offline.
			render(ProviderHarness, { client: session, keys: [] });
			await flush();
			// Before, mounting the focus source counted as online news: the fetch went out again offline and failed at once.
			expect(fetcher).toHaveBeenCalledTimes(1);
			expect(session.getState(['profile'])).toMatchObject({ status: 'pending', fetchStatus: 'paused', failureCount: 1 });
		});
	});

	it("keeps a first-page load's fetch with retry off that the inlined responses cannot answer waiting for the connection when the browser starts offline, not failing with the offline error", async () => {
		let profile: Promise<unknown> = Promise.resolve();
		let outcome = 'waiting';
		await offlineOnCachedPage(2, async (session, fetcher) => {
			// The profile load awaits its profile; the query turns retries off (a 404 should show at once).
			profile = session.fetchQuery({ key: ['profile'], fetcher, options: { retry: false } }).then(
				() => (outcome = 'resolved'),
				(error: unknown) => (outcome = `rejected: ${String(error)}`)
			);
			await flush();
			// Its first attempt went out offline only because the page might answer it; it could not: the fetch
			// waits for the connection, as it would on a page without inlined responses.
			expect(fetcher).toHaveBeenCalledTimes(1);
			expect(outcome).toBe('waiting');
			expect(session.getState(['profile'])).toMatchObject({ status: 'pending', fetchStatus: 'paused' });
		});
		await profile;
		expect(outcome).toBe('resolved');
	});

	it("keeps a fetch a component starts once the provider has mounted from calling the fetcher offline: the page answers only its loads' fetches", async () => {
		await offlineOnCachedPage(1, async (session, fetcher) => {
			// The loads are done and the page renders, with no query yet; a component then prefetches (in its onMount, say).
			render(ProviderHarness, { client: session, keys: [] });
			await session.prefetchQuery({ key: ['profile'], fetcher });
			await flush();
			expect(fetcher).not.toHaveBeenCalled();
			expect(session.getState(['profile'])).toMatchObject({ status: 'pending', fetchStatus: 'paused', failureCount: 0 });
		});
	});
});
