import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, dehydrate, hydrate, type Clock, type FetchContext, type QueryConfig } from '../../src/lib/index.js';
import { MINUTE, T0, advance, controlledFetcher, failingFetcher, flush, manualOnline, phase, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('fetchQuery: no entry', () => {
	it('calls the fetcher and resolves with its data, which is cached', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => ({ id: 1 }));
		await expect(client.fetchQuery({ key: ['user', 1], fetcher })).resolves.toEqual({ id: 1 });
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getQueryData(['user', 1])).toEqual({ id: 1 });
		expect(client.getState(['user', 1])).toMatchObject({ status: 'success', fetchStatus: 'idle', dataUpdatedAt: T0 });
	});

	it('shows the fetch in the state while it runs', () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<number>();
		void client.fetchQuery({ key: ['k'], fetcher });
		expect(client.getState(['k'])).toMatchObject({ status: 'pending', fetchStatus: 'fetching', isLoading: true });
	});

	it('rejects with the last error once the retries are exhausted', async () => {
		const client = new QoraClient();
		let attempt = 0;
		const fetcher = vi.fn(async (): Promise<number> => {
			attempt++;
			throw new Error(`attempt ${attempt}`);
		});
		const outcome = client.fetchQuery({ key: ['k'], fetcher }).catch((error: Error) => error);
		await advance(6999);
		expect(fetcher).toHaveBeenCalledTimes(3);
		await advance(1);
		const error = await outcome;
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toBe('attempt 4');
		expect(fetcher).toHaveBeenCalledTimes(4);
		expect(client.getState(['k'])).toMatchObject({ status: 'error', error });
	});

	it('an entry in error without data fetches again', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		await expect(client.fetchQuery({ key: ['k'], fetcher: failingFetcher() })).rejects.toThrow('boom');
		const fetcher = vi.fn(async () => 'ok');
		await expect(client.fetchQuery({ key: ['k'], fetcher })).resolves.toBe('ok');
		expect(fetcher).toHaveBeenCalledTimes(1);
	});
});

describe('fetchQuery: fresh entry', () => {
	it('resolves with the cached data and never calls the fetcher', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'cached');
		await advance(5 * MINUTE - 1);
		const fetcher = vi.fn(async () => 'fetched');
		await expect(client.fetchQuery({ key: ['k'], fetcher })).resolves.toBe('cached');
		expect(fetcher).not.toHaveBeenCalled();
		expect(client.getState(['k'])?.fetchStatus).toBe('idle');
	});

	it('uses the staleTime of the call', async () => {
		const client = new QoraClient();
		await client.fetchQuery({ key: ['k'], fetcher: async () => 1 });
		await advance(999);
		const fetcher = vi.fn(async () => 2);
		await client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 1000 } });
		expect(fetcher).not.toHaveBeenCalled();
	});
});

describe('fetchQuery: stale entry', () => {
	it('resolves with the cached data at once and refetches in the background', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'old');
		const { fetcher, call } = controlledFetcher<string>();
		let resolved: string | undefined;
		void client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }).then((data) => (resolved = data));
		await flush();
		// resolved before the refetch settles
		expect(resolved).toBe('old');
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'fetching', data: 'old' });
		call(0).resolve('new');
		await flush();
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'new' });
	});

	it('goes stale exactly staleTime after dataUpdatedAt', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => Date.now() - T0);
		await client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 1000 } });
		await advance(999);
		expect(client.getState(['k'])?.isStale).toBe(false);
		await client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 1000 } });
		expect(fetcher).toHaveBeenCalledTimes(1);
		await advance(1);
		expect(client.getState(['k'])?.isStale).toBe(true);
		await client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 1000 } });
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('staleTime 0 is stale at once', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 0 } });
		const fetcher = vi.fn(async () => 1);
		await client.fetchQuery({ key: ['k'], fetcher });
		expect(client.getState(['k'])?.isStale).toBe(true);
		await client.fetchQuery({ key: ['k'], fetcher });
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('staleTime Infinity never goes stale by age', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity, gcTime: Infinity } });
		const fetcher = vi.fn(async () => 1);
		await client.fetchQuery({ key: ['k'], fetcher });
		await advance(365 * 24 * 60 * MINUTE);
		await client.fetchQuery({ key: ['k'], fetcher });
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getState(['k'])?.isStale).toBe(false);
	});

	it('a failing background refetch does not reject the caller, and keeps the data', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		client.setQueryData(['k'], 'old');
		await expect(client.fetchQuery({ key: ['k'], fetcher: failingFetcher(), options: { staleTime: 0 } })).resolves.toBe('old');
		await flush();
		expect(client.getState(['k'])).toMatchObject({ status: 'error', data: 'old', isRefetchError: true });
	});
});

