import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, QoraKey, type FetchContext, type KeyParts } from '../../src/lib/index.js';
import { advance, controlledFetcher, failingFetcher, flush, manualOnline, phase, record, useFakeTime } from './helpers.js';
import { unhandledRejectionsDuring } from '../ssr/unhandled-rejections.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('invalidate', () => {
	it('marks the exact entry stale, even under staleTime Infinity', () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		client.setQueryData(['todos'], 'a');
		client.setQueryData(['todos', 1], 'b');
		void client.invalidate(['todos']);
		expect(client.getState(['todos'])).toMatchObject({ isStale: true, isInvalidated: true, data: 'a', status: 'success' });
		expect(client.getState(['todos', 1])).toMatchObject({ isStale: false, isInvalidated: false });
	});

	it('does not fetch an unwatched entry; the next fetchQuery returns the cached data and refetches', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'old');
		await client.invalidate(['k']);
		expect(client.getState(['k'])?.fetchStatus).toBe('idle');
		const { fetcher, call } = controlledFetcher<string>();
		await expect(client.fetchQuery({ key: ['k'], fetcher })).resolves.toBe('old');
		expect(fetcher).toHaveBeenCalledTimes(1);
		call(0).resolve('new');
		await flush();
		expect(client.getState(['k'])).toMatchObject({ data: 'new', isInvalidated: false, isStale: false });
	});

	it('refetches a watched entry now; watchers see success/fetching then success/idle with the new data', async () => {
		const client = new QoraClient();
		let version = 0;
		const fetcher = vi.fn(async () => ++version);
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		const done = client.invalidate(['k']);
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'fetching', data: 1, isInvalidated: true });
		await done;
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 2, isInvalidated: false });
	});

	it('resolves when the watched refetch has settled', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'old');
		const { fetcher, call } = controlledFetcher<string>();
		record(client.watchQuery({ key: ['k'], fetcher }));
		let settled = false;
		void client.invalidate(['k']).then(() => (settled = true));
		await flush();
		expect(settled).toBe(false);
		call(0).resolve('new');
		await flush();
		expect(settled).toBe(true);
		expect(client.getQueryData(['k'])).toBe('new');
	});

	it('never rejects, even when the refetch fails', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		client.setQueryData(['k'], 'old');
		record(client.watchQuery({ key: ['k'], fetcher: failingFetcher() }));
		await expect(client.invalidate(['k'])).resolves.toBeUndefined();
		expect(client.getState(['k'])).toMatchObject({ status: 'error', data: 'old', isInvalidated: true });
	});

	it('does not refetch an entry watched only with enabled: false, or only observed', async () => {
		const client = new QoraClient();
		client.setQueryData(['a'], 1);
		client.setQueryData(['b'], 1);
		const fetcher = vi.fn(async () => 2);
		record(client.watchQuery({ key: ['a'], fetcher, options: { enabled: false } }));
		record(client.observeQuery(['b']));
		await client.invalidate(['a']);
		await client.invalidate(['b']);
		expect(fetcher).not.toHaveBeenCalled();
		expect(client.getState(['a'])?.isInvalidated).toBe(true);
	});

	it('an unknown key is a no-op that creates no entry', async () => {
		const client = new QoraClient();
		await expect(client.invalidate(['nothing'])).resolves.toBeUndefined();
		expect(client.size).toBe(0);
	});

	it('an unwatched entry whose fetch started before the invalidation stays invalidated', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const result = client.fetchQuery({ key: ['k'], fetcher });
		await client.invalidate(['k']);
		expect(fetcher).toHaveBeenCalledTimes(1);
		call(0).resolve('maybe outdated');
		await expect(result).resolves.toBe('maybe outdated');
		expect(client.getState(['k'])).toMatchObject({ data: 'maybe outdated', isInvalidated: true, isStale: true });
	});

	it('refetches when a watcher joined a fetch that started before the invalidation, once that fetch lands', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		void client.prefetchQuery({ key: ['k'], fetcher });
		await client.invalidate(['k']); // nobody watches yet: the fetch in flight is only marked
		const watcher = record(client.watchQuery({ key: ['k'], fetcher })); // joins that fetch
		expect(fetcher).toHaveBeenCalledTimes(1);
		call(0).resolve('maybe outdated');
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		call(1).resolve('current');
		await flush();
		expect(watcher.last).toMatchObject({ data: 'current', isInvalidated: false, fetchStatus: 'idle' });
		watcher.stop();
	});

	it('refetches too when a write had won that fetch before the invalidation (optimistic write, invalidate, then the page mounts)', async () => {
		const client = new QoraClient();
		const { fetcher, call, calls } = controlledFetcher<string>();
		void client.prefetchQuery({ key: ['k'], fetcher });
		client.setQueryData(['k'], 'optimistic');
		await client.invalidate(['k']);
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		call(0).resolve('from before the write');
		await flush();
		expect(calls).toHaveLength(2);
		call(1).resolve('current');
		await flush();
		expect(watcher.last).toMatchObject({ data: 'current', isInvalidated: false, fetchStatus: 'idle' });
		watcher.stop();
	});

	it('on a watched entry, replaces a fetch in flight: the old signal aborts, its callers get the new result', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		record(client.watchQuery({ key: ['k'], fetcher }));
		const early = client.fetchQuery({ key: ['k'], fetcher });
		const done = client.invalidate(['k']);
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(call(0).signal.aborted).toBe(true);
		expect(call(1).signal.aborted).toBe(false);
		call(1).resolve('new');
		await expect(early).resolves.toBe('new');
		await done;
		call(0).resolve('old, late');
		await flush();
		expect(client.getQueryData(['k'])).toBe('new');
	});
});

