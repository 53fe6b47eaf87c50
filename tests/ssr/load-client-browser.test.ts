/**
 * loadQoraClient in the browser: one client for the session, created on the
 * first call and hydrated at once from the page's payload element. Simulated
 * in Node by making `$app/environment` report a browser and giving the
 * module a document with the payload element.
 */
import { error, isHttpError } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { dehydrate, QoraClient } from '../../src/lib/index.js';
import { payloadMarkup, serializeForScript } from '../../src/lib/sveltekit/payload.js';
import { stubPageDocument } from './page-document.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));

type LoadQoraClient = typeof import('../../src/lib/sveltekit/load-client.js').loadQoraClient;

/** A fresh copy of the module: its session client starts unset, as on a page load. */
async function freshModule(): Promise<LoadQoraClient> {
	vi.resetModules();
	return (await import('../../src/lib/sveltekit/load-client.js')).loadQoraClient;
}

function serverPayloadText(): string {
	const server = new QoraClient();
	server.setQueryData(['users', 1], { name: 'Ada' });
	return serializeForScript(dehydrate(server));
}

function pageWithPayload(text: string | null): void {
	stubPageDocument(text === null ? null : payloadMarkup(text, Date.now()));
}

beforeEach(() => {
	pageWithPayload(serverPayloadText());
});

afterEach(() => {
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
	vi.useRealTimers();
});

describe('loadQoraClient in the browser', () => {
	test('creates one client, on the first call, holding the server data before any load uses it', async () => {
		const loadQoraClient = await freshModule();
		const factory = vi.fn(() => new QoraClient());
		const client = loadQoraClient(factory);
		expect(client.getQueryData(['users', 1])).toEqual({ name: 'Ada' });
		// Fresh (default staleTime): a +page.ts prefetch fetches nothing.
		const fetcher = vi.fn(() => ({ name: 'refetched' }));
		await client.prefetchQuery({ key: ['users', 1], fetcher });
		expect(fetcher).not.toHaveBeenCalled();
		expect(factory).toHaveBeenCalledTimes(1);
	});

	test("does not retry SvelteKit's error() thrown in a fetcher: a +page.ts awaiting it shows the error page at once", async () => {
		vi.useFakeTimers();
		const loadQoraClient = await freshModule();
		const client = loadQoraClient(() => new QoraClient());
		const fetcher = vi.fn(async () => error(404, 'No such user'));
		const failure = await client.fetchQuery({ key: ['users', 999], fetcher }).catch((reason: unknown) => reason);
		expect(isHttpError(failure, 404)).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(1);
		// The state holds an Error around it; the README's expression shows SvelteKit's message.
		const state = client.getState(['users', 999]);
		expect(state?.error?.message).toMatch(/^A non-Error value was thrown: /);
		const cause = state?.error?.cause;
		expect(isHttpError(cause) ? cause.body.message : state?.error?.message).toBe('No such user');
		// Anything else a fetcher throws is retried and reaches callers as an Error, as always.
		const plain = vi.fn(async () => Promise.reject({ status: 404 }));
		const other = client.fetchQuery({ key: ['other'], fetcher: plain, options: { retry: 1, retryDelay: 10 } }).catch((reason: unknown) => reason);
		await vi.advanceTimersByTimeAsync(10);
		expect(await other).toBeInstanceOf(Error);
		expect(plain).toHaveBeenCalledTimes(2);
	});

	test('returns the same client on every later call (layout reruns, invalidateAll) and keeps its cache', async () => {
		const loadQoraClient = await freshModule();
		const factory = vi.fn(() => new QoraClient());
		const first = loadQoraClient(factory);
		first.setQueryData(['posts'], ['written in the browser']);
		const again = loadQoraClient(factory);
		expect(again).toBe(first);
		expect(factory).toHaveBeenCalledTimes(1);
		expect(again.getQueryData(['posts'])).toEqual(['written in the browser']);
	});

	test('reads the payload only once: data removed later is not brought back by a rerun', async () => {
		const loadQoraClient = await freshModule();
		const client = loadQoraClient(() => new QoraClient());
		client.remove(['users', 1]);
		loadQoraClient(() => new QoraClient());
		expect(client.getQueryData(['users', 1])).toBeUndefined();
	});

	test('works without a payload element (a client-rendered page)', async () => {
		pageWithPayload(null);
		const loadQoraClient = await freshModule();
		expect(loadQoraClient(() => new QoraClient()).size).toBe(0);
	});

	test('reports a malformed payload and starts with an empty cache instead of failing the load', async () => {
		pageWithPayload('{"version":99,"entries":[]}');
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const loadQoraClient = await freshModule();
		expect(loadQoraClient(() => new QoraClient()).size).toBe(0);
		expect(error).toHaveBeenCalledOnce();
		expect(String(error.mock.calls[0]?.[0])).toContain('[qora/sveltekit]');
	});

	test("does not refetch stale payload data in the first page's loads, which SvelteKit would answer with the page's own old response; the page's queries revalidate it", async () => {
		// Dogfooding in Chromium: back to an SSR page whose document came from the HTTP cache, ten minutes old.
		// The universal load's prefetch found the payload's data stale and refetched it through SvelteKit's
		// fetch, which replayed the inlined response, so the old data counted as fetched now and never
		// revalidated. (The same happens on prerendered pages.)
		vi.useFakeTimers();
		vi.setSystemTime(Date.UTC(2024, 0, 1, 12, 0, 0));
		const server = new QoraClient();
		await server.prefetchQuery({ key: ['users', 7], fetcher: async () => ({ name: 'Ada, ten minutes ago' }) });
		pageWithPayload(serializeForScript(dehydrate(server)));
		vi.setSystemTime(Date.UTC(2024, 0, 1, 12, 10, 0));
		const loadQoraClient = await freshModule();
		const qora = loadQoraClient(() => new QoraClient({ defaultOptions: { staleTime: 60_000 } }));
		const replay = vi.fn(async () => ({ name: 'Ada, ten minutes ago' }));
		// +page.ts, before the first render: the stale data, as fetchQuery gives stale data, and no refetch.
		await expect(qora.fetchQuery({ key: ['users', 7], fetcher: replay })).resolves.toEqual({ name: 'Ada, ten minutes ago' });
		await qora.prefetchQuery({ key: ['users', 7], fetcher: replay });
		await vi.advanceTimersByTimeAsync(0);
		expect(replay).not.toHaveBeenCalled();
		expect(qora.getState(['users', 7])).toMatchObject({ isStale: true });
		// The page renders: its query finds the data stale and fetches it for real.
		const live = vi.fn(async () => ({ name: 'Ada, now' }));
		const stop = qora.watchQuery({ key: ['users', 7], fetcher: live }).subscribe(() => {});
		await vi.advanceTimersByTimeAsync(0);
		expect(live).toHaveBeenCalledTimes(1);
		expect(qora.getState(['users', 7])).toMatchObject({ data: { name: 'Ada, now' }, isStale: false });
		// Later navigations' loads revalidate as always.
		await vi.advanceTimersByTimeAsync(60_001);
		await qora.prefetchQuery({ key: ['users', 7], fetcher: replay });
		expect(replay).toHaveBeenCalledTimes(1);
		stop();
		qora.dispose();
	});
});
