/**
 * Error records (what dehydrate ships of failed entries when shouldDehydrate lets them through):
 * one fills only what it is newer than, no data or older data, and never takes the browser's
 * data away. Pending records bring nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, hydrate, type DehydratedState } from '../../src/lib/index.js';
import { T0, advance, controlledFetcher, flush, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

type Entry = DehydratedState['entries'][number];
const payload = (entry: Entry): DehydratedState => JSON.parse(JSON.stringify({ version: 1, entries: [entry] })) as DehydratedState;
/** An error record; with `data`, of an entry that kept data from before its failure. */
const failure = (at: number, data?: string, invalidated?: true): Entry => ({
	key: ['k'],
	status: 'error',
	...(data === undefined ? {} : { data }),
	dataUpdatedAt: data === undefined ? 0 : at,
	error: { name: 'Error', message: 'server failure' },
	errorUpdatedAt: at,
	...(invalidated ? { invalidated } : {})
});

describe('a pending record', () => {
	it('brings nothing: no entry is made', () => {
		const browser = new QoraClient();
		hydrate(browser, payload({ key: ['k'], status: 'pending', dataUpdatedAt: 0 }));
		expect({ size: browser.size, state: browser.getState(['k']) }).toEqual({ size: 0, state: undefined });
	});
});

describe('an error record and the browser’s data', () => {
	it('with data older than the browser’s, it leaves the browser’s data, status and freshness alone', async () => {
		const browser = new QoraClient();
		await advance(1_000);
		browser.setQueryData(['k'], 'browser, at T0+1s');
		hydrate(browser, payload(failure(T0, 'server, older')));
		expect(browser.getState(['k'])).toMatchObject({ status: 'success', data: 'browser, at T0+1s', error: null, isInvalidated: false, isStale: false });
	});

	it('invalidated, with data older than the browser’s, it leaves the browser’s data but makes it stale', async () => {
		const browser = new QoraClient();
		await advance(1_000);
		browser.setQueryData(['k'], 'browser, at T0+1s');
		hydrate(browser, payload(failure(T0, 'server, older', true)));
		expect(browser.getState(['k'])).toMatchObject({ status: 'success', data: 'browser, at T0+1s', error: null, isInvalidated: true, isStale: true });
	});

	it('without data, it never takes the browser’s data away, even dated after it (a hand-made payload)', async () => {
		const browser = new QoraClient();
		browser.setQueryData(['k'], 'browser, at T0');
		await advance(1_000);
		hydrate(browser, payload({ ...failure(T0 + 500), dataUpdatedAt: T0 + 500 }));
		expect(browser.getState(['k'])).toMatchObject({ status: 'success', data: 'browser, at T0', error: null });
	});

	it('with data, not invalidated, it arrives not invalidated', () => {
		const browser = new QoraClient();
		hydrate(browser, payload(failure(T0, 'server')));
		expect(browser.getState(['k'])).toMatchObject({ status: 'error', data: 'server', isInvalidated: false });
	});
});

describe('an error record and the browser’s own error', () => {
	async function failedAtT0() {
		const browser = new QoraClient({ defaultOptions: { retry: 0 } });
		await browser.prefetchQuery({ key: ['k'], fetcher: async (): Promise<string> => Promise.reject(new Error('browser failure')) });
		await advance(1_000);
		return browser;
	}

	it('with a newer error, its error replaces the browser’s', async () => {
		const browser = await failedAtT0();
		hydrate(browser, payload(failure(T0 + 500)));
		expect(browser.getState(['k'])).toMatchObject({ status: 'error', errorUpdatedAt: T0 + 500, error: { message: 'server failure' } });
	});

	it('with an error from the same millisecond as the browser’s, the browser’s stands', async () => {
		const browser = await failedAtT0();
		hydrate(browser, payload(failure(T0)));
		expect(browser.getState(['k'])).toMatchObject({ status: 'error', errorUpdatedAt: T0, error: { message: 'browser failure' } });
	});
});