describe('the refetch after a fetch that an invalidation overtook', () => {
	it('is not made for an entry that is only observed', async () => {
		const client = new QoraClient();
		const { fetcher, call, calls } = controlledFetcher<string>();
		// One fetch lands with its own data, the other loses to a write made before the invalidation.
		void client.prefetchQuery({ key: ['landed'], fetcher });
		void client.prefetchQuery({ key: ['written'], fetcher });
		const observers = [record(client.observeQuery(['landed'])), record(client.observeQuery(['written']))];
		client.setQueryData(['written'], 'optimistic');
		await client.invalidateWhere(() => true);
		call(0).resolve('maybe outdated');
		call(1).resolve('from before the write');
		await flush();
		expect(calls).toHaveLength(2);
		expect(client.getState(['landed'])).toMatchObject({ data: 'maybe outdated', isInvalidated: true, fetchStatus: 'idle' });
		expect(client.getState(['written'])).toMatchObject({ data: 'optimistic', isInvalidated: true, fetchStatus: 'idle' });
		for (const observer of observers) observer.stop();
	});

	it('is not made when a write after the invalidation won the fetch: the write is newer than the invalidation', async () => {
		const client = new QoraClient();
		const { fetcher, call, calls } = controlledFetcher<string>();
		void client.prefetchQuery({ key: ['k'], fetcher });
		await client.invalidate(['k']);
		client.setQueryData(['k'], 'saved');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher })); // joins the fetch
		call(0).resolve('from before the write');
		await flush();
		expect(calls).toHaveLength(1);
		expect(watcher.last).toMatchObject({ data: 'saved', isInvalidated: false, fetchStatus: 'idle' });
		watcher.stop();
	});

	for (const [outcome, write] of [
		['the fetch landed', false],
		['a write won the fetch', true]
	] as const) {
		it(`joins a fetch started by a listener told that ${outcome}`, async () => {
			const client = new QoraClient();
			const { fetcher, call, calls } = controlledFetcher<string>();
			void client.prefetchQuery({ key: ['k'], fetcher });
			if (write) client.setQueryData(['k'], 'optimistic');
			await client.invalidate(['k']);
			const watcher = record(client.watchQuery({ key: ['k'], fetcher })); // joins the fetch
			let armed = true;
			const stop = client.observeQuery(['k']).subscribe((state) => {
				if (armed && state.fetchStatus === 'idle') {
					armed = false;
					void client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } });
				}
			});
			call(0).resolve('maybe outdated');
			await flush();
			expect(calls).toHaveLength(2);
			expect(call(1).signal.aborted).toBe(false);
			call(1).resolve('current');
			await flush();
			expect(watcher.last).toMatchObject({ data: 'current', isInvalidated: false, fetchStatus: 'idle' });
			stop();
			watcher.stop();
		});
	}
});

describe('invalidate in quick succession', () => {
	it('every call resolves once the last refetch settles, not before', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		record(client.watchQuery({ key: ['k'], fetcher }));
		const done: number[] = [];
		for (let i = 0; i < 3; i++) void client.invalidate(['k']).then(() => done.push(i));
		// The first call replaces the fetch; the next two let the replacement land, then refetch once.
		expect(fetcher).toHaveBeenCalledTimes(2);
		call(0).resolve('first, replaced');
		call(1).resolve('second, lands invalidated');
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(3);
		expect(client.getState(['k'])).toMatchObject({ data: 'second, lands invalidated', isInvalidated: true, fetchStatus: 'fetching' });
		expect(done).toEqual([]);
		call(2).resolve('last');
		await flush();
		expect(done.sort()).toEqual([0, 1, 2]);
		expect(client.getState(['k'])).toMatchObject({ data: 'last', isInvalidated: false, fetchStatus: 'idle' });
	});

	it('after the refetch paused (releasing the calls before), a later call waits for the refetch that follows', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const { fetcher, call } = controlledFetcher<string>();
		record(client.watchQuery({ key: ['k'], fetcher }));
		call(0).resolve('first');
		await flush();
		let first = false;
		void client.invalidate(['k']).then(() => (first = true));
		online.set(false);
		call(1).reject(new TypeError('Failed to fetch'));
		await flush();
		expect(first).toBe(true); // paused: the caller stops waiting
		online.set(true);
		await flush();
		let second = false;
		void client.invalidate(['k']).then(() => (second = true));
		await flush();
		expect(second).toBe(false);
		call(fetcher.mock.calls.length - 1).resolve('fresh');
		await flush();
		expect(second).toBe(true);
		expect(client.getQueryData(['k'])).toBe('fresh');
	});
});

