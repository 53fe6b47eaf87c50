/**
 * Races: responses out of order, writes during a fetch, invalidation during a
 * fetch, cancel during retry backoff, unsubscribe during a fetch. Scenario
 * tests pin each documented rule down; property tests shuffle the timing.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, QoraClient, type FetchContext, type QoraOptions, type QoraState, type QueryKeyInput } from '../../src/lib/index.js';
import { FakeServer, T0, advance, assertConsistent, failOnUnhandledRejections, fcParams, flush, track, useFakeTime } from './support.js';

failOnUnhandledRejections();
beforeEach(() => useFakeTime());
afterEach(() => {
	vi.useRealTimers();
});

const SEC = 1000;

function setup(defaults: ConstructorParameters<typeof QoraClient>[0] = {}) {
	const reported: unknown[] = [];
	const client = new QoraClient({ onError: (e) => reported.push(e), ...defaults });
	const server = new FakeServer();
	return { client, server, reported };
}

/** Subscribes and records every emitted state, checking each one's invariants. */
function watch<T>(client: QoraClient, key: QueryKeyInput, fetcher: (context: FetchContext) => Promise<T>, options: QoraOptions<T> = {}) {
	const states: QoraState<T>[] = [];
	const stop = client.watchQuery<T>({ key, fetcher, options }).subscribe((s) => {
		assertConsistent(s as QoraState<unknown>, `emission for ${JSON.stringify(key)}`);
		states.push(s);
	});
	return { states, stop, last: () => states.at(-1) as QoraState<T> };
}

describe('races: out-of-order responses', () => {
	it('a response from a replaced fetch that arrives after the newer one never overwrites it', async () => {
		const { client, server } = setup();
		const w = watch(client, ['k'], server.fetcher('k'), { retry: 0 });
		void client.invalidate(['k']);
		// #1 was replaced by #2; answer #2 first, then the stale #1.
		server.byId('k#2').resolve('new');
		await flush();
		server.byId('k#1').resolve('old');
		await flush();
		expect(w.last().data).toBe('new');
		expect(client.getQueryData(['k'])).toBe('new');
		expect(server.byId('k#1').signal.aborted).toBe(true);
		w.stop();
	});

	it('a response from a replaced fetch that arrives first is dropped, and the newer fetch still lands', async () => {
		const { client, server } = setup();
		const w = watch(client, ['k'], server.fetcher('k'), { retry: 0 });
		void client.invalidate(['k']);
		server.byId('k#1').resolve('old');
		await flush();
		expect(client.getState(['k'])?.data).toBeUndefined();
		expect(client.getState(['k'])?.fetchStatus).toBe('fetching');
		server.byId('k#2').resolve('new');
		await flush();
		expect(w.states.map((s) => s.data)).not.toContain('old');
		expect(w.last().data).toBe('new');
		w.stop();
	});

	it('a late response of a cancelled fetch, or of a removed entry, never reaches the cache', async () => {
		const { client, server } = setup();
		const first = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k'), options: { retry: 0 } }));
		client.cancel(['k']);
		const second = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k'), options: { retry: 0 } }));
		client.remove(['k']);
		const third = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k'), options: { retry: 0 } }));
		server.byId('k#3').resolve('third');
		await flush();
		server.byId('k#1').resolve('first');
		server.byId('k#2').resolve('second');
		await flush();
		expect(first.state).toBe('rejected');
		expect(first.reason).toBeInstanceOf(CancelledError);
		expect(second.reason).toBeInstanceOf(CancelledError);
		expect(third.value).toBe('third');
		expect(client.getQueryData(['k'])).toBe('third');
	});

	it('property: whatever order responses arrive in, the data shown is the newest fetch\'s result, never an older one', async () => {
		// A restart is one of: invalidate a watched entry, cancel then refetch, remove then refetch.
		const restart = fc.constantFrom('invalidate', 'cancel', 'remove');
		await fc.assert(
			fc.asyncProperty(
				fc.array(restart, { minLength: 1, maxLength: 6 }),
				fc.array(fc.nat(), { minLength: 7, maxLength: 7 }),
				fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
				async (restarts, order, oks) => {
					vi.useFakeTimers();
					vi.setSystemTime(T0);
					const { client, server, reported } = setup({ defaultOptions: { retry: 0 } });
					const fetcher = server.fetcher<string>('k');
					const w = watch(client, ['k'], fetcher);
					for (const how of restarts) {
						if (how === 'invalidate') void client.invalidate(['k']);
						else {
							if (how === 'cancel') client.cancel(['k']);
							else client.remove(['k']);
							client.fetchQuery({ key: ['k'], fetcher }).catch(() => undefined);
						}
					}
					const requests = [...server.requests];
					const newest = requests.at(-1);
					// Settle every request in a shuffled order, checking after each one.
					const remaining = [...requests];
					let i = 0;
					while (remaining.length > 0) {
						const [req] = remaining.splice((order[i] ?? 0) % remaining.length, 1);
						const ok = oks[i] ?? true;
						i++;
						if (!req) break;
						if (ok) req.resolve(`data of ${req.id}`);
						else req.reject(new Error(`failure of ${req.id}`));
						await flush();
						const state = client.getState(['k']);
						assertConsistent(state);
						if (state?.data !== undefined) expect(state.data).toBe(`data of ${newest?.id}`);
						if (state?.error) expect(state.error.message).toBe(`failure of ${newest?.id}`);
					}
					expect(w.states.filter((s) => s.data !== undefined && s.data !== `data of ${newest?.id}`)).toEqual([]);
					expect(reported).toEqual([]);
					w.stop();
					client.dispose();
					vi.useRealTimers();
				}
			),
			fcParams(100)
		);
	});
});

