// restoreQueryData while a fetch is out. A rollback "puts back data as old as the snapshot's: a request
// sent after that data was requested (…) still lands over it" (README, Optimistic updates), also when an
// optimistic write came between the request and the rollback: the rollback undid the write, so the
// request's answer, or its failure, no longer loses to it. A write the snapshot itself holds (made
// during an earlier attempt) still stands. An invalidation made since the snapshot's data stays;
// one in the same millisecond counts as made before the data, since under fake timers an
// invalidation's own refetch answers in the same millisecond. (Found by reviews.)
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, hydrate, type DehydratedState, type QoraClientConfig } from '../../src/lib/index.js';
import { T0, advance, controlledFetcher, flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

/** A watched ['todos'] whose first fetch answered D0 at T0, then a second later: the snapshot and the fetcher. */
async function todosLoaded(config?: QoraClientConfig) {
	const client = new QoraClient(config);
	const f = controlledFetcher<string>();
	const w = record(client.watchQuery({ key: ['todos'], fetcher: f.fetcher }));
	f.call(0).resolve('D0');
	await flush();
	await advance(1000);
	return { client, f, w, snapshot: client.getState(['todos']) };
}

/** An optimistic write half a second into the fetch, and its rollback half a second later. */
async function writeAndRollBack(client: QoraClient, snapshot: ReturnType<QoraClient['getState']>) {
	await advance(500);
	client.setQueryData(['todos'], 'optimistic');
	await advance(500);
	client.restoreQueryData(['todos'], snapshot);
}

describe('restoreQueryData after a write made during a fetch', () => {
	it('a request sent after the snapshot data was fetched lands over the rollback (background refetch)', async () => {
		const { client, f, w, snapshot } = await todosLoaded();
		void client.fetchQuery({ key: ['todos'], fetcher: f.fetcher, options: { staleTime: 0 } });
		expect(f.calls).toHaveLength(2);
		await writeAndRollBack(client, snapshot);
		f.call(1).resolve('D1');
		await flush();
		expect(w.last.data).toBe('D1');
	});

	it('an awaited invalidate whose refetch was overtaken by a write, then rolled back, leaves no stale data behind', async () => {
		const { client, f, w, snapshot } = await todosLoaded();
		const done = client.invalidate(['todos']);
		await writeAndRollBack(client, snapshot);
		f.call(1).resolve('D1');
		await done;
		await flush();
		expect({ data: w.last.data, isInvalidated: w.last.isInvalidated, fetchStatus: w.last.fetchStatus }).toEqual({ data: 'D1', isInvalidated: false, fetchStatus: 'idle' });
		expect(w.last.dataUpdatedAt).toBe(T0 + 2000);
	});

	it('after the rollback, the failure of that request shows as it would have without the undone write', async () => {
		const { client, f, w, snapshot } = await todosLoaded({ defaultOptions: { retry: 0 } });
		void client.fetchQuery({ key: ['todos'], fetcher: f.fetcher, options: { staleTime: 0 } });
		await writeAndRollBack(client, snapshot);
		f.call(1).reject(new Error('server down'));
		await flush();
		expect({ status: w.last.status, data: w.last.data, error: w.last.error?.message }).toEqual({ status: 'error', data: 'D0', error: 'server down' });
	});
});

describe('a rollback to a write made during an earlier attempt of the fetch', () => {
	async function run(withOptimisticRollback: boolean) {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const stop = client.watchQuery({ key: ['k'], fetcher, options: { retry: 1, retryDelay: 1000 } }).subscribe(() => {});
		call(0).resolve('v0');
		await flush();
		await advance(10);
		void client.invalidate(['k']); // attempt 1 goes out
		await advance(5);
		client.setQueryData(['k'], 'pushed'); // a write during the fetch (a server push)
		call(1).reject(new Error('attempt 1'));
		await advance(1000); // attempt 2 goes out
		expect(fetcher).toHaveBeenCalledTimes(3);
		if (withOptimisticRollback) {
			const snapshot = client.getState(['k']); // 'pushed', from before attempt 2
			client.setQueryData(['k'], 'optimistic');
			client.restoreQueryData(['k'], snapshot);
		}
		call(2).reject(new Error('attempt 2'));
		await flush();
		const state = client.getState(['k']);
		stop();
		client.dispose();
		return state;
	}

	it('the fetch’s final failure shows as it would without the optimistic write and its rollback', async () => {
		const without = await run(false);
		expect(without).toMatchObject({ status: 'success', data: 'pushed' });
		expect(await run(true)).toMatchObject({ status: 'success', data: 'pushed' });
	});
});

describe('a rollback to data that came during the fetch without counting as a write (a streamed payload)', () => {
	const payload = (entry: DehydratedState['entries'][number]): DehydratedState => JSON.parse(JSON.stringify({ version: 1, entries: [entry] })) as DehydratedState;

	async function runWithStream(withOptimisticRollback: boolean) {
		const client = new QoraClient();
		await advance(1_000);
		const began = Date.now();
		const { fetcher, call } = controlledFetcher<string>();
		const stop = client.watchQuery({ key: ['k'], fetcher, options: { retry: 1, retryDelay: 1000 } }).subscribe(() => {});
		// A streamed payload lands during the fetch: requested 500 ms before the fetch began, answered
		// 100 ms after it began. Older by request time: not a write over the fetch.
		await advance(200);
		hydrate(client, payload({ key: ['k'], status: 'success', data: 'streamed', dataUpdatedAt: began + 100, requestedAt: began - 500 }));
		expect(client.getState(['k'])).toMatchObject({ data: 'streamed', fetchStatus: 'fetching' });
		call(0).reject(new Error('attempt 1'));
		await advance(1000); // attempt 2 goes out
		expect(fetcher).toHaveBeenCalledTimes(2);
		if (withOptimisticRollback) {
			const snapshot = client.getState(['k']); // 'streamed'
			client.setQueryData(['k'], 'optimistic');
			client.restoreQueryData(['k'], snapshot); // the mutation failed: back to 'streamed'
		}
		call(1).reject(new Error('attempt 2'));
		await flush();
		const state = client.getState(['k']);
		stop();
		client.dispose();
		return state;
	}

	it('to hydrated data older by request time than the fetch, answered during it: the failure shows as without the write and rollback', async () => {
		const without = await runWithStream(false);
		expect(without).toMatchObject({ status: 'error', data: 'streamed' });
		const withRollback = await runWithStream(true);
		expect(withRollback).toMatchObject({ status: without!.status, data: 'streamed' });
	});
});

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
		const { client, f, w } = await todosLoaded();
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