describe('what invalidate waits for', () => {
	it('the refetch through its retries, not just its first attempt', async () => {
		const client = new QoraClient();
		let calls = 0;
		const fetcher = vi.fn(async () => {
			if (++calls === 2) throw new Error('blip');
			return calls;
		});
		record(client.watchQuery({ key: ['k'], fetcher, options: { retry: 1, retryDelay: 10 } }));
		await flush();
		let done = false;
		void client.invalidate(['k']).then(() => (done = true));
		await vi.advanceTimersByTimeAsync(9);
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'fetching', failureCount: 1 });
		expect(done).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(done).toBe(true);
		expect(client.getQueryData(['k'])).toBe(3);
	});

	it('with retry: true, the refetch until it succeeds, however many attempts that takes', async () => {
		const client = new QoraClient();
		let calls = 0;
		const fetcher = vi.fn(async () => {
			if (++calls > 1 && calls < 12) throw new Error('still down');
			return calls;
		});
		record(client.watchQuery({ key: ['k'], fetcher, options: { retry: true, retryDelay: 1000 } }));
		await flush();
		let done = false;
		void client.invalidate(['k']).then(() => (done = true));
		await advance(9_999); // ten failures so far, one attempt a second: the eleventh is due at 10 s
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'fetching', failureCount: 10, data: 1 });
		expect(done).toBe(false);
		await advance(1);
		expect(done).toBe(true);
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'idle', data: 12 });
	});

	it('calls made while its refetch is out share one wait: nothing piles up while invalidations come faster than answers', () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<string>();
		record(client.watchQuery({ key: ['k'], fetcher }));
		const first = client.invalidate(['k']);
		expect(client.invalidate(['k'])).toBe(first);
		expect(client.invalidateWhere(['k'])).toBe(first);
	});

	it('a call made while a refetch that a listener started is out shares that refetch’s wait', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		let again: Promise<void> | null = null;
		record(client.watchQuery({ key: ['k'], fetcher }));
		const stop = client.observeQuery<string>(['k']).subscribe((state) => {
			if (state.data === 'first' && again === null) again = client.invalidate(['k']);
		});
		void client.invalidate(['k']);
		call(1).resolve('first');
		await flush();
		expect(again).not.toBeNull();
		expect(client.invalidate(['k'])).toBe(again);
		stop();
	});

	/** Key ['k'] watched and loaded; once armed, a listener cancels the next fetch as it starts (then runs `andThen`). */
	async function cancelledOnNextFetch(andThen: (client: QoraClient, fetcher: (context: FetchContext) => Promise<string>) => void = () => {}) {
		const client = new QoraClient();
		const { fetcher, call, calls } = controlledFetcher<string>();
		let armed = false;
		record(client.watchQuery({ key: ['k'], fetcher }));
		call(0).resolve('first');
		await flush();
		const stop = client.observeQuery(['k']).subscribe((state) => {
			if (armed && state.fetchStatus === 'fetching') {
				armed = false;
				client.cancel(['k']);
				andThen(client, fetcher);
			}
		});
		return { client, calls, stop, arm: () => (armed = true) };
	}

	it('a call whose refetch a listener cancels at once resolves', async () => {
		const { client, stop, arm } = await cancelledOnNextFetch();
		arm();
		await expect(client.invalidate(['k'])).resolves.toBeUndefined();
		expect(client.getState(['k'])?.fetchStatus).toBe('idle');
		stop();
	});

	it('a call made after a listener cancelled the refetch and started another waits for that other one', async () => {
		const { client, calls, stop, arm } = await cancelledOnNextFetch((client, fetcher) => {
			void client.fetchQuery({ key: ['k'], fetcher }).catch(() => {});
		});
		arm();
		let first = false;
		void client.invalidate(['k']).then(() => (first = true));
		let second = false;
		void client.invalidate(['k']).then(() => (second = true));
		await flush();
		expect(first).toBe(true); // its refetch was cancelled
		expect(second).toBe(false);
		calls[calls.length - 1]!.resolve('fresh');
		await flush();
		expect(second).toBe(true);
		expect(client.getQueryData(['k'])).toBe('fresh');
		stop();
	});

	it('a call made offline resolves at once; one made once the connection is back waits for its refetch', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const { fetcher, calls } = controlledFetcher<string>();
		record(client.watchQuery({ key: ['k'], fetcher }));
		await expect(client.invalidate(['k'])).resolves.toBeUndefined();
		online.set(true);
		expect(calls).toHaveLength(1);
		let done = false;
		void client.invalidate(['k']).then(() => (done = true));
		await flush();
		expect(done).toBe(false);
		// The fetch that went out on reconnecting had replaced one: it lands, and a refetch follows.
		calls[0]!.resolve('sent before this call');
		await flush();
		expect(calls).toHaveLength(2);
		expect(done).toBe(false);
		calls[1]!.resolve('fresh');
		await flush();
		expect(done).toBe(true);
		expect(client.getQueryData(['k'])).toBe('fresh');
	});
});