describe('races: setQueryData during an in-flight fetch (documented rule: the write wins)', () => {
	it('the write survives the fetch\'s success, and the fetch\'s callers get the written data', async () => {
		const { client, server } = setup();
		const w = watch(client, ['k'], server.fetcher('k'));
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
		client.setQueryData(['k'], 'written');
		expect(w.last().data).toBe('written'); // watchers hear of the write at once
		expect(w.last().fetchStatus).toBe('fetching');
		server.byId('k#1').resolve('fetched before the write');
		await flush();
		expect(server.count('k')).toBe(1);
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'written' });
		expect(w.last().data).toBe('written');
		expect(caller.value).toBe('written');
		w.stop();
	});

	it('the write survives the fetch\'s failure after its retries: status success, callers resolve with the write', async () => {
		const { client, server } = setup({ defaultOptions: { retry: 1, retryDelay: 100 } });
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
		server.byId('k#1').reject(new Error('first'));
		await flush();
		client.setQueryData(['k'], 'written');
		await advance(100);
		server.byId('k#2').reject(new Error('second'));
		await flush();
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'written', error: null, failureCount: 0 });
		expect(caller.state).toBe('resolved');
		expect(caller.value).toBe('written');
	});

	it('an updater write during a fetch sees the cached data and wins too', async () => {
		const { client, server } = setup({ defaultOptions: { staleTime: SEC } });
		client.setQueryData(['k'], 1);
		vi.advanceTimersByTime(2 * SEC);
		void client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }); // stale: background refetch
		client.setQueryData<number>(['k'], (n) => (n ?? 0) + 1);
		server.byId('k#1').resolve(100);
		await flush();
		expect(client.getQueryData(['k'])).toBe(2);
	});

	it('restoring a no-data snapshot during a fetch (optimistic rollback of a first load) never makes the fetch\'s callers resolve undefined', async () => {
		// The optimistic-update pattern: snapshot, write, and roll back on failure.
		const { client, server } = setup();
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
		const before = client.getState(['k']); // pending, no data
		client.restoreQueryData(['k'], before);
		server.byId('k#1').resolve('fetched');
		await flush();
		expect(caller.state).not.toBe('pending');
		// fetchQuery is typed Promise<T>; "resolving undefined is an error" (design.md): it must not hand undefined to callers.
		if (caller.state === 'resolved') expect(caller.value).not.toBeUndefined();
		assertConsistent(client.getState(['k']));
	});
});