describe('fetchQuery: stale entry whose refetch hangs', () => {
	it('each call answers from the cache and adds nothing to the fetch in flight (handlers would pile up while it hangs)', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 0 } });
		const hanging = { key: ['k'], fetcher: () => new Promise<string>(() => {}) };
		const inFlight = client.fetchQuery(hanging); // no data yet: the caller gets the fetch's own promise
		const then = vi.spyOn(inFlight, 'then');
		client.setQueryData(['k'], 'written'); // data while the request hangs (a websocket, an optimistic update)
		await advance(1);
		for (let i = 0; i < 20; i++) await expect(client.fetchQuery(hanging)).resolves.toBe('written');
		expect(then).not.toHaveBeenCalled();
	});
});

describe('fetcher context', () => {
	it('receives { key, signal }: the normalized, frozen key and a live AbortSignal', async () => {
		const client = new QoraClient();
		const contexts: FetchContext[] = [];
		await client.fetchQuery({
			key: ['todos', { page: 1, done: undefined }],
			fetcher: (context) => {
				contexts.push(context);
				return 'ok';
			}
		});
		const [context] = contexts;
		expect(context?.key).toEqual(['todos', { page: 1 }]);
		expect(Object.isFrozen(context?.key)).toBe(true);
		expect(Object.isFrozen(context?.key[1])).toBe(true);
		expect(context?.signal).toBeInstanceOf(AbortSignal);
		expect(context?.signal.aborted).toBe(false);
	});

	it('may return a plain value instead of a promise', async () => {
		const client = new QoraClient();
		await expect(client.fetchQuery({ key: ['k'], fetcher: () => 5 })).resolves.toBe(5);
	});

	it('resolving null is data; resolving undefined is an error', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		await expect(client.fetchQuery({ key: ['null'], fetcher: async () => null })).resolves.toBeNull();
		expect(client.getState(['null'])?.status).toBe('success');

		await expect(client.fetchQuery({ key: ['undef'], fetcher: async () => undefined })).rejects.toThrow(/undefined/);
		expect(client.getState(['undef'])).toMatchObject({ status: 'error', data: undefined });
		await expect(client.fetchQuery({ key: ['sync-undef'], fetcher: () => undefined })).rejects.toThrow(/undefined/);
	});

	it('resolving undefined, even synchronously, is not retried: the error names the key and says to resolve null', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 3, retryDelay: 10 } });
		for (const [name, fetcher] of [
			['sync', vi.fn(() => undefined)],
			['async', vi.fn(async () => undefined)]
		] as const) {
			const outcome = client.fetchQuery({ key: [name], fetcher }).catch((error: Error) => error.message);
			await advance(100);
			await expect(outcome).resolves.toBe(`The fetcher of query ["${name}"] resolved undefined; resolve null for "no value"`);
			expect(fetcher).toHaveBeenCalledTimes(1);
		}
	});
});

/** Starts a prefetch; `done` says whether its promise has resolved. */
function prefetching(client: QoraClient, config: QueryConfig<unknown>): { done: boolean } {
	const state = { done: false };
	void client.prefetchQuery(config).then(() => (state.done = true));
	return state;
}