describe('invalidate while offline', () => {
	it('resolves once its refetch pauses for the connection, which then lands when it is back', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		let version = 0;
		const states = record(client.watchQuery({ key: ['todos'], fetcher: async () => ++version }));
		await flush();
		online.set(false);
		const done: string[] = [];
		void client.invalidate(['todos']).then(() => done.push('invalidate'));
		void client.invalidateWhere(['todos']).then(() => done.push('invalidateWhere'));
		await flush();
		expect(done).toEqual(['invalidate', 'invalidateWhere']);
		expect(states.last).toMatchObject({ data: 1, fetchStatus: 'paused', isInvalidated: true });
		online.set(true);
		await flush();
		expect(states.last).toMatchObject({ data: 2, fetchStatus: 'idle', isInvalidated: false });
	});

	it('resolves when a refetch that was out when the connection dropped fails and pauses', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const { fetcher, call } = controlledFetcher<string>();
		record(client.watchQuery({ key: ['todos'], fetcher }));
		call(0).resolve('first');
		await flush();
		let done = false;
		void client.invalidate(['todos']).then(() => (done = true));
		await flush();
		expect(done).toBe(false);
		online.set(false);
		call(1).reject(new TypeError('Failed to fetch'));
		await flush();
		expect(done).toBe(true);
		expect(client.getState(['todos'])).toMatchObject({ data: 'first', fetchStatus: 'paused', failureCount: 1 });
	});
});

describe('an invalidation made before the request of an unwatched fetch goes out', () => {
	it('is answered by that request when the fetch waited offline: the data lands fresh, and a watcher that joined sends no second request', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const { fetcher, call, calls } = controlledFetcher<string>();
		void client.prefetchQuery({ key: ['k'], fetcher }); // a load, offline: the fetch waits for the connection
		await client.invalidate(['k']); // a mutation settled meanwhile; nothing watches the key yet
		const watcher = record(client.watchQuery({ key: ['k'], fetcher })); // the page mounts and joins the paused fetch
		expect(calls).toHaveLength(0);
		online.set(true); // the request goes out now, after the invalidation
		call(0).resolve('current');
		await flush();
		expect(calls).toHaveLength(1);
		expect(watcher.last).toMatchObject({ data: 'current', isInvalidated: false, isStale: false, fetchStatus: 'idle' });
		watcher.stop();
	});

	it('is answered by the retry that goes out after its backoff', async () => {
		const client = new QoraClient();
		const { fetcher, call, calls } = controlledFetcher<string>();
		const result = client.fetchQuery({ key: ['k'], fetcher, options: { retryDelay: 1000 } });
		call(0).reject(new Error('blip'));
		await flush(); // waiting out the backoff: no request is out
		await client.invalidate(['k']);
		await vi.advanceTimersByTimeAsync(1000);
		expect(calls).toHaveLength(2);
		call(1).resolve('current');
		await expect(result).resolves.toBe('current');
		expect(client.getState(['k'])).toMatchObject({ data: 'current', isInvalidated: false, isStale: false });
	});
});

