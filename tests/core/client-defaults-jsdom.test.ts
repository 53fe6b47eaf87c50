// @vitest-environment jsdom
/** The core's default platform sources are no-ops in a browser-like environment too: it never reads window. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { MINUTE, advance, flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('default sources under jsdom', () => {
	it('runs in a DOM', () => {
		expect(typeof window).toBe('object');
		expect(typeof document).toBe('object');
	});

	it('window focus and visibility events do not refetch: the default focus source never fires', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 0 } });
		const fetcher = vi.fn(async () => 1);
		record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		window.dispatchEvent(new Event('focus'));
		document.dispatchEvent(new Event('visibilitychange'));
		await advance(MINUTE);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('an offline event does not pause fetches: the default is always online', async () => {
		const client = new QoraClient();
		window.dispatchEvent(new Event('offline'));
		expect(client.isOnline()).toBe(true);
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: async () => 1 }));
		expect(watcher.phases()).toEqual(['pending/fetching']);
		await flush();
		expect(watcher.last.data).toBe(1);
	});
});