describe('an error record and the failure fields', () => {
	it('brings no failed attempt of this client: failureReason stays null with failureCount 0, also under data hydrated later', () => {
		const browser = new QoraClient();
		hydrate(browser, payload(failure(T0)));
		expect(browser.getState(['k'])).toMatchObject({ status: 'error', error: { message: 'server failure' }, failureCount: 0, failureReason: null });
		hydrate(browser, payload({ key: ['k'], status: 'success', data: 'server, later', dataUpdatedAt: T0 }));
		expect(browser.getState(['k'])).toMatchObject({ status: 'success', data: 'server, later', error: null, failureCount: 0, failureReason: null });
	});

	it('leaves the browser’s own failed attempts as they were when its newer error replaces the browser’s', async () => {
		const browser = new QoraClient({ defaultOptions: { retry: 0 } });
		await browser.prefetchQuery({ key: ['k'], fetcher: async (): Promise<string> => Promise.reject(new Error('browser failure')) });
		await advance(1_000);
		hydrate(browser, payload(failure(T0 + 500)));
		expect(browser.getState(['k'])).toMatchObject({ error: { message: 'server failure' }, failureCount: 1, failureReason: { message: 'browser failure' } });
	});
});

describe('an error record and a fetch in flight', () => {
	it('with data the server had after the fetch went out, it wins over that fetch, whose callers get its data', async () => {
		const browser = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const running = browser.fetchQuery({ key: ['k'], fetcher }); // out at T0
		await advance(1_000);
		hydrate(browser, payload(failure(T0 + 500, 'server, had at T0+0.5s')));
		call(0).resolve('browser, sent at T0');
		await expect(running).resolves.toBe('server, had at T0+0.5s');
		expect(browser.getState(['k'])).toMatchObject({ status: 'error', data: 'server, had at T0+0.5s', fetchStatus: 'idle' });
	});

	it('without data, it is no write over the fetch: its answer still lands over older data hydrated meanwhile', async () => {
		const browser = new QoraClient();
		await advance(2_000);
		const { fetcher, call } = controlledFetcher<string>();
		const running = browser.fetchQuery({ key: ['k'], fetcher }); // out at T0+2s
		// A hand-made record: dated, though it has no data.
		hydrate(browser, payload({ ...failure(T0 + 2_000), dataUpdatedAt: T0 + 2_000 }));
		hydrate(browser, payload({ key: ['k'], status: 'success', data: 'server, had at T0+1s', dataUpdatedAt: T0 + 1_000 }));
		call(0).resolve('browser, sent at T0+2s');
		await expect(running).resolves.toBe('browser, sent at T0+2s');
		expect(browser.getState(['k'])).toMatchObject({ status: 'success', data: 'browser, sent at T0+2s' });
	});
});

describe('an error record for a query on screen', () => {
	it('not invalidated, it starts no fetch', async () => {
		const browser = new QoraClient({ defaultOptions: { retry: 0 } });
		const { fetcher, calls, call } = controlledFetcher<string>();
		const stop = browser.watchQuery({ key: ['k'], fetcher }).subscribe(() => {});
		call(0).reject(new Error('browser failure at T0'));
		await flush();
		await advance(1_000);
		hydrate(browser, payload(failure(T0 + 500, 'server')));
		await flush();
		expect(browser.getState(['k'])).toMatchObject({ status: 'error', data: 'server', fetchStatus: 'idle' });
		expect(calls).toHaveLength(1);
		stop();
	});
});

describe('an entry an error record makes', () => {
	it('is collected gcTime later when nobody watches it', async () => {
		const browser = new QoraClient({ defaultOptions: { gcTime: 10_000 } });
		hydrate(browser, payload(failure(T0)));
		expect(browser.getState(['k'])).toMatchObject({ status: 'error', data: undefined });
		await advance(9_999);
		expect(browser.getState(['k'])).toBeDefined();
		await advance(1);
		expect(browser.getState(['k'])).toBeUndefined();
	});
});