describe('races: invalidate during a fetch', () => {
	it('watched: the fetch in flight is aborted and replaced; its callers get the new fetch\'s result', async () => {
		const { client, server } = setup();
		const w = watch(client, ['k'], server.fetcher('k'));
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
		const done = track(client.invalidate(['k']));
		expect(server.count('k')).toBe(2);
		expect(server.byId('k#1').signal.aborted).toBe(true);
		server.byId('k#2').resolve('after invalidation');
		await flush();
		expect(caller.value).toBe('after invalidation');
		expect(done.state).toBe('resolved');
		expect(client.getState(['k'])).toMatchObject({ data: 'after invalidation', isInvalidated: false, isStale: false });
		w.stop();
	});

	it('unwatched: no refetch, the running fetch lands, and the entry stays invalidated (stale) so the next read refetches', async () => {
		const { client, server } = setup();
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
		const done = track(client.invalidate(['k']));
		await flush();
		expect(done.state).toBe('resolved');
		expect(server.count('k')).toBe(1);
		server.byId('k#1').resolve('predates the invalidation');
		await flush();
		expect(caller.value).toBe('predates the invalidation');
		expect(client.getState(['k'])).toMatchObject({ status: 'success', isInvalidated: true, isStale: true });
		const next = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
		await flush();
		expect(next.value).toBe('predates the invalidation'); // stale data at once...
		expect(server.count('k')).toBe(2); // ...and a background refetch
	});

	it('invalidateWhere during fetches replaces only the watched matches and resolves when their refetches settle', async () => {
		const { client, server } = setup();
		const w1 = watch(client, ['users', 1], server.fetcher('u1'));
		void client.fetchQuery({ key: ['users', 2], fetcher: server.fetcher('u2') });
		const wp = watch(client, ['posts'], server.fetcher('p'));
		const done = track(client.invalidateWhere(['users']));
		expect([server.count('u1'), server.count('u2'), server.count('p')]).toEqual([2, 1, 1]);
		expect([server.byId('u1#1').signal.aborted, server.byId('u2#1').signal.aborted, server.byId('p#1').signal.aborted]).toEqual([true, false, false]);
		await flush();
		expect(done.state).toBe('pending');
		server.byId('u1#2').reject(new Error('refetch failed'));
		await advance(60 * SEC); // retries of u1#2 (3 by default) all fail below
		for (let n = 3; n <= 5; n++) {
			server.byId(`u1#${n}`).reject(new Error('again'));
			await advance(60 * SEC);
		}
		expect(done.state).toBe('resolved'); // never rejects, even when the refetch fails
		w1.stop();
		wp.stop();
	});
});