describe('invalidateWhere', () => {
	function seeded() {
		const client = new QoraClient();
		for (const key of [['users'], ['users', 1], ['users', 2, { tab: 'a' }], ['posts', 1], ['userSettings']]) {
			client.setQueryData(key, 'x');
		}
		return client;
	}
	const invalidated = (client: QoraClient) =>
		client
			.keys()
			.filter((key) => client.getState(key)?.isInvalidated)
			.map((key) => JSON.stringify(key));

	it('with a predicate, invalidates every entry whose normalized parts satisfy it', async () => {
		const client = seeded();
		const seen: KeyParts[] = [];
		await client.invalidateWhere((parts) => {
			seen.push(parts);
			return parts[0] === 'users' && typeof parts[1] === 'number';
		});
		expect(invalidated(client)).toEqual(['["users",1]', '["users",2,{"tab":"a"}]']);
		expect(seen).toHaveLength(5);
		expect(seen.every((parts) => Object.isFrozen(parts))).toBe(true);
	});

	it('with a key prefix, invalidates the entries whose key starts with it, part by part', async () => {
		const client = seeded();
		await client.invalidateWhere(['users']);
		expect(invalidated(client)).toEqual(['["users"]', '["users",1]', '["users",2,{"tab":"a"}]']);
	});

	it('a prefix may be a QoraKey and may contain objects', async () => {
		const client = seeded();
		await client.invalidateWhere(new QoraKey(['users', 2, { tab: 'a' }]));
		expect(invalidated(client)).toEqual(['["users",2,{"tab":"a"}]']);
	});

	it('refetches the watched matches and resolves when they have settled', async () => {
		const client = new QoraClient();
		const a = controlledFetcher<string>();
		const b = controlledFetcher<string>();
		const other = vi.fn(async () => 'other');
		record(client.watchQuery({ key: ['users', 1], fetcher: a.fetcher }));
		record(client.watchQuery({ key: ['users', 2], fetcher: b.fetcher }));
		record(client.watchQuery({ key: ['posts'], fetcher: other }));
		a.call(0).resolve('a1');
		b.call(0).resolve('b1');
		await flush();
		let settled = false;
		void client.invalidateWhere(['users']).then(() => (settled = true));
		expect(a.fetcher).toHaveBeenCalledTimes(2);
		expect(b.fetcher).toHaveBeenCalledTimes(2);
		expect(other).toHaveBeenCalledTimes(1);
		a.call(1).resolve('a2');
		await flush();
		expect(settled).toBe(false);
		b.call(1).resolve('b2');
		await flush();
		expect(settled).toBe(true);
		expect([client.getQueryData(['users', 1]), client.getQueryData(['users', 2])]).toEqual(['a2', 'b2']);
	});

	it('a prefix matches whole parts only, compared structurally', async () => {
		const client = new QoraClient();
		const keys: unknown[][] = [
			['users'],
			['usersX'],
			['users,1'],
			[1],
			[10],
			['t', { a: 1 }],
			['t', { a: 1, b: 2 }],
			['t', { b: 2, a: 1 }, 'page'],
			['t', [1]],
			['t', [1, 2]],
			['t', [1], 'x'],
			['q"', 1],
			['q', 1]
		];
		for (const key of keys) client.setQueryData(key, 'x');
		const matching = async (prefix: unknown[]) => {
			for (const key of keys) client.setQueryData(key, 'x'); // clears earlier invalidations
			await client.invalidateWhere(prefix);
			return invalidated(client);
		};
		expect(await matching(['users'])).toEqual(['["users"]']);
		expect(await matching([1])).toEqual(['[1]']);
		expect(await matching(['t', { a: 1 }])).toEqual(['["t",{"a":1}]']);
		expect(await matching(['t', { b: 2, a: 1 }])).toEqual(['["t",{"a":1,"b":2}]', '["t",{"a":1,"b":2},"page"]']);
		expect(await matching(['t', [1]])).toEqual(['["t",[1]]', '["t",[1],"x"]']);
		expect(await matching(['q'])).toEqual(['["q",1]']);
		expect(await matching(['t'])).toHaveLength(6);
		expect(await matching([])).toHaveLength(keys.length);
	});

	it('a throwing predicate propagates and invalidates nothing', () => {
		const client = seeded();
		let calls = 0;
		expect(() =>
			client.invalidateWhere(() => {
				if (++calls === 3) throw new Error('bad predicate');
				return true;
			})
		).toThrow('bad predicate');
		expect(invalidated(client)).toEqual([]);
	});

	it('an async predicate throws a TypeError saying so and invalidates nothing, instead of matching every entry', () => {
		const client = seeded();
		const predicate = async (parts: KeyParts) => parts[0] === 'posts';
		expect(() => client.invalidateWhere(predicate as never)).toThrow(/^invalidateWhere: the predicate must return a boolean, not a promise$/);
		expect(invalidated(client)).toEqual([]);
	});

	it('a plain predicate that returns a promise throws the same TypeError and invalidates nothing', () => {
		const client = seeded();
		const lookUp = (parts: KeyParts) => Promise.resolve(parts[0] === 'posts');
		expect(() => client.invalidateWhere(((parts: KeyParts) => lookUp(parts)) as never)).toThrow(
			/^invalidateWhere: the predicate must return a boolean, not a promise$/
		);
		expect(invalidated(client)).toEqual([]);
	});

	it('an async predicate that rejects: the TypeError only, no unhandled rejection beside it', async () => {
		vi.useRealTimers();
		const client = seeded();
		const lookUp = async (): Promise<boolean> => Promise.reject(new Error('lookup failed'));
		const unhandled = await unhandledRejectionsDuring(() => {
			expect(() => client.invalidateWhere(lookUp as never)).toThrow(/^invalidateWhere: the predicate must return a boolean, not a promise$/);
		});
		expect(unhandled).toEqual([]);
		expect(invalidated(client)).toEqual([]);
	});

	it('a predicate answering with other truthy values (a number, an object) still matches those entries', () => {
		const client = seeded();
		const answers = (parts: KeyParts) => (parts[0] === 'posts' ? 1 : parts[0] === 'userSettings' ? { yes: true } : 0);
		void client.invalidateWhere(answers as never);
		expect(invalidated(client)).toEqual(['["posts",1]', '["userSettings"]']);
	});

	it('survives a predicate that removes the entry it is shown, or clears the cache', async () => {
		const client = new QoraClient();
		client.setQueryData(['todos', 1], 'a');
		client.setQueryData(['todos', 2], 'b');
		const removing = (parts: KeyParts) => {
			if (parts[1] === 1) client.remove(parts);
			return true;
		};
		await expect(client.invalidateWhere(removing)).resolves.toBeUndefined();
		expect(client.keys()).toEqual([['todos', 2]]);
		expect(client.getState(['todos', 2])?.isInvalidated).toBe(true);

		await expect(client.invalidateWhere(() => (client.clear(), true))).resolves.toBeUndefined();
		expect(client.size).toBe(0);
	});

	it('on an empty cache resolves at once', async () => {
		await expect(new QoraClient().invalidateWhere(() => true)).resolves.toBeUndefined();
	});

	it('throws a TypeError for an invalid prefix or something that is neither', () => {
		const client = seeded();
		expect(() => client.invalidateWhere(['users', NaN])).toThrow(TypeError);
		expect(() => client.invalidateWhere('users' as never)).toThrow(TypeError);
		expect(() => client.invalidateWhere(null as never)).toThrow(TypeError);
		expect(invalidated(client)).toEqual([]);
	});

	it('the TypeError for a bad prefix says what invalidateWhere expects, whether or not the cache has entries', () => {
		const expected = /^invalidateWhere: expected a predicate \(parts\) => boolean or a key prefix\. .*key\[1\]/;
		expect(() => seeded().invalidateWhere(['users', NaN])).toThrow(expected);
		expect(() => new QoraClient().invalidateWhere(['users', NaN])).toThrow(expected);
	});

	it('matching nothing resolves at once', async () => {
		const client = seeded();
		await expect(client.invalidateWhere(['nothing'])).resolves.toBeUndefined();
		expect(phase(client.getState(['users']))).toBe('success/idle');
	});
});