describe('prefetchQuery', () => {
	it('answered from the cache, stays out of the background refetch: only the call that started it has its retry policy asked', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		client.setQueryData(['k'], 'cached');
		client.invalidate(['k']); // stale: the prefetch refetches in the background
		const policies = [vi.fn(() => true), vi.fn(() => true), vi.fn(() => true)];
		let fail!: (error: Error) => void;
		const fetcher = () => new Promise<string>((_, reject) => (fail = reject));
		for (const retry of policies) await expect(client.prefetchQuery({ key: ['k'], fetcher, options: { retry } })).resolves.toBeUndefined();
		expect(client.getState(['k'])?.fetchStatus).toBe('fetching');
		fail(new Error('down'));
		await flush();
		// The first call started the fetch, with its options: they decide its retries. The others only read the cache.
		expect(policies.map((p) => p.mock.calls.length)).toEqual([1, 0, 0]);
	});

	it('fills the cache and resolves with nothing', async () => {
		const client = new QoraClient();
		await expect(client.prefetchQuery({ key: ['k'], fetcher: async () => 'data' })).resolves.toBeUndefined();
		expect(client.getQueryData(['k'])).toBe('data');
	});

	it('never rejects: a failing fetch resolves and leaves the error in the state', async () => {
		const client = new QoraClient();
		const fetcher = failingFetcher('down');
		const outcome = client.prefetchQuery({ key: ['k'], fetcher, options: { retry: 1, retryDelay: 10 } });
		await advance(10);
		await expect(outcome).resolves.toBeUndefined();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getState(['k'])).toMatchObject({ status: 'error', failureCount: 2 });
	});

	it('never rejects when the fetch is cancelled', async () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<string>();
		const outcome = client.prefetchQuery({ key: ['k'], fetcher });
		client.cancel(['k']);
		await expect(outcome).resolves.toBeUndefined();
	});

	it('never rejects when a listener cancels the fetch as it starts', async () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<string>();
		const stop = client.observeQuery(['k']).subscribe((state) => {
			if (state.fetchStatus === 'fetching') client.cancel(['k']);
		});
		await expect(client.prefetchQuery({ key: ['k'], fetcher })).resolves.toBeUndefined();
		stop();
	});

	it('does not call the fetcher for a fresh entry', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		const fetcher = vi.fn(async () => 2);
		await client.prefetchQuery({ key: ['k'], fetcher });
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('stops waiting after the first failed attempt; the fetch goes on retrying for whoever shows the query', async () => {
		const client = new QoraClient();
		const fetcher = failingFetcher('down');
		const prefetch = prefetching(client, { key: ['k'], fetcher });
		await flush();
		expect(prefetch.done).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getState(['k'])).toMatchObject({ status: 'pending', fetchStatus: 'fetching', failureCount: 1 });
		await advance(1000 + 2000 + 4000);
		expect(fetcher).toHaveBeenCalledTimes(4);
		expect(client.getState(['k'])).toMatchObject({ status: 'error', fetchStatus: 'idle', failureCount: 4 });
	});

	it('names itself in config errors', () => {
		const client = new QoraClient();
		expect(() => client.prefetchQuery({ key: ['k'], fetcher: 'nope' } as never)).toThrow(/^prefetchQuery: "fetcher" must be a function/);
	});

	it('throws at the call, as it never rejects, for a disposed client or an initialData function that throws', () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'data');
		const broken = () => {
			throw new Error('seed failed');
		};
		expect(() => client.prefetchQuery({ key: ['k'], fetcher, options: { initialData: broken } })).toThrow('seed failed');
		expect(client.size).toBe(0);
		client.dispose();
		expect(() => client.prefetchQuery({ key: ['k'], fetcher })).toThrow(/^prefetchQuery: this QoraClient was disposed/);
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('waits through the retries its query asks for', async () => {
		const client = new QoraClient();
		const fetcher = failingFetcher('down');
		const prefetch = prefetching(client, { key: ['k'], fetcher, options: { retry: 1, retryDelay: 10 } });
		await advance(9);
		expect(prefetch.done).toBe(false);
		await advance(1);
		expect(prefetch.done).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it("does not wait for a retry in the client's defaultOptions, which is for the query's watchers and fetchQuery", async () => {
		const client = new QoraClient({ defaultOptions: { retry: 2, retryDelay: 10 } });
		const fetcher = failingFetcher('down');
		const prefetch = prefetching(client, { key: ['k'], fetcher });
		await flush();
		expect(prefetch.done).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(1);
		await advance(20);
		expect(fetcher).toHaveBeenCalledTimes(3);
	});

	it('a watcher or fetchQuery joining the fetch a prefetch started gets every retry', async () => {
		const client = new QoraClient();
		const fetcher = failingFetcher('down');
		void client.prefetchQuery({ key: ['k'], fetcher });
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe(() => {});
		const fetched = client.fetchQuery({ key: ['k'], fetcher }).catch((error: Error) => error.message);
		await advance(10 * MINUTE);
		await expect(fetched).resolves.toBe('down');
		expect(fetcher).toHaveBeenCalledTimes(4);
		stop();
	});

	it('refetching stale watched data, it keeps the watchers’ retries', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 0 } });
		let fail = false;
		const fetcher = vi.fn(async () => {
			if (fail) throw new Error('blip');
			return 'data';
		});
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe(() => {});
		await flush();
		fail = true;
		await client.prefetchQuery({ key: ['k'], fetcher });
		await advance(10 * MINUTE);
		expect(fetcher).toHaveBeenCalledTimes(1 + 4);
		stop();
	});

	it('joining a fetch that already failed and waits to retry, it does not wait', async () => {
		const client = new QoraClient();
		const fetcher = failingFetcher('down');
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe(() => {});
		await flush();
		const prefetch = prefetching(client, { key: ['k'], fetcher });
		await flush();
		expect(prefetch.done).toBe(true);
		stop();
	});

	it('calls a retry function it shares with the fetch once per failure', async () => {
		const client = new QoraClient();
		const retry = vi.fn((failures: number) => failures < 2);
		void client.prefetchQuery({ key: ['k'], fetcher: failingFetcher('down'), options: { retry, retryDelay: 1 } });
		await advance(10);
		expect(retry).toHaveBeenCalledTimes(2);
	});

	it('once it stopped waiting, its retry function is not asked again', async () => {
		const client = new QoraClient();
		const fetcher = failingFetcher('down');
		const stop = client.watchQuery({ key: ['k'], fetcher, options: { retry: 3, retryDelay: 10 } }).subscribe(() => {});
		const retry = vi.fn((_failures: number) => false);
		const prefetch = prefetching(client, { key: ['k'], fetcher, options: { retry } });
		await advance(100);
		expect(prefetch.done).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(4);
		expect(retry.mock.calls.map(([failures]) => failures)).toEqual([1]);
		stop();
	});

	it('asks a prefetch started inside another one’s retry function once per failure, from the one it joined at', async () => {
		const client = new QoraClient();
		const fetcher = failingFetcher('down');
		const stop = client.watchQuery({ key: ['k'], fetcher, options: { retry: 2, retryDelay: 10 } }).subscribe(() => {});
		const innerRetry = vi.fn((_failures: number) => true);
		let inner: { done: boolean } | null = null;
		const retry = () => {
			inner ??= prefetching(client, { key: ['k'], fetcher, options: { retry: innerRetry } });
			return true;
		};
		const outer = prefetching(client, { key: ['k'], fetcher, options: { retry } });
		await advance(100);
		expect(fetcher).toHaveBeenCalledTimes(3);
		expect([outer.done, inner]).toEqual([true, { done: true }]);
		expect(innerRetry.mock.calls.map(([failures]) => failures)).toEqual([1, 2]);
		stop();
	});

	it('keeps a prefetch started inside another one’s retry function waiting, and releases it on pause', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const fetcher = failingFetcher('down');
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe(() => {});
		let inner: { done: boolean } | null = null;
		const retry = () => {
			inner ??= prefetching(client, { key: ['k'], fetcher, options: { retry: true } });
			return true;
		};
		const outer = prefetching(client, { key: ['k'], fetcher, options: { retry } });
		await flush();
		expect(outer.done).toBe(false);
		expect(inner).toMatchObject({ done: false });
		online.set(false);
		await advance(1000);
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'paused' });
		expect(outer.done).toBe(true);
		expect(inner).toMatchObject({ done: true });
		stop();
	});

	it('stops waiting when its own retry function throws on a fetch it joined, which goes on retrying', async () => {
		const client = new QoraClient();
		const fetcher = failingFetcher('down');
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe(() => {});
		const retry = () => {
			throw new Error('bad policy');
		};
		const prefetch = prefetching(client, { key: ['k'], fetcher, options: { retry } });
		await flush();
		expect(prefetch.done).toBe(true);
		expect(client.getState(['k'])).toMatchObject({ status: 'pending', fetchStatus: 'fetching', failureCount: 1 });
		stop();
	});

	it('stops waiting when its query’s retry function throws, and the fetch settles with its own error (the policy’s goes to onError)', async () => {
		const onError = vi.fn();
		const client = new QoraClient({ onError });
		const fetcher = failingFetcher('down');
		const retry = () => {
			throw new Error('bad policy');
		};
		const prefetch = prefetching(client, { key: ['k'], fetcher, options: { retry } });
		await flush();
		expect(prefetch.done).toBe(true);
		expect(client.getState(['k'])).toMatchObject({ status: 'error', error: { message: 'down' } });
		expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'bad policy' }));
	});

	it('stops waiting when its fetch pauses offline, and the fetch lands when the connection is back', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const fetcher = vi.fn(async () => 'data');
		const prefetch = prefetching(client, { key: ['k'], fetcher });
		await flush();
		expect(prefetch.done).toBe(true);
		expect(fetcher).not.toHaveBeenCalled();
		expect(client.getState(['k'])).toMatchObject({ status: 'pending', fetchStatus: 'paused' });
		online.set(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getQueryData(['k'])).toBe('data');
	});

	it('offline, the page query that joins the paused fetch after the load retries it after reconnect', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const fetcher = failingFetcher('flaky');
		await client.prefetchQuery({ key: ['k'], fetcher });
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe(() => {});
		online.set(true);
		await advance(10 * MINUTE);
		expect(fetcher).toHaveBeenCalledTimes(4);
		stop();
	});

	it('stops waiting when a retry pauses offline, or when it joins a paused fetch', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		let fail = true;
		const fetcher = vi.fn(async () => {
			if (fail) throw new Error('down');
			return 'data';
		});
		const first = prefetching(client, { key: ['k'], fetcher, options: { retry: 1, retryDelay: 100 } });
		await flush();
		online.set(false);
		await advance(99);
		expect(first.done).toBe(false);
		await advance(1);
		expect(first.done).toBe(true);
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'paused', failureCount: 1 });
		const second = prefetching(client, { key: ['k'], fetcher });
		await flush();
		expect(second.done).toBe(true);
		fail = false;
		online.set(true);
		await flush();
		expect(client.getQueryData(['k'])).toBe('data');
	});

	it('stops waiting when the fetch that replaced the one it joined pauses', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const { fetcher } = controlledFetcher<string>();
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe(() => {});
		const prefetch = prefetching(client, { key: ['k'], fetcher });
		online.set(false);
		void client.invalidate(['k']);
		await flush();
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'paused' });
		expect(prefetch.done).toBe(true);
		stop();
	});
});