describe('races: cancel during retry backoff', () => {
	it('cancel while waiting to retry: callers reject with CancelledError, state returns, no further attempt ever runs', async () => {
		const { client, server } = setup({ defaultOptions: { retry: 3, staleTime: SEC } });
		client.setQueryData(['k'], 'cached');
		vi.advanceTimersByTime(2 * SEC);
		const w = watch(client, ['k'], server.fetcher('k')); // stale: refetch #1
		const before = w.states[0] as QoraState<string>;
		server.byId('k#1').reject(new Error('fails'));
		await flush();
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'fetching', failureCount: 1 });
		await advance(500); // half of the 1 s backoff
		client.cancel(['k']);
		expect(client.getState(['k'])).toMatchObject({
			status: 'success',
			data: 'cached',
			fetchStatus: 'idle',
			failureCount: before.failureCount,
			failureReason: before.failureReason
		});
		await advance(60 * SEC);
		expect(server.count('k')).toBe(1);
		expect(client.getState(['k'])?.fetchStatus).toBe('idle');
		w.stop();
	});

	it('a fetchQuery caller waiting through the backoff is rejected with CancelledError at once', async () => {
		const { client, server } = setup({ defaultOptions: { retry: 2, retryDelay: 1000 } });
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
		server.byId('k#1').reject(new Error('x'));
		await advance(300);
		client.cancel(['k']);
		await flush();
		expect(caller.state).toBe('rejected');
		expect(caller.reason).toBeInstanceOf(CancelledError);
		expect(client.getState(['k'])).toMatchObject({ status: 'pending', fetchStatus: 'idle', failureCount: 0, failureReason: null });
		await advance(5 * SEC);
		expect(server.count('k')).toBe(1);
		// Only the gc deadline remains, and it empties the cache.
		await advance(5 * 60 * SEC);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('property: cancel at any moment of a retrying fetch stops it for good and leaves a consistent idle state', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2_999 }), async (failuresFirst, wait) => {
				vi.useFakeTimers();
				vi.setSystemTime(T0);
				const { client, server } = setup({ defaultOptions: { retry: 5, retryDelay: 1000 } });
				const caller = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
				for (let i = 1; i <= failuresFirst; i++) {
					server.byId(`k#${i}`).reject(new Error(`f${i}`));
					await advance(1000);
				}
				await advance(wait);
				client.cancel(['k']);
				await flush();
				const calls = server.count('k');
				expect(caller.reason).toBeInstanceOf(CancelledError);
				expect(client.getState(['k'])).toMatchObject({ status: 'pending', fetchStatus: 'idle', failureCount: 0 });
				for (const req of server.pending()) req.resolve('late');
				await advance(30 * SEC);
				expect(server.count('k')).toBe(calls);
				expect(client.getState(['k'])?.data).toBeUndefined();
				client.dispose();
				vi.useRealTimers();
			}),
			fcParams(60)
		);
	});
});

describe('races: unsubscribe during a fetch', () => {
	it('the fetch still completes into the cache, the gone watcher hears nothing, gc waits for the fetch to end', async () => {
		const gcTime = 10 * SEC;
		const { client, server } = setup({ defaultOptions: { gcTime } });
		const w = watch(client, ['k'], server.fetcher('k'));
		const heard = w.states.length;
		w.stop();
		await advance(gcTime + 5 * SEC); // gc deadline passes while the fetch is still running
		expect(client.size).toBe(1);
		expect(client.getState(['k'])?.fetchStatus).toBe('fetching');
		server.byId('k#1').resolve('late but kept');
		await flush();
		expect(client.getQueryData(['k'])).toBe('late but kept');
		expect(w.states.length).toBe(heard);
		await advance(gcTime - 1);
		expect(client.size).toBe(1); // gcTime counts from the settle, not from the unsubscribe
		await advance(1);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('unsubscribe then subscribe again during the fetch joins it: still one fetcher call', async () => {
		const { client, server } = setup();
		const w1 = watch(client, ['k'], server.fetcher('k'));
		w1.stop();
		const w2 = watch(client, ['k'], server.fetcher('k'));
		expect(server.count('k')).toBe(1);
		server.byId('k#1').resolve('shared');
		await flush();
		expect(w2.last().data).toBe('shared');
		w2.stop();
	});

	it('unsubscribing from inside a listener while a fetch settles stops that listener and no other', async () => {
		const { client, server } = setup();
		const seenA: unknown[] = [];
		const seenB: unknown[] = [];
		const store = client.watchQuery({ key: ['k'], fetcher: server.fetcher('k') });
		let stopA: () => void = () => {};
		stopA = store.subscribe((s) => {
			seenA.push(s.data);
			if (s.data !== undefined) stopA();
		});
		const stopB = store.subscribe((s) => seenB.push(s.data));
		server.byId('k#1').resolve('v1');
		await flush();
		client.setQueryData(['k'], 'v2');
		expect(seenA).toEqual([undefined, 'v1']);
		expect(seenB).toEqual([undefined, 'v1', 'v2']);
		stopB();
	});
});