describe('a fetcher that invalidates its own key as it runs', () => {
	it('is answered by the request it makes: one call, and the data lands fresh', async () => {
		const client = new QoraClient();
		let calls = 0;
		const fetcher = vi.fn(async ({ key }: FetchContext) => {
			calls++;
			if (calls > 5) throw new Error('called again and again');
			void client.invalidateWhere(['users']); // before its first await
			return `${key[1]} #${calls}`;
		});
		client.setQueryData(['users', 'list'], ['ann']);
		const watcher = record(client.watchQuery({ key: ['users', 'me'], fetcher }));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'me #1', isInvalidated: false });
		// The other entries under the prefix are invalidated as asked.
		expect(client.getState(['users', 'list'])).toMatchObject({ isInvalidated: true });
		watcher.stop();
	});

	it('that awaits the invalidation does not wait on itself', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => {
			await client.invalidate(['me']);
			return 'me';
		});
		const watcher = record(client.watchQuery({ key: ['me'], fetcher }));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'me', isInvalidated: false });
		watcher.stop();
	});

	it('still refetches the other watched keys it invalidates', async () => {
		const client = new QoraClient();
		const other = vi.fn(async () => 'other');
		const otherWatcher = record(client.watchQuery({ key: ['users', 'list'], fetcher: other }));
		await flush();
		expect(other).toHaveBeenCalledTimes(1);
		const watcher = record(
			client.watchQuery({
				key: ['users', 'me'],
				fetcher: async () => {
					void client.invalidateWhere(['users']);
					return 'me';
				}
			})
		);
		await flush();
		expect(other).toHaveBeenCalledTimes(2);
		expect(otherWatcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', isInvalidated: false });
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'me' });
		watcher.stop();
		otherWatcher.stop();
	});

	it('after its first await, replaces its fetch as any invalidation does', async () => {
		const client = new QoraClient();
		const gate = controlledFetcher<void>();
		let calls = 0;
		const watcher = record(
			client.watchQuery({
				key: ['me'],
				fetcher: async () => {
					calls++;
					if (calls === 1) {
						await gate.fetcher({} as FetchContext);
						void client.invalidate(['me']);
					}
					return `me #${calls}`;
				}
			})
		);
		await flush();
		gate.call(0).resolve();
		await flush();
		expect(calls).toBe(2);
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'me #2', isInvalidated: false });
		watcher.stop();
	});

	it('a retry that invalidates its own key as it runs is answered by that retry', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 1, retryDelay: 10 } });
		let calls = 0;
		const watcher = record(
			client.watchQuery({
				key: ['me'],
				fetcher: async () => {
					calls++;
					if (calls === 1) throw new Error('first fails');
					if (calls > 5) throw new Error('called again and again');
					void client.invalidate(['me']);
					return `me #${calls}`;
				}
			})
		);
		await flush();
		await vi.advanceTimersByTimeAsync(10);
		expect(calls).toBe(2);
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'me #2', isInvalidated: false, failureCount: 0 });
		watcher.stop();
	});
});

