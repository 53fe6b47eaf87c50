/** getState, getQueryData, setQueryData and restoreQueryData: reading and writing the cache directly. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type QoraState } from '../../src/lib/index.js';
import { initialEntryState, toQoraState } from '../../src/lib/core/state.js';
import { T0, advance, controlledFetcher, flush, manualOnline, phase, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

interface Todo {
	id: number;
	title: string;
}

describe('getState and getQueryData', () => {
	it('are undefined for a key with no entry, and create none', () => {
		const client = new QoraClient();
		expect(client.getState(['k'])).toBeUndefined();
		expect(client.getQueryData(['k'])).toBeUndefined();
		expect(client.size).toBe(0);
	});

	it('return the current state and data', async () => {
		const client = new QoraClient();
		await client.fetchQuery({ key: ['k'], fetcher: async () => [1, 2] });
		expect(client.getQueryData(['k'])).toEqual([1, 2]);
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: [1, 2], dataUpdatedAt: T0 });
	});

	it('getQueryData returns the data of an error state that kept it', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false, staleTime: 0 } });
		client.setQueryData(['k'], 'kept');
		await client.prefetchQuery({
			key: ['k'],
			fetcher: async () => {
				throw new Error('x');
			}
		});
		await flush();
		expect(client.getQueryData(['k'])).toBe('kept');
	});
});

describe('setQueryData', () => {
	it('writes a value: status success, dataUpdatedAt now, and returns it', async () => {
		const client = new QoraClient();
		await advance(500);
		expect(client.setQueryData(['k'], 'v')).toBe('v');
		expect(client.getState(['k'])).toMatchObject({
			status: 'success',
			fetchStatus: 'idle',
			data: 'v',
			error: null,
			dataUpdatedAt: T0 + 500,
			isStale: false
		});
	});

	it('an updater receives the previous data (undefined when none) and its result is written', () => {
		const client = new QoraClient();
		const seen: unknown[] = [];
		client.setQueryData<number>(['n'], (previous) => {
			seen.push(previous);
			return 1;
		});
		client.setQueryData<number>(['n'], (previous) => {
			seen.push(previous);
			return (previous ?? 0) + 1;
		});
		expect(seen).toEqual([undefined, 1]);
		expect(client.getQueryData(['n'])).toBe(2);
	});

	it('an updater returning undefined changes nothing and notifies nobody', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'v');
		const observer = record(client.observeQuery(['k']));
		const before = client.getState(['k']);
		expect(client.setQueryData<string>(['k'], () => undefined)).toBe('v');
		expect(client.getState(['k'])).toBe(before);
		expect(observer.states).toHaveLength(1);
		client.setQueryData<string>(['none'], () => undefined);
		expect(client.getState(['none'])).toBeUndefined();
	});

	it('notifies watchers synchronously', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		const observer = record(client.observeQuery<number>(['k']));
		client.setQueryData(['k'], 2);
		expect(observer.states.map((s) => s.data)).toEqual([1, 2]);
	});

	it('replaces an error: success, error cleared, the failures of the last fetch kept for inspection', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		await client.prefetchQuery({
			key: ['k'],
			fetcher: async () => {
				throw new Error('x');
			}
		});
		client.setQueryData(['k'], 'fixed');
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'fixed', error: null, isError: false });
	});

	it('clears an invalidation: the written data is fresh', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'a');
		await client.invalidate(['k']);
		client.setQueryData(['k'], 'b');
		expect(client.getState(['k'])).toMatchObject({ isInvalidated: false, isStale: false });
	});

	it('made during a fetch wins over that fetch’s result; the fetch’s callers get the written data', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const result = client.fetchQuery({ key: ['k'], fetcher });
		client.setQueryData(['k'], 'written');
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'fetching', data: 'written' });
		call(0).resolve('fetched');
		await expect(result).resolves.toBe('written');
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'written' });
	});

	it('made before the attempt that answers (a retry after backoff) does not win: that request went out after the write', async () => {
		const client = new QoraClient();
		let calls = 0;
		const fetcher = vi.fn(async () => (++calls === 1 ? Promise.reject(new Error('blip')) : 'fetched'));
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		client.setQueryData(['k'], 'written');
		await advance(1000);
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'fetched' });
	});

	it('made by the fetcher itself before its request goes out (a seed from another cache) does not win over that request', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const seeding = vi.fn((context: Parameters<typeof fetcher>[0]) => {
			client.setQueryData(context.key, 'seed');
			return fetcher(context);
		});
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: seeding }));
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'fetching', data: 'seed' });
		call(0).resolve('full');
		await flush();
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'full' });
	});

	it('made while the fetch waits offline does not win over the request sent on reconnecting', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		expect(watcher.last).toMatchObject({ fetchStatus: 'paused' });
		client.setQueryData(['k'], 'written');
		online.set(true);
		call(0).resolve('fetched');
		await flush();
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'fetched' });
	});

	it('made during a failing attempt still stands when the last retry fails too (no error over it)', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 1 } });
		const { fetcher, call } = controlledFetcher<string>();
		const result = client.fetchQuery({ key: ['k'], fetcher });
		client.setQueryData(['k'], 'written');
		call(0).reject(new Error('first'));
		await advance(1000);
		call(1).reject(new Error('second'));
		await expect(result).resolves.toBe('written');
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'written', error: null });
	});

	it('an updater that changes the key object it was given still writes to the key as it was called', () => {
		const client = new QoraClient();
		const filter = { page: 1 };
		client.setQueryData(['todos', filter], () => ((filter.page = 2), 'x'));
		expect(client.getQueryData(['todos', { page: 1 }])).toBe('x');
		client.setQueryData(['todos', { page: 2 }], 'y');
		expect(client.keys()).toEqual([['todos', { page: 1 }], ['todos', { page: 2 }]]);
	});

	it('a fetch a write had won resolves with the written data even when a listener removes it on the settle', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		client.observeQuery(['k']).subscribe((state) => {
			if (state.status === 'success' && state.fetchStatus === 'idle') client.remove(['k']);
		});
		const result = client.fetchQuery({ key: ['k'], fetcher });
		client.setQueryData(['k'], 'written');
		call(0).resolve('fetched');
		await expect(result).resolves.toBe('written');
	});

	it('an updater that writes or removes the same key itself leaves one entry holding the updater’s result', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], () => {
			client.setQueryData(['k'], 'inner');
			return 'outer';
		});
		expect(client.size).toBe(1);
		expect(client.getQueryData(['k'])).toBe('outer');
		client.setQueryData(['k'], () => {
			client.remove(['k']);
			return 'after remove';
		});
		expect(client.getQueryData(['k'])).toBe('after remove');
		expect(client.keys()).toEqual([['k']]);
		// An updater that writes and then declines returns what the cache now holds.
		const returned = client.setQueryData<string>(['k'], () => {
			client.setQueryData(['k'], 'inner');
			return undefined;
		});
		expect(returned).toBe('inner');
	});

	it('throws a TypeError for an invalid key and writes nothing', () => {
		const client = new QoraClient();
		expect(() => client.setQueryData(['k', undefined], 1)).toThrow(TypeError);
		expect(client.size).toBe(0);
	});
	it('an updater that returns the data it was given overrides no fetch in flight (a guarded "add unless present")', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
		const { fetcher, call } = controlledFetcher<{ v: number }>();
		const watcher = record(client.watchQuery({ key: ['todos'], fetcher }));
		call(0).resolve({ v: 1 });
		await advance(120_000);
		const refetched = client.invalidate(['todos']);
		client.setQueryData<{ v: number }>(['todos'], (old) => old);
		call(1).resolve({ v: 2 });
		await refetched;
		expect(watcher.last).toMatchObject({ data: { v: 2 }, isInvalidated: false });
		watcher.stop();
	});

	it('an updater that hands back the data it was given keeps an invalidation: the data stays stale, and the next watcher refetches', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
		const { fetcher, call } = controlledFetcher<string[]>();
		const page = record(client.watchQuery({ key: ['todos'], fetcher }));
		call(0).resolve(['a', 'b']);
		await flush();
		page.stop(); // the user went to another page
		await client.invalidate(['todos']); // the server changed the list: nobody watches, so it is only marked
		// A push message adds 'b' unless it is there already: it is, so the updater hands the list back.
		const added = client.setQueryData<string[]>(['todos'], (list) => (list === undefined || list.includes('b') ? list : [...list, 'b']));
		expect(added).toEqual(['a', 'b']);
		expect(client.getState(['todos'])).toMatchObject({ data: ['a', 'b'], isInvalidated: true, isStale: true });
		const back = record(client.watchQuery({ key: ['todos'], fetcher })); // the user comes back
		expect(fetcher).toHaveBeenCalledTimes(2);
		call(1).resolve(['a', 'b', 'c']);
		await flush();
		expect(back.last).toMatchObject({ data: ['a', 'b', 'c'], isInvalidated: false, isStale: false });
		back.stop();
	});

	it('an updater that hands back the data it was given leaves a failed refetch as it was: the error stays, and the next watcher tries again', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 60_000, retry: 0 } });
		const { fetcher, call } = controlledFetcher<string[]>();
		const page = record(client.watchQuery({ key: ['todos'], fetcher }));
		call(0).resolve(['a']);
		await flush();
		void client.invalidate(['todos']);
		call(1).reject(new Error('server down'));
		await flush();
		page.stop();
		const failed = client.getState(['todos']);
		expect(failed).toMatchObject({ status: 'error', data: ['a'], isStale: true });
		await advance(1_000);
		client.setQueryData<string[]>(['todos'], (list) => list); // a push about a todo that is not in the list
		expect(client.getState(['todos'])).toEqual(failed);
		record(client.watchQuery({ key: ['todos'], fetcher })).stop();
		expect(fetcher).toHaveBeenCalledTimes(3);
	});

	it('an updater that hands back the data it was given leaves the data as old as it was: stale data stays stale', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
		const { fetcher, call } = controlledFetcher<string[]>();
		const page = record(client.watchQuery({ key: ['todos'], fetcher }));
		call(0).resolve(['a']);
		await flush();
		page.stop();
		await advance(120_000);
		client.setQueryData<string[]>(['todos'], (list) => list);
		expect(client.getState(['todos'])).toMatchObject({ data: ['a'], dataUpdatedAt: T0, isStale: true });
		const back = record(client.watchQuery({ key: ['todos'], fetcher }));
		expect(fetcher).toHaveBeenCalledTimes(2);
		back.stop();
	});

	it('a write of new data, or a value written as such (the app says what is current), still clears an invalidation', async () => {
		const client = new QoraClient();
		client.setQueryData(['todos'], ['a']);
		await client.invalidate(['todos']);
		client.setQueryData<string[]>(['todos'], (list) => [...(list ?? []), 'b']);
		expect(client.getState(['todos'])).toMatchObject({ data: ['a', 'b'], isInvalidated: false, isStale: false });
		client.setQueryData(['count'], 5);
		await client.invalidate(['count']);
		client.setQueryData(['count'], 5); // the server answered 5 again
		expect(client.getState(['count'])).toMatchObject({ data: 5, isInvalidated: false, isStale: false });
	});

	it('writes null as data like any other value (only undefined means "leave it")', () => {
		const client = new QoraClient();
		expect(client.setQueryData(['k'], null)).toBeNull();
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: null });
		client.setQueryData(['u'], 'a');
		expect(client.setQueryData<string | null>(['u'], () => null)).toBeNull();
		expect(client.getState(['u'])).toMatchObject({ status: 'success', data: null });
	});
});

describe('restoreQueryData', () => {
	it('puts back exactly the snapshot taken with getState', async () => {
		const client = new QoraClient();
		await client.fetchQuery({ key: ['todos'], fetcher: async () => [{ id: 1, title: 'a' }] });
		const snapshot = client.getState<Todo[]>(['todos']);
		await advance(100);
		client.setQueryData<Todo[]>(['todos'], (old) => [...(old ?? []), { id: 2, title: 'optimistic' }]);
		client.restoreQueryData(['todos'], snapshot);
		expect(client.getState(['todos'])).toEqual(snapshot);
		expect(client.getQueryData(['todos'])).toBe(snapshot?.data);
	});

	it('puts back an error snapshot with its error and timestamps', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		await client.prefetchQuery({
			key: ['k'],
			fetcher: async () => {
				throw new Error('x');
			}
		});
		const snapshot = client.getState(['k']);
		await advance(100);
		client.setQueryData(['k'], 'optimistic');
		client.restoreQueryData(['k'], snapshot);
		expect(client.getState(['k'])).toEqual(snapshot);
	});

	it('puts back a snapshot of a failed refetch: the error over the data it kept', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		client.setQueryData(['k'], 'kept');
		await client.prefetchQuery({ key: ['k'], fetcher: async () => Promise.reject(new Error('refetch failed')), options: { staleTime: 0 } });
		await flush();
		const snapshot = client.getState(['k']);
		expect(snapshot).toMatchObject({ status: 'error', data: 'kept', isRefetchError: true });
		client.setQueryData(['k'], 'optimistic');
		client.restoreQueryData(['k'], snapshot);
		expect(client.getState(['k'])).toEqual(snapshot);
	});

	it('puts back an invalidated snapshot as invalidated', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'a');
		await client.invalidate(['k']);
		const snapshot = client.getState(['k']);
		client.setQueryData(['k'], 'b');
		client.restoreQueryData(['k'], snapshot);
		expect(client.getState(['k'])).toMatchObject({ data: 'a', isInvalidated: true, isStale: true });
	});

	it('puts nothing back from a snapshot taken before a clear (a logout while a save was out)', async () => {
		const client = new QoraClient();
		const seen: unknown[] = [];
		const stop = client.observeQuery(['todos']).subscribe((state) => seen.push(state.data));
		client.setQueryData(['todos'], ['old user’s todo']);
		const snapshot = client.getState(['todos']);
		client.setQueryData(['todos'], ['old user’s todo', 'optimistic']);
		client.clear();
		client.restoreQueryData(['todos'], snapshot);
		expect(client.getState(['todos'])).toMatchObject({ status: 'pending', data: undefined });
		expect(seen.at(-1)).toBeUndefined();
		stop();
		client.clear(); // no entry left at all now
		client.restoreQueryData(['todos'], snapshot);
		expect(client.getQueryData(['todos'])).toBeUndefined();
	});

	it('puts no error back from a snapshot taken before a clear: the next user’s page does not show the old user’s failure', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		await client.prefetchQuery({ key: ['inbox'], fetcher: async () => Promise.reject(new Error('old user: 500')) });
		const snapshot = client.getState(['inbox']);
		expect(snapshot).toMatchObject({ status: 'error', data: undefined });
		client.clear();
		// The next user's page watches the key, which is pending and fetching for them.
		const { fetcher } = controlledFetcher<string[]>();
		const page = record(client.watchQuery({ key: ['inbox'], fetcher }));
		client.restoreQueryData(['inbox'], snapshot);
		expect(page.last).toMatchObject({ status: 'pending', error: null, fetchStatus: 'fetching' });
		page.stop();
	});

	it('puts back a snapshot taken after the clear', async () => {
		const client = new QoraClient();
		client.setQueryData(['todos'], ['old']);
		client.clear();
		client.setQueryData(['todos'], ['new user’s todo']);
		const snapshot = client.getState(['todos']);
		client.setQueryData(['todos'], ['new user’s todo', 'optimistic']);
		client.restoreQueryData(['todos'], snapshot);
		expect(client.getQueryData(['todos'])).toEqual(['new user’s todo']);
	});

	it('made during a fetch sent no later than the snapshot’s data stands over that fetch’s answer, even on an entry that had no data', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'snapshot data');
		const snapshot = client.getState<string>(['k']);
		client.remove(['k']);
		const { fetcher, call } = controlledFetcher<string>();
		const result = client.fetchQuery({ key: ['k'], fetcher }); // the entry's first fetch
		client.restoreQueryData(['k'], snapshot);
		call(0).resolve('fetched');
		await expect(result).resolves.toBe('snapshot data');
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'snapshot data', fetchStatus: 'idle' });
	});

	it('is as old as the snapshot’s data: a fetch sent after that data still lands over the rollback', async () => {
		const client = new QoraClient();
		client.setQueryData(['todos'], 'before');
		const snapshot = client.getState<string>(['todos']);
		await advance(1_000);
		client.setQueryData(['todos'], 'optimistic');
		const { fetcher, call } = controlledFetcher<string>();
		const refetch = client.fetchQuery({ key: ['todos'], fetcher, options: { staleTime: 0 } }); // a focus refetch, say
		client.restoreQueryData(['todos'], snapshot); // the mutation failed
		expect(client.getState(['todos'])).toMatchObject({ data: 'before', fetchStatus: 'fetching' });
		call(0).resolve('from the server');
		await expect(refetch).resolves.toBe('optimistic'); // stale: fetchQuery answered from the cache at once
		await flush();
		expect(client.getState(['todos'])).toMatchObject({ data: 'from the server', fetchStatus: 'idle', isInvalidated: false });
	});

	it('keeps the follow-up refetch an invalidation queued landing over a rollback to the data it follows', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
		const { fetcher, call, calls } = controlledFetcher<string>();
		const stop = client.watchQuery({ key: ['todos'], fetcher }).subscribe(() => {});
		await advance(1_000);
		void client.invalidate(['todos']); // replaces the first read: the read from T0+1s
		await advance(1_000);
		void client.invalidate(['todos']); // lets that read land, then refetches
		await advance(1_000);
		call(1).resolve('read from T0+1s');
		await flush();
		expect(calls.length).toBe(3); // the follow-up, sent as that data landed (the same millisecond)
		const snapshot = client.getState<string>(['todos']);
		await advance(1_000);
		client.setQueryData(['todos'], 'optimistic');
		await advance(1_000);
		client.restoreQueryData(['todos'], snapshot); // the mutation failed
		call(2).resolve('read from T0+3s');
		await flush();
		const state = client.getState(['todos']);
		stop();
		// Sent after the read behind the snapshot's data: it lands, as it would have without the optimistic write.
		expect(state).toMatchObject({ data: 'read from T0+3s', isInvalidated: false, fetchStatus: 'idle' });
	});

	it('keeps an invalidation made since the snapshot’s data: the data goes back stale', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		client.setQueryData(['todos'], 'before');
		const snapshot = client.getState<string>(['todos']);
		await advance(1_000);
		client.setQueryData(['todos'], 'optimistic');
		await client.invalidate(['todos']); // another mutation settled meanwhile
		client.restoreQueryData(['todos'], snapshot);
		expect(client.getState(['todos'])).toMatchObject({ data: 'before', isInvalidated: true, isStale: true });
	});

	it('on a watched entry whose refetch went out at the invalidation, lets that refetch land fresh over the rollback', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['todos'], fetcher }));
		call(0).resolve('before');
		await flush();
		const snapshot = client.getState<string>(['todos']);
		await advance(1_000);
		client.setQueryData(['todos'], 'optimistic');
		void client.invalidate(['todos']);
		client.restoreQueryData(['todos'], snapshot);
		expect(watcher.last).toMatchObject({ data: 'before', isInvalidated: true, fetchStatus: 'fetching' });
		call(1).resolve('from the server');
		await flush();
		expect(watcher.last).toMatchObject({ data: 'from the server', isInvalidated: false, fetchStatus: 'idle' });
		watcher.stop();
	});

	it('does not bring back an invalidation older than the snapshot’s data', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['todos'], fetcher }));
		call(0).resolve('first');
		await flush();
		void client.invalidate(['todos']);
		await advance(1_000);
		call(1).resolve('refetched');
		await flush();
		const snapshot = client.getState<string>(['todos']);
		client.setQueryData(['todos'], 'optimistic');
		client.restoreQueryData(['todos'], snapshot);
		expect(watcher.last).toMatchObject({ data: 'refetched', isInvalidated: false, isStale: false });
		watcher.stop();
	});

	it('of the state as it is, during a fetch, changes nothing and so overrides nothing: the fetch’s answer lands', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'cached');
		const { fetcher, call } = controlledFetcher<string>();
		await client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }); // cached, and refetches in the background
		client.restoreQueryData(['k'], client.getState<string>(['k']));
		call(0).resolve('fetched');
		await flush();
		expect(client.getQueryData(['k'])).toBe('fetched');
	});

	it('rejects a snapshot no state could be, naming the field, and leaves the entry as it was', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		client.setQueryData(['k'], 'a');
		const good = client.getState<string>(['k']) as QoraState<string>;
		await client.prefetchQuery({ key: ['e'], fetcher: async () => Promise.reject(new Error('x')) });
		const failed = client.getState(['e']) as QoraState<string>;
		const bad: [string, unknown, string][] = [
			['a success without data', { ...good, data: undefined }, 'data'],
			['a pending state with data', { ...good, status: 'pending' }, 'data'],
			['an error without an Error', { ...failed, error: { message: 'x' } }, 'error'],
			['a success with an error', { ...good, error: new Error('x') }, 'error'],
			['a missing timestamp', { ...good, dataUpdatedAt: undefined }, 'dataUpdatedAt'],
			['an error timestamp that is not a number', { ...failed, errorUpdatedAt: '1' }, 'errorUpdatedAt'],
			['a negative failureCount', { ...good, failureCount: -1 }, 'failureCount'],
			['a failureReason that is not an Error', { ...good, failureReason: 'x' }, 'failureReason'],
			['a missing isInvalidated', { ...good, isInvalidated: undefined }, 'isInvalidated'],
			['an unknown status', { ...good, status: 'done' }, 'status']
		];
		for (const [, snapshot, field] of bad) {
			expect(() => client.restoreQueryData(['k'], snapshot as QoraState<string>)).toThrow(
				new RegExp(`restoreQueryData: snapshot must be a state returned by getState, or undefined \\(its "${field}" field is invalid\\)`)
			);
		}
		expect(() => client.restoreQueryData(['k'], 'a' as never)).toThrow(/\(got string\)/);
		expect(client.getState(['k'])).toEqual(good);
		// A snapshot that went through JSON lost its Error: rejected too, rather than restored as a plain object.
		expect(() => client.restoreQueryData(['e'], JSON.parse(JSON.stringify(failed)))).toThrow(/"error" field/);
	});

	it('a snapshot of undefined (the entry did not exist) removes the entry', () => {
		const client = new QoraClient();
		const snapshot = client.getState(['k']);
		expect(snapshot).toBeUndefined();
		client.setQueryData(['k'], 'optimistic');
		client.restoreQueryData(['k'], snapshot);
		expect(client.getState(['k'])).toBeUndefined();
		expect(client.size).toBe(0);
	});

	it('notifies watchers synchronously', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'a');
		const snapshot = client.getState(['k']);
		const observer = record(client.observeQuery(['k']));
		client.setQueryData(['k'], 'b');
		client.restoreQueryData(['k'], snapshot);
		expect(observer.states.map((s) => s.data)).toEqual(['a', 'b', 'a']);
	});

	it('restores into a key that was removed meanwhile', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'a');
		const snapshot = client.getState(['k']);
		client.remove(['k']);
		client.restoreQueryData(['k'], snapshot);
		expect(client.getState(['k'])).toEqual(snapshot);
	});

	it('throws a TypeError for something that is not a snapshot, or an invalid key', () => {
		const client = new QoraClient();
		expect(() => client.restoreQueryData(['k'], 'data' as unknown as QoraState<string>)).toThrow(TypeError);
		expect(() => client.restoreQueryData(['k'], { status: 'done' } as unknown as QoraState<string>)).toThrow(TypeError);
		expect(() => client.restoreQueryData(['k'], null as unknown as QoraState<string>)).toThrow(TypeError);
		client.setQueryData(['ok'], 1);
		expect(() => client.restoreQueryData(['ok', () => 1], client.getState(['ok']))).toThrow(TypeError);
		expect(client.size).toBe(1);
	});

	it('says what it got instead of a snapshot, null included, and changes nothing', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'a');
		const before = client.getState(['k']);
		expect(() => client.restoreQueryData(['k'], null as unknown as QoraState<string>)).toThrow(
			/^restoreQueryData: snapshot must be a state returned by getState, or undefined \(got null\)$/
		);
		expect(() => client.restoreQueryData(['k'], 1 as unknown as QoraState<string>)).toThrow(/\(got number\)$/);
		expect(client.getState(['k'])).toEqual(before);
	});

	it('keeps the key pending when restoring a store’s placeholder state (its data is another key’s; the key had none)', () => {
		const client = new QoraClient();
		// What createQuery's keepPrevious shows while ['k'] is pending: its state dressed with the previous key's data.
		const placeholder = {
			...toQoraState({ ...initialEntryState, status: 'success', data: 'the previous key’s' }, true),
			isPlaceholderData: true
		} as QoraState<string>;
		client.setQueryData(['k'], 'optimistic');
		client.restoreQueryData(['k'], placeholder);
		expect(client.getState(['k'])).toMatchObject({ status: 'pending', data: undefined, error: null, dataUpdatedAt: 0 });
	});
});

describe('setQueryData of the value already there during a fetch', () => {
	it('overrides nothing: the fetch’s answer still lands', async () => {
		const client = new QoraClient();
		client.setQueryData(['count'], 1);
		await advance(1000);
		const { fetcher, call } = controlledFetcher<number>();
		void client.fetchQuery({ key: ['count'], fetcher, options: { staleTime: 0 } }); // stale: answered from the cache, refetched
		client.setQueryData(['count'], 1); // e.g. a websocket echoing the value the cache has
		call(0).resolve(2);
		await flush();
		expect(client.getQueryData(['count'])).toBe(2);
	});
});

describe('restoreQueryData of a pending snapshot', () => {
	it('leaves a watched entry a remove left pending as it is: no fetch starts (a remove’s reset stays, as documented)', async () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		const snapshot = client.getState<string>(['k']);
		expect(phase(snapshot)).toBe('pending/fetching');
		client.remove(['k']);
		expect(phase(watcher.last)).toBe('pending/idle');
		client.restoreQueryData(['k'], snapshot);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(phase(watcher.last)).toBe('pending/idle');
		watcher.stop();
	});
});

describe('an optimistic update, end to end', () => {
	it('shows the optimistic data at once and rolls back on failure; watchers see every step', async () => {
		const client = new QoraClient();
		const fetcher = async (): Promise<Todo[]> => [{ id: 1, title: 'a' }];
		const watcher = record(client.watchQuery({ key: ['todos'], fetcher }));
		await flush();

		// onMutate
		const snapshot = client.getState<Todo[]>(['todos']);
		client.setQueryData<Todo[]>(['todos'], (old) => [...(old ?? []), { id: 2, title: 'b' }]);
		expect(watcher.last.data).toHaveLength(2);
		// the mutation fails: onError
		client.restoreQueryData(['todos'], snapshot);
		expect(watcher.last.data).toEqual([{ id: 1, title: 'a' }]);
		expect(watcher.states.map((s) => [phase(s), s.data?.length])).toEqual([
			['pending/fetching', undefined],
			['success/idle', 1],
			['success/idle', 2],
			['success/idle', 1]
		]);
	});

	it('keeps fetching a watched list rolled back to the pending snapshot a save took before its first load came back (no spinner for good)', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<Todo[]>();
		const page = record(client.watchQuery({ key: ['todos'], fetcher }));
		// The user adds a todo before the list has loaded (onMutate, as the README's recipe).
		const snapshot = client.getState<Todo[]>(['todos']);
		expect(snapshot).toMatchObject({ status: 'pending', data: undefined });
		const written = client.setQueryData<Todo[]>(['todos'], (old) => [...(old ?? []), { id: 2, title: 'b' }]);
		// The first load answers: the write made during it wins, so its list is dropped.
		call(0).resolve([{ id: 1, title: 'a' }]);
		await flush();
		expect(page.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: written });
		// The save fails: onError rolls back while the write still stands.
		if (client.getQueryData(['todos']) === written) client.restoreQueryData(['todos'], snapshot);
		await flush();
		// Pending with no fetch going, the page showed its spinner for good (the list's answer was dropped).
		expect(page.last).toMatchObject({ status: 'pending', fetchStatus: 'fetching' });
		expect(fetcher).toHaveBeenCalledTimes(2);
		call(1).resolve([{ id: 1, title: 'a' }]);
		await flush();
		expect(page.last).toMatchObject({ status: 'success', data: [{ id: 1, title: 'a' }] });
		page.stop();
	});

	it('keeps a watched list rolled back to a pending snapshot and then removed (a logout) unfetched, as remove leaves it', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<Todo[]>();
		const page = record(client.watchQuery({ key: ['todos'], fetcher }));
		const snapshot = client.getState<Todo[]>(['todos']);
		client.setQueryData<Todo[]>(['todos'], [{ id: 2, title: 'b' }]);
		call(0).resolve([{ id: 1, title: 'a' }]);
		await flush();
		client.restoreQueryData(['todos'], snapshot);
		client.remove(['todos']);
		await flush();
		expect(page.last).toMatchObject({ status: 'pending', fetchStatus: 'idle' });
		expect(client.isFetching()).toBe(0);
		page.stop();
	});

	it('a mutation that succeeds invalidates and the watched list refetches', async () => {
		const client = new QoraClient();
		let server: Todo[] = [{ id: 1, title: 'a' }];
		const watcher = record(client.watchQuery({ key: ['todos'], fetcher: async () => server }));
		await flush();
		client.setQueryData<Todo[]>(['todos'], (old) => [...(old ?? []), { id: 2, title: 'b (optimistic)' }]);
		server = [...server, { id: 2, title: 'b' }];
		await client.invalidate(['todos']);
		expect(watcher.last.data).toEqual([
			{ id: 1, title: 'a' },
			{ id: 2, title: 'b' }
		]);
	});
});