describe('initialData', () => {
	it('fills an empty entry; fetchQuery resolves with it without fetching', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		await expect(client.fetchQuery({ key: ['k'], fetcher, options: { initialData: 'initial' } })).resolves.toBe('initial');
		expect(fetcher).not.toHaveBeenCalled();
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'initial', dataUpdatedAt: T0 });
	});

	it('may be a function, called only when the entry is empty', async () => {
		const client = new QoraClient();
		const initialData = vi.fn(() => 'initial');
		await client.fetchQuery({ key: ['k'], fetcher: async () => 'x', options: { initialData } });
		await client.fetchQuery({ key: ['k'], fetcher: async () => 'x', options: { initialData } });
		expect(initialData).toHaveBeenCalledTimes(1);
		expect(client.getQueryData(['k'])).toBe('initial');
	});

	it('never overwrites data already cached', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'cached');
		await expect(client.fetchQuery({ key: ['k'], fetcher: async () => 'x', options: { initialData: 'initial' } })).resolves.toBe(
			'cached'
		);
	});

	it('seeds an entry whose last fetch failed as stale, so a mounting watcher still tries again (a failed entry counts as stale)', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const { fetcher, call } = controlledFetcher<string[]>();
		// A load prefetched the list without initialData, and the server was down.
		void client.prefetchQuery({ key: ['posts'], fetcher });
		call(0).reject(new Error('server down'));
		await flush();
		expect(client.getState(['posts'])).toMatchObject({ status: 'error', data: undefined, isStale: true });
		// The page's query seeds an empty list: shown at once, but it answers no failure, so it is fetched.
		const page = record(client.watchQuery({ key: ['posts'], fetcher, options: { initialData: () => [] as string[] } }));
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(page.last).toMatchObject({ status: 'success', data: [], fetchStatus: 'fetching' });
		call(1).resolve(['p1']);
		await flush();
		expect(page.last).toMatchObject({ status: 'success', data: ['p1'], isStale: false, isInvalidated: false });
		page.stop();
	});

	it('seeds an entry whose last fetch failed as stale for fetchQuery too: it answers with the seed and fetches again', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const { fetcher, call } = controlledFetcher<string[]>();
		const first = client.fetchQuery({ key: ['posts'], fetcher });
		call(0).reject(new Error('server down'));
		await expect(first).rejects.toThrow('server down');
		await flush();
		await expect(client.fetchQuery({ key: ['posts'], fetcher, options: { initialData: [] as string[] } })).resolves.toEqual([]);
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getState(['posts'])).toMatchObject({ data: [], isStale: true, fetchStatus: 'fetching' });
	});

	it('a stale seed over a failed fetch is not an invalidation with a time: a streamed payload the server fetched before it lands fresh', async () => {
		// The server fetches the list for the page and streams it; the browser's own prefetch fails meanwhile.
		const server = new QoraClient();
		await server.fetchQuery({ key: ['posts'], fetcher: async () => ['from the server'] });
		const streamed = dehydrate(server);
		server.dispose();
		await advance(1000);
		const client = new QoraClient({ defaultOptions: { retry: 0, staleTime: MINUTE } });
		const { fetcher, call } = controlledFetcher<string[]>();
		void client.prefetchQuery({ key: ['posts'], fetcher });
		call(0).reject(new Error('server down'));
		await flush();
		// A disabled watcher seeds the entry and fetches nothing: the seed goes in stale.
		const page = record(client.watchQuery({ key: ['posts'], fetcher, options: { initialData: () => [] as string[], enabled: false } }));
		expect(page.last).toMatchObject({ status: 'success', data: [], isInvalidated: true, isStale: true });
		await advance(1000);
		// The seed is of unknown age and its staleness is not dated: the server's data is newer than both.
		hydrate(client, streamed);
		expect(page.last).toMatchObject({ status: 'success', data: ['from the server'], isInvalidated: false });
		expect(fetcher).toHaveBeenCalledTimes(1);
		page.stop();
	});

	it('counts as fetched at initialDataUpdatedAt: old initial data is stale and refetched', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const result = await client.fetchQuery({
			key: ['k'],
			fetcher,
			options: { initialData: 'initial', initialDataUpdatedAt: T0 - 10 * MINUTE }
		});
		expect(result).toBe('initial');
		expect(client.getState(['k'])?.dataUpdatedAt).toBe(T0 - 10 * MINUTE);
		expect(fetcher).toHaveBeenCalledTimes(1);
		call(0).resolve('fetched');
		await flush();
		expect(client.getQueryData(['k'])).toBe('fetched');
	});

	it('counts an initialDataUpdatedAt ahead of the clock (a fast server clock) as now: fresh for staleTime, not longer', async () => {
		const client = new QoraClient();
		const states = record(
			client.watchQuery({ key: ['k'], fetcher: async () => 'fetched', options: { staleTime: MINUTE, initialData: 'server', initialDataUpdatedAt: T0 + 60 * MINUTE } })
		);
		expect(states.last).toMatchObject({ data: 'server', dataUpdatedAt: T0, isStale: false });
		await advance(MINUTE);
		expect(states.last).toMatchObject({ isStale: true });
	});

	describe('initialDataUpdatedAt as a function', () => {
		it('dates a seed taken from another entry by that entry’s time, read when the seed is: stale then, so refetched', async () => {
			const client = new QoraClient();
			client.setQueryData(['todos'], [{ id: 1, title: 'from the list' }]);
			// Older than the detail's staleTime, younger than the list's gcTime.
			await advance(2 * MINUTE);
			const { fetcher, call } = controlledFetcher<{ id: number; title: string }>();
			const seededAt = vi.fn(() => client.getState(['todos'])?.dataUpdatedAt);
			const detail = record(
				client.watchQuery({
					key: ['todo', 1],
					fetcher,
					options: {
						staleTime: MINUTE,
						initialData: () => client.getQueryData<{ id: number; title: string }[]>(['todos'])?.[0],
						initialDataUpdatedAt: seededAt
					}
				})
			);
			expect(seededAt).toHaveBeenCalledTimes(1);
			expect(detail.states[0]).toMatchObject({ data: { title: 'from the list' }, dataUpdatedAt: T0, isStale: true });
			expect(fetcher).toHaveBeenCalledTimes(1);
			call(0).resolve({ id: 1, title: 'fetched' });
			await flush();
			expect(detail.last).toMatchObject({ data: { title: 'fetched' }, dataUpdatedAt: T0 + 2 * MINUTE, isStale: false });
			detail.stop();
		});

		it('is not called when there is no seed to date, or the entry already has data', async () => {
			const client = new QoraClient();
			const seededAt = vi.fn(() => T0);
			await client.fetchQuery({ key: ['empty'], fetcher: async () => 'fetched', options: { initialData: () => undefined, initialDataUpdatedAt: seededAt } });
			client.setQueryData(['full'], 'cached');
			await client.fetchQuery({ key: ['full'], fetcher: async () => 'fetched', options: { initialData: 'seed', initialDataUpdatedAt: seededAt } });
			expect(seededAt).not.toHaveBeenCalled();
			expect(client.getQueryData(['full'])).toBe('cached');
		});

		it('returning undefined dates the seed now, as when the option is left out: fresh for staleTime', async () => {
			const client = new QoraClient();
			const fetcher = vi.fn(async () => 'fetched');
			const states = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: MINUTE, initialData: 'seed', initialDataUpdatedAt: () => undefined } }));
			expect(states.last).toMatchObject({ data: 'seed', dataUpdatedAt: T0, isStale: false });
			expect(fetcher).not.toHaveBeenCalled();
			await advance(MINUTE);
			expect(states.last).toMatchObject({ isStale: true });
			states.stop();
		});

		it('returning no timestamp throws a TypeError naming the call and the value, and the cache is left as it was', () => {
			const client = new QoraClient();
			const fetcher = vi.fn(async () => 'fetched');
			for (const [at, shown] of [[-1, '-1'], [NaN, 'NaN'], ['2026-11-27', '"2026-11-27"'], [new Date(T0), `"${new Date(T0).toISOString()}"`]] as const) {
				const options = { initialData: 'seed', initialDataUpdatedAt: () => at as unknown as number };
				expect(() => client.watchQuery({ key: ['w'], fetcher, options }).subscribe(() => {})).toThrow(
					new TypeError(`watchQuery: initialDataUpdatedAt() returned ${shown}, not a timestamp in ms >= 0`)
				);
				expect(() => client.fetchQuery({ key: ['f'], fetcher, options })).toThrow(/^fetchQuery: initialDataUpdatedAt\(\) returned /);
			}
			expect(client.size).toBe(0);
			expect(fetcher).not.toHaveBeenCalled();
		});
	});

	it('an initialData function returning undefined leaves the entry empty, so it fetches', async () => {
		const client = new QoraClient();
		await expect(client.fetchQuery({ key: ['k'], fetcher: async () => 'fetched', options: { initialData: () => undefined } })).resolves.toBe(
			'fetched'
		);
	});

	it('an initialData function returning undefined seeds nothing: a watcher sees pending while the query fetches', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { initialData: () => undefined } }));
		expect(watcher.states.map((state) => [phase(state), state.data])).toEqual([['pending/fetching', undefined]]);
		call(0).resolve('fetched');
		await flush();
		expect(watcher.last).toMatchObject({ status: 'success', data: 'fetched' });
		watcher.stop();
	});

	it('an initialData function that writes the key itself: what it wrote stands, as initial data overrides nothing', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const initialData = () => {
			client.setQueryData(['k'], 'written by initialData');
			return 'initial';
		};
		await expect(client.fetchQuery({ key: ['k'], fetcher, options: { initialData } })).resolves.toBe('written by initialData');
		expect(client.getQueryData(['k'])).toBe('written by initialData');
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('an initialData function that disposes the client: fetchQuery still resolves with that data, fetches nothing, keeps nothing', async () => {
		// Stale at once (a refetch would start) or fresh (a gc countdown would start): neither happens.
		for (const staleTime of [0, Infinity]) {
			const client = new QoraClient();
			const fetcher = vi.fn(async () => 'fetched');
			const initialData = () => {
				client.dispose();
				return 'initial';
			};
			await expect(client.fetchQuery({ key: ['k'], fetcher, options: { initialData, staleTime } })).resolves.toBe('initial');
			expect(fetcher).not.toHaveBeenCalled();
			expect(client.size).toBe(0);
			expect(vi.getTimerCount()).toBe(0);
		}
	});
});

