// "A rollback (restoreQueryData) ... an invalidation made since then stays, so the restored data
// shows stale, never as fresh" (README, Optimistic updates), also when the invalidation came in the
// same millisecond as the snapshot's data (always, under fake timers): the safe side of the tie is
// stale, at worst a refetch.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { advance, controlledFetcher, flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('restoreQueryData and an invalidation in the same millisecond as the data', () => {
	for (const gap of [1, 0]) {
		it(`the rollback keeps the invalidation made ${gap} ms after the data landed`, async () => {
			const client = new QoraClient();
			const f = controlledFetcher<string>();
			const w = record(client.watchQuery({ key: ['todos'], fetcher: f.fetcher }));
			f.call(0).resolve('D0');
			await flush();
			const snapshot = client.getState(['todos']);
			await advance(gap);
			void client.invalidate(['todos']); // the server changed after D0: D0 is outdated
			// The README's recipe: cancel (the refetch), write, and on failure roll back.
			client.cancel(['todos']);
			client.setQueryData(['todos'], 'optimistic');
			await advance(10);
			client.restoreQueryData(['todos'], snapshot);
			expect({ data: w.last.data, isInvalidated: w.last.isInvalidated, isStale: w.last.isStale }).toEqual({
				data: 'D0',
				isInvalidated: true,
				isStale: true
			});
		});
	}
});
