/** Behaviour pinned by a mutation-testing pass: what hydration does that no other test checked. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, hydrate } from '../../src/lib/index.js';
import { advance, counter, failingFetcher, flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('hydrated invalidated data and disabled watchers', () => {
	it('data that arrives invalidated is not refetched for a key watched only by a disabled query', async () => {
		const browser = new QoraClient();
		const fetcher = counter();
		const states = record(browser.watchQuery({ key: ['list'], fetcher, options: { enabled: false } }));
		hydrate(browser, { version: 1, entries: [{ key: ['list'], status: 'success', data: 'server', dataUpdatedAt: Date.now(), invalidated: true }] });
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(states.last).toMatchObject({ data: 'server', isInvalidated: true, fetchStatus: 'idle' });
		states.stop();
	});
});

describe('an error record without errorUpdatedAt', () => {
	it('dates its error by dataUpdatedAt, the record’s only time', () => {
		const browser = new QoraClient();
		const at = Date.now() - 5000;
		hydrate(browser, { version: 1, entries: [{ key: ['e'], status: 'error', dataUpdatedAt: at, error: { name: 'Error', message: 'down' } }] });
		expect(browser.getState(['e'])).toMatchObject({ status: 'error', errorUpdatedAt: at, error: { message: 'down' } });
	});

	it('so it does not replace an error the browser recorded after it', async () => {
		const browser = new QoraClient({ defaultOptions: { retry: false } });
		const at = Date.now();
		await advance(1000);
		await browser.prefetchQuery({ key: ['e'], fetcher: failingFetcher('browser error') });
		hydrate(browser, { version: 1, entries: [{ key: ['e'], status: 'error', dataUpdatedAt: at, error: { name: 'Error', message: 'server error' } }] });
		expect(browser.getState(['e'])?.error?.message).toBe('browser error');
	});
});