describe('enabled', () => {
	it('fetchQuery ignores enabled: false', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'x');
		await expect(client.fetchQuery({ key: ['k'], fetcher, options: { enabled: false } })).resolves.toBe('x');
		expect(fetcher).toHaveBeenCalledTimes(1);
	});
});

describe('time', () => {
	it('reads Date.now at call time, so fake time drives timestamps', async () => {
		const client = new QoraClient();
		vi.setSystemTime(T0 + 12_345);
		await client.fetchQuery({ key: ['k'], fetcher: async () => 1 });
		expect(client.getState(['k'])?.dataUpdatedAt).toBe(T0 + 12_345);
	});

	it('data a listener writes when a fetch lands is as new as that write, not as old as the fetch’s request', async () => {
		const client = new QoraClient();
		const fetched = { id: 1 };
		const stop = client.observeQuery(['k']).subscribe((state) => {
			if (state.data === fetched) client.setQueryData(['k'], { id: 1, edited: true });
		});
		const { fetcher, call } = controlledFetcher<object>();
		const result = client.fetchQuery({ key: ['k'], fetcher });
		await advance(5_000);
		call(0).resolve(fetched);
		await result;
		expect(client.getState(['k'])).toMatchObject({ data: { edited: true }, dataUpdatedAt: T0 + 5_000 });
		// Written data is as new as its time: dehydrate ships no earlier request time for it.
		expect(dehydrate(client).entries[0]).not.toHaveProperty('requestedAt');
		stop();
	});

	it('uses an injected clock for timestamps and timers', async () => {
		let now = 5_000;
		const timers: { run: () => void; due: number }[] = [];
		const clock: Clock = {
			now: () => now,
			setTimeout: (run, ms) => timers.push({ run, due: now + ms }),
			clearTimeout: () => {}
		};
		const client = new QoraClient({ clock, defaultOptions: { gcTime: 100 } });
		client.setQueryData(['k'], 'x');
		expect(client.getState(['k'])?.dataUpdatedAt).toBe(5_000);
		expect(timers.map((t) => t.due)).toEqual([5_100]);
		expect(vi.getTimerCount()).toBe(0);
		now = 5_100;
		timers[0]?.run();
		expect(client.getState(['k'])).toBeUndefined();
	});
});
