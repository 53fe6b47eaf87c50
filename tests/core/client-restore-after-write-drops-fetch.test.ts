// A rollback is "as old as the snapshot's data: a request sent after that data was fetched still
// lands over it" (README, Optimistic updates; restoreQueryData's TSDoc). That holds when a direct
// write came between the request and the rollback: the rollback undid the write, so the request's
// answer (or its failure) no longer loses to it. (Found by a review: the write's count on the
// fetch in flight outlived the rollback, so the newer answer was dropped and the older data stayed.)
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { T0, advance, controlledFetcher, flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('restoreQueryData after a write made during a fetch', () => {
	it('a request sent after the snapshot data was fetched lands over the rollback (background refetch)', async () => {
		const client = new QoraClient();
		const f = controlledFetcher<string>();
		const w = record(client.watchQuery({ key: ['todos'], fetcher: f.fetcher }));
		f.call(0).resolve('D0'); // fetched at T0
		await flush();
		await advance(1000);
		const snapshot = client.getState(['todos']);
		// A background refetch goes out at T0 + 1 s, after D0 was fetched.
		void client.fetchQuery({ key: ['todos'], fetcher: f.fetcher, options: { staleTime: 0 } });
		expect(f.calls).toHaveLength(2);
		await advance(500);
		client.setQueryData(['todos'], 'optimistic'); // wins over that request, which predates it
		await advance(500);
		client.restoreQueryData(['todos'], snapshot); // rollback to D0 (fetched at T0)
		f.call(1).resolve('D1'); // the answer to the request sent at T0 + 1 s
		await flush();
		// Newer than D0 by its request: it lands, as the README promises.
		expect(w.last.data).toBe('D1');
	});

	it('an awaited invalidate whose refetch was overtaken by a write, then rolled back, leaves no stale data behind', async () => {
		const client = new QoraClient();
		const f = controlledFetcher<string>();
		const w = record(client.watchQuery({ key: ['todos'], fetcher: f.fetcher }));
		f.call(0).resolve('D0');
		await flush();
		await advance(1000);
		const snapshot = client.getState(['todos']);
		const done = client.invalidate(['todos']); // refetch goes out at T0 + 1 s
		await advance(500);
		client.setQueryData(['todos'], 'optimistic');
		await advance(500);
		client.restoreQueryData(['todos'], snapshot); // D0 goes back invalidated (stale)
		f.call(1).resolve('D1');
		await done;
		await flush();
		// The invalidation's refetch answered (a request sent after it): its data shows, or at least a refetch follows.
		expect({ data: w.last.data, isInvalidated: w.last.isInvalidated, fetchStatus: w.last.fetchStatus }).toEqual({
			data: 'D1',
			isInvalidated: false,
			fetchStatus: 'idle'
		});
		expect(w.last.dataUpdatedAt).toBe(T0 + 2000);
	});

	it('after the rollback, the failure of that request shows as it would have without the undone write', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const f = controlledFetcher<string>();
		const w = record(client.watchQuery({ key: ['todos'], fetcher: f.fetcher }));
		f.call(0).resolve('D0');
		await flush();
		await advance(1000);
		const snapshot = client.getState(['todos']);
		const refetch = client.fetchQuery({ key: ['todos'], fetcher: f.fetcher, options: { staleTime: 0 } });
		void refetch;
		await advance(500);
		client.setQueryData(['todos'], 'optimistic');
		await advance(500);
		client.restoreQueryData(['todos'], snapshot); // the write is undone: D0 (T0) is older than the request
		f.call(1).reject(new Error('server down'));
		await flush();
		// As with no write at all: a refetch error, D0 kept.
		expect({ status: w.last.status, data: w.last.data, error: w.last.error?.message }).toEqual({ status: 'error', data: 'D0', error: 'server down' });
	});
});
