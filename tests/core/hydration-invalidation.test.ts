/**
 * When an invalidation counts from. One the browser made has its own time; one a payload brings
 * (the server invalidated after fetching, at a time the browser cannot know) counts from when it
 * arrived, the latest it can have been: a later payload then clears it only with data the server
 * had after that. Dated too early, stale data would show as fresh; too late, it costs a refetch.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, hydrate, type DehydratedState } from '../../src/lib/index.js';
import { T0, advance, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

type Entry = DehydratedState['entries'][number];
const payload = (entry: Entry): DehydratedState => JSON.parse(JSON.stringify({ version: 1, entries: [entry] })) as DehydratedState;
const success = (data: string, dataUpdatedAt: number, invalidated?: true): Entry => ({ key: ['k'], status: 'success', data, dataUpdatedAt, ...(invalidated ? { invalidated } : {}) });
const failure = (data: string, dataUpdatedAt: number, invalidated?: true): Entry => ({
	...success(data, dataUpdatedAt, invalidated),
	status: 'error',
	error: { name: 'Error', message: 'refetch failed' },
	errorUpdatedAt: dataUpdatedAt
});

describe('an invalidation a payload brings counts from when it arrived', () => {
	it.each([
		['a success record', success],
		['an error record with data', failure]
	])('brought by %s, it stands against a later payload whose data the server had before it arrived', async (_name, record) => {
		const browser = new QoraClient();
		browser.setQueryData(['k'], 'browser');
		await advance(2_000);
		hydrate(browser, payload(record('server, then invalidated', T0 + 1_000, true))); // arrives at T0+2s
		await advance(2_000);
		hydrate(browser, payload(success('server, had at T0+1.5s', T0 + 1_500)));
		expect(browser.getState(['k'])).toMatchObject({ data: 'server, had at T0+1.5s', isInvalidated: true, isStale: true });
	});

	it('and a later payload whose data the server had after it arrived clears it', async () => {
		const browser = new QoraClient();
		browser.setQueryData(['k'], 'browser');
		await advance(2_000);
		hydrate(browser, payload(success('server, then invalidated', T0 + 1_000, true))); // arrives at T0+2s
		await advance(2_000);
		hydrate(browser, payload(success('server, had at T0+3s', T0 + 3_000)));
		expect(browser.getState(['k'])).toMatchObject({ data: 'server, had at T0+3s', isInvalidated: false });
	});

	it('stands as long when the browser had invalidated the entry itself before it arrived', async () => {
		const browser = new QoraClient();
		browser.setQueryData(['k'], 'browser');
		await advance(500);
		void browser.invalidate(['k']); // T0+0.5s, unwatched: only marks it
		await advance(1_500);
		hydrate(browser, payload(success('server, then invalidated', T0 + 1_000, true))); // arrives at T0+2s
		await advance(2_000);
		hydrate(browser, payload(success('server, had at T0+1.5s', T0 + 1_500)));
		expect(browser.getState(['k'])).toMatchObject({ data: 'server, had at T0+1.5s', isInvalidated: true, isStale: true });
	});

	it('stands as long when the browser keeps its own newer data and had invalidated it before', async () => {
		const browser = new QoraClient();
		await advance(1_000);
		browser.setQueryData(['k'], 'browser, at T0+1s');
		await advance(500);
		void browser.invalidate(['k']); // T0+1.5s
		await advance(500);
		hydrate(browser, payload(success('server, older', T0 + 500, true))); // arrives at T0+2s: the browser keeps its data
		expect(browser.getState(['k'])).toMatchObject({ data: 'browser, at T0+1s', isInvalidated: true });
		await advance(2_000);
		hydrate(browser, payload(success('server, had at T0+1.8s', T0 + 1_800)));
		expect(browser.getState(['k'])).toMatchObject({ data: 'server, had at T0+1.8s', isInvalidated: true, isStale: true });
	});
});

describe('a payload without an invalidation', () => {
	it.each([
		['a success record', success],
		['an error record with data', failure]
	])('brought by %s, it does not re-date the browser’s own invalidation: a later payload with data newer than that clears it', async (_name, record) => {
		const browser = new QoraClient();
		browser.setQueryData(['k'], 'browser');
		await advance(500);
		void browser.invalidate(['k']); // T0+0.5s, unwatched: only marks it
		await advance(1_500);
		hydrate(browser, payload(record('server, had at T0+0.2s', T0 + 200))); // arrives at T0+2s
		expect(browser.getState(['k'])).toMatchObject({ data: 'server, had at T0+0.2s', isInvalidated: true });
		await advance(2_000);
		hydrate(browser, payload(success('server, had at T0+1s', T0 + 1_000)));
		expect(browser.getState(['k'])).toMatchObject({ data: 'server, had at T0+1s', isInvalidated: false });
	});

	it('older than the browser’s data leaves that data as it was, not invalidated', async () => {
		const browser = new QoraClient();
		await advance(1_000);
		browser.setQueryData(['k'], 'browser, at T0+1s');
		hydrate(browser, payload(success('server, older', T0)));
		expect(browser.getState(['k'])).toMatchObject({ data: 'browser, at T0+1s', isInvalidated: false, isStale: false });
	});

	it('with data the server had in the same millisecond as the browser’s invalidation clears it: the browser invalidates after the server made the change', async () => {
		const browser = new QoraClient();
		browser.setQueryData(['k'], 'browser');
		await advance(1_000);
		void browser.invalidate(['k']); // T0+1s
		await advance(1_000);
		hydrate(browser, payload(success('server, had at T0+1s', T0 + 1_000)));
		expect(browser.getState(['k'])).toMatchObject({ data: 'server, had at T0+1s', isInvalidated: false });
	});
});

describe('an invalidation a payload brings for data the browser keeps', () => {
	it('is no use of the entry: it is still collected gcTime after it was written', async () => {
		const browser = new QoraClient({ defaultOptions: { gcTime: 10_000 } });
		await advance(1_000);
		browser.setQueryData(['k'], 'browser, at T0+1s');
		await advance(5_000);
		hydrate(browser, payload(success('server, older', T0, true)));
		expect(browser.getState(['k'])).toMatchObject({ data: 'browser, at T0+1s', isInvalidated: true });
		await advance(4_999);
		expect(browser.getState(['k'])).toBeDefined();
		await advance(1);
		expect(browser.getState(['k'])).toBeUndefined();
	});
});
