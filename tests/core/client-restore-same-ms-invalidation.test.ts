// "A rollback (restoreQueryData) ... an invalidation made since then stays, so the restored data
// shows stale, never as fresh" (README, Optimistic updates). Timestamps are milliseconds, so an
// invalidation in the same millisecond as the snapshot's data is a tie, which counts as made before
// the data: under fake timers an invalidation's own refetch answers in the same millisecond, and
// its data must not go back stale (a refetch loop in app tests). The other order in one millisecond
// (data, then an invalidation) is the price: the rollback shows that data fresh.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { advance, controlledFetcher, flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('restoreQueryData and an invalidation near the snapshot’s data', () => {
	it('keeps an invalidation made 1 ms after the data landed', async () => {
		const client = new QoraClient();
		const f = controlledFetcher<string>();
		const w = record(client.watchQuery({ key: ['todos'], fetcher: f.fetcher }));
		f.call(0).resolve('D0');
		await flush();
		const snapshot = client.getState(['todos']);
		await advance(1);
		void client.invalidate(['todos']); // the server changed after D0: D0 is outdated
		// The README's recipe: cancel (the refetch), write, and on failure roll back.
		client.cancel(['todos']);
		client.setQueryData(['todos'], 'optimistic');
		await advance(10);
		client.restoreQueryData(['todos'], snapshot);
		expect({ data: w.last.data, isInvalidated: w.last.isInvalidated, isStale: w.last.isStale }).toEqual({ data: 'D0', isInvalidated: true, isStale: true });
	});

	it('data an invalidation’s refetch brought in the same millisecond goes back fresh', async () => {
		const client = new QoraClient();
		const f = controlledFetcher<string>();
		const w = record(client.watchQuery({ key: ['todos'], fetcher: f.fetcher }));
		f.call(0).resolve('D0');
		await flush();
		await advance(1000);
		void client.invalidate(['todos']);
		f.call(1).resolve('D1');
		await flush();
		const snapshot = client.getState(['todos']);
		client.setQueryData(['todos'], 'optimistic');
		client.restoreQueryData(['todos'], snapshot);
		expect({ data: w.last.data, isInvalidated: w.last.isInvalidated, isStale: w.last.isStale }).toEqual({ data: 'D1', isInvalidated: false, isStale: false });
		expect(f.calls).toHaveLength(2);
	});
});