describe('invalidations faster than the server answers', () => {
	/** A watched entry whose fetch was replaced once (call 1), then invalidated again: call 1 goes on. */
	function replacedThenInvalidated() {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		void client.invalidate(['k']);
		const done = client.invalidate(['k']);
		return { client, fetcher, call, watcher, done };
	}

	it('still let data land: the fetch that replaced one lands, then a refetch follows', async () => {
		const client = new QoraClient();
		let sent = 0;
		// The server answers in 300 ms with the number of the request; invalidations come every 100 ms.
		const fetcher = vi.fn(({ signal }: FetchContext) => {
			const n = ++sent;
			return new Promise<number>((resolve, reject) => {
				const timer = setTimeout(() => resolve(n), 300);
				signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)));
			});
		});
		const watcher = record(client.watchQuery({ key: ['chat'], fetcher }));
		await advance(300);
		expect(watcher.last.data).toBe(1);
		const landed = new Set<unknown>();
		for (let tick = 0; tick < 30; tick++) {
			void client.invalidate(['chat']);
			await advance(100);
			landed.add(watcher.last.data);
		}
		// Replacing every time, nothing would land for these 3 s.
		expect(landed.size).toBeGreaterThanOrEqual(5);
		expect(fetcher.mock.calls.length).toBeLessThanOrEqual(1 + 30);
		await advance(1_000);
		const last = sent;
		expect(watcher.last).toMatchObject({ data: last, isInvalidated: false, fetchStatus: 'idle' });
		watcher.stop();
	});

	it('a fetchQuery caller of the replacing fetch gets the follow-up’s data, as the caller of a replaced fetch would', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		void client.invalidate(['k']); // replaces call 0 with call 1
		const caller = client.fetchQuery({ key: ['k'], fetcher });
		void client.invalidate(['k']); // call 1 goes on
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(call(1).signal.aborted).toBe(false);
		call(1).resolve('from before the second invalidation');
		await flush();
		call(2).resolve('after it');
		await expect(caller).resolves.toBe('after it');
		watcher.stop();
	});

	it('a replacing fetch that fails after another invalidation is followed up, its error never shown', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		call(0).resolve('first');
		await flush();
		void client.invalidate(['k']); // call 1, a fresh fetch: replaced by the next
		void client.invalidate(['k']); // call 2 replaces it
		void client.invalidate(['k']); // call 2 goes on, followed up
		call(2).reject(new Error('server hiccup'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(4);
		expect(watcher.states.some((state) => state.status === 'error' || state.error !== null)).toBe(false);
		expect(watcher.last).toMatchObject({ status: 'success', data: 'first', fetchStatus: 'fetching', isInvalidated: true });
		call(3).resolve('fresh');
		await flush();
		expect(watcher.last).toMatchObject({ status: 'success', data: 'fresh', fetchStatus: 'idle', isInvalidated: false });
		watcher.stop();
	});

	it('is not followed up once nobody watches: the callers get what landed, still invalidated', async () => {
		const { client, fetcher, call, watcher, done } = replacedThenInvalidated();
		watcher.stop();
		call(1).resolve('landed');
		await expect(done).resolves.toBeUndefined();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getState(['k'])).toMatchObject({ data: 'landed', isInvalidated: true, fetchStatus: 'idle' });
	});

	it('is not followed up when a write after the invalidation won the fetch', async () => {
		const { client, fetcher, call, watcher, done } = replacedThenInvalidated();
		client.setQueryData(['k'], 'saved');
		call(1).resolve('from before the write');
		await expect(done).resolves.toBeUndefined();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(watcher.last).toMatchObject({ data: 'saved', isInvalidated: false, fetchStatus: 'idle' });
		watcher.stop();
	});

	it('is not followed up when the request that answered went out after the invalidation (a retry after its backoff)', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 1, retryDelay: 1_000 } });
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		call(0).resolve('first');
		await flush();
		void client.invalidate(['k']); // call 1
		void client.invalidate(['k']); // replaces it: call 2
		call(2).reject(new Error('down'));
		await flush();
		void client.invalidate(['k']); // during the backoff: the retry answers it
		await advance(1_000);
		expect(fetcher).toHaveBeenCalledTimes(4);
		call(3).reject(new Error('still down'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(4);
		expect(watcher.last).toMatchObject({ status: 'error', data: 'first', fetchStatus: 'idle', error: { message: 'still down' } });
		watcher.stop();
	});

	it('a cancel of the follow-up keeps the data the fetch before it brought', async () => {
		const { client, fetcher, call, watcher } = replacedThenInvalidated();
		call(1).resolve('landed');
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(3);
		client.cancel(['k']);
		expect(watcher.last).toMatchObject({ status: 'success', data: 'landed', fetchStatus: 'idle', isInvalidated: true });
		expect(call(2).signal.aborted).toBe(true);
		watcher.stop();
	});

	/** A server answering in 300 ms (data, or a failure), as a signal-aware fetcher does. */
	function slowServer(fails: boolean) {
		let sent = 0;
		return vi.fn(({ signal }: FetchContext) => {
			const n = ++sent;
			return new Promise<number>((resolve, reject) => {
				const timer = setTimeout(() => (fails ? reject(new Error('502 Bad Gateway')) : resolve(n)), 300);
				signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)));
			});
		});
	}

	it('keeps no caller waiting for good when invalidations keep coming faster than the server answers: a fetchQuery and an awaited invalidate settle within a few answers', async () => {
		// A chatty websocket invalidates every 100 ms; each answer takes 300 ms. Data lands about once per round trip,
		// so callers of the fetch get some of it: before, each follow-up took the callers over from the one before, for good.
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const fetcher = slowServer(false);
		const watcher = record(client.watchQuery({ key: ['chat'], fetcher }));
		const settled: string[] = [];
		// A load's fetchQuery of the key on its first load, and a mutation's onSettled awaiting its invalidate.
		void client.fetchQuery({ key: ['chat'], fetcher }).then((data) => settled.push(`fetchQuery ${data}`));
		let invalidated = false;
		for (let tick = 0; tick < 30; tick++) {
			const done = client.invalidate(['chat']);
			if (tick === 5) void done.then(() => settled.push('invalidate'));
			await advance(100);
			if (watcher.last.data !== undefined) invalidated = true;
		}
		expect(invalidated).toBe(true); // data keeps landing
		expect(settled).toEqual([expect.stringMatching(/^fetchQuery \d+$/), 'invalidate']);
		watcher.stop();
	});

	it('keeps no prefetchQuery or fetchQuery caller waiting for good when a failing server is invalidated faster than it answers', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const fetcher = slowServer(true);
		const watcher = record(client.watchQuery({ key: ['status'], fetcher }));
		const outcomes: string[] = [];
		void client.fetchQuery({ key: ['status'], fetcher }).then(
			() => outcomes.push('resolved'),
			(error: Error) => outcomes.push(`fetchQuery: ${error.message}`)
		);
		void client.prefetchQuery({ key: ['status'], fetcher }).then(() => outcomes.push('prefetchQuery'));
		for (let tick = 0; tick < 30; tick++) {
			void client.invalidate(['status']);
			await advance(100);
		}
		expect(outcomes).toEqual(['fetchQuery: 502 Bad Gateway', 'prefetchQuery']);
		watcher.stop();
	});

	it('a follow-up followed up in turn whose failure is not shown hands its fetchQuery callers the data that landed meanwhile, not a rejection', async () => {
		// A load's fetchQuery of a key with no data, while a websocket invalidates it: the data lands (call 1) and shows,
		// then the follow-up that took the load over fails after one more invalidation. That failure is not shown (the
		// watchers keep the data, no error, onQueryError never hears of it): the load must not reject with it either.
		const onQueryError = vi.fn();
		const client = new QoraClient({ defaultOptions: { retry: 0 }, onQueryError });
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		const caller = client.fetchQuery({ key: ['k'], fetcher });
		void client.invalidate(['k']); // call 1 replaces call 0, taking the caller over
		void client.invalidate(['k']); // call 1 goes on, followed up
		call(1).resolve('landed');
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(3); // call 2, the follow-up, took the caller over
		expect(watcher.last).toMatchObject({ status: 'success', data: 'landed' });
		void client.invalidate(['k']); // call 2 goes on, followed up in turn
		call(2).reject(new Error('server hiccup'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(4);
		expect(watcher.states.some((state) => state.error !== null)).toBe(false);
		expect(watcher.last).toMatchObject({ status: 'success', data: 'landed', error: null, fetchStatus: 'fetching' });
		expect(onQueryError).not.toHaveBeenCalled();
		await expect(caller).resolves.toBe('landed');
		watcher.stop();
	});

	it('a follow-up followed up in turn whose failure is not shown still rejects its fetchQuery callers when no data landed', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		const caller = client.fetchQuery({ key: ['k'], fetcher });
		void client.invalidate(['k']);
		void client.invalidate(['k']);
		call(1).reject(new Error('first hiccup'));
		await flush();
		void client.invalidate(['k']);
		call(2).reject(new Error('second hiccup'));
		await expect(caller).rejects.toThrow('second hiccup');
		expect(watcher.last).toMatchObject({ status: 'pending', data: undefined, fetchStatus: 'fetching' });
		watcher.stop();
	});
});
