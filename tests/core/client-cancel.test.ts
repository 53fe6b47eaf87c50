/** cancel, remove, clear and dispose. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, QoraClient } from '../../src/lib/index.js';
import { MINUTE, advance, controlledFetcher, deferred, failingFetcher, flush, phase, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('cancel', () => {
	it('made by the fetcher itself during its first attempt stops the retries too', async () => {
		const client = new QoraClient({ defaultOptions: { retryDelay: 1000 } });
		let calls = 0;
		const fetcher = vi.fn(async () => {
			if (++calls === 1) client.cancel(['k']);
			throw new Error('down');
		});
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(10_000);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(watcher.last).toMatchObject({ status: 'pending', fetchStatus: 'idle' });
		watcher.stop();
	});

	it('an invalidation by the fetcher during its first attempt leaves one retry loop, not two', async () => {
		const client = new QoraClient({ defaultOptions: { retryDelay: 1000 } });
		let calls = 0;
		const fetcher = vi.fn(async () => {
			if (++calls === 1) void client.invalidate(['k']);
			throw new Error('down');
		});
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(100_000);
		// The attempt answers its own invalidation (no replacement), then retries three times.
		expect(fetcher).toHaveBeenCalledTimes(1 + 3);
		watcher.stop();
	});

	it('aborts the fetcher’s signal and rejects callers with a CancelledError', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const a = client.fetchQuery({ key: ['k'], fetcher });
		const b = client.fetchQuery({ key: ['k'], fetcher });
		client.cancel(['k']);
		expect(call(0).signal.aborted).toBe(true);
		expect(call(0).signal.reason).toBeInstanceOf(CancelledError);
		await expect(a).rejects.toBeInstanceOf(CancelledError);
		await expect(b).rejects.toBeInstanceOf(CancelledError);
		expect((await a.then(() => null, (e: Error) => e))?.name).toBe('CancelledError');
	});

	it('hands a fetcher that reads its signal only after an await an aborted signal', async () => {
		const client = new QoraClient();
		const gate = deferred<void>();
		const seen: { aborted: boolean; reason: unknown }[] = [];
		const done = client.fetchQuery({
			key: ['k'],
			fetcher: async (context) => {
				await gate.promise; // e.g. reading an auth token first
				seen.push({ aborted: context.signal.aborted, reason: context.signal.reason });
				return 1;
			}
		});
		client.cancel(['k']);
		gate.resolve();
		await expect(done).rejects.toBeInstanceOf(CancelledError);
		expect(seen).toEqual([{ aborted: true, reason: expect.any(CancelledError) }]);
	});

	it('aborts a replaced fetch’s late-read signal when invalidate starts a new one', async () => {
		const client = new QoraClient();
		const gates = [deferred<void>(), deferred<void>()];
		const seen: boolean[] = [];
		let calls = 0;
		const stop = client
			.watchQuery({
				key: ['k'],
				fetcher: async (context) => {
					const gate = gates[calls++]!;
					await gate.promise;
					seen.push(context.signal.aborted);
					return calls;
				}
			})
			.subscribe(() => {});
		void client.invalidate(['k']);
		gates[0]!.resolve();
		gates[1]!.resolve();
		await flush();
		expect(seen).toEqual([true, false]);
		stop();
	});

	it('a listener that cancels as soon as it hears of a fetch stops it before the fetcher runs', async () => {
		const errors: unknown[] = [];
		const client = new QoraClient({ onError: (error) => errors.push(error) });
		const { fetcher } = controlledFetcher<string>();
		const seen: string[] = [];
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe((state) => {
			seen.push(phase(state));
			if (state.fetchStatus === 'fetching') client.cancel(['k']);
		});
		await flush();
		expect(errors).toEqual([]);
		expect(fetcher).not.toHaveBeenCalled();
		expect(seen).toEqual(['pending/fetching', 'pending/idle']);
		expect(phase(client.getState(['k']))).toBe('pending/idle');
		stop();
	});

	it('a listener that invalidates or disposes as a fetch starts leaves a consistent client', async () => {
		const errors: unknown[] = [];
		const client = new QoraClient({ onError: (error) => errors.push(error) });
		const { fetcher, call } = controlledFetcher<string>();
		let invalidated = false;
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe((state) => {
			if (state.fetchStatus === 'fetching' && !invalidated) {
				invalidated = true;
				void client.invalidate(['k']); // replaces the fetch that is just starting
			}
		});
		expect(fetcher).toHaveBeenCalledTimes(1);
		call(0).resolve('fresh');
		await flush();
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'fresh' });
		stop();

		const other = new QoraClient({ onError: (error) => errors.push(error) });
		const second = controlledFetcher<string>();
		const running = other.fetchQuery({ key: ['a'], fetcher: second.fetcher });
		other.observeQuery(['b']).subscribe((state) => {
			if (state.fetchStatus === 'fetching') other.dispose();
		});
		const starting = other.fetchQuery({ key: ['b'], fetcher: second.fetcher });
		await expect(running).rejects.toBeInstanceOf(CancelledError);
		await expect(starting).rejects.toBeInstanceOf(CancelledError);
		expect(second.fetcher).toHaveBeenCalledTimes(1); // b's fetcher never ran
		expect(other.size).toBe(0);
		expect(errors).toEqual([]);
	});

	it('a cancelled first load goes back to pending/idle', async () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		client.cancel(['k']);
		expect(watcher.phases()).toEqual(['pending/fetching', 'pending/idle']);
		expect(watcher.last).toMatchObject({ data: undefined, error: null, failureCount: 0, failureReason: null });
	});

	it('a cancelled retry of a failed first load leaves that error shown, with its failure count', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const failure = await client.fetchQuery({ key: ['k'], fetcher: async () => Promise.reject(new Error('down')) }).catch((e: Error) => e);
		const { fetcher } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		expect(watcher.last).toMatchObject({ status: 'error', error: failure, fetchStatus: 'fetching', failureCount: 0 });
		client.cancel(['k']);
		expect(watcher.last).toMatchObject({ status: 'error', fetchStatus: 'idle', error: failure, isLoadingError: true, failureCount: 1 });
	});

	it('a cancelled refetch goes back to success/idle with the data it had', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'old');
		const before = client.getState(['k']);
		const { fetcher } = controlledFetcher<string>();
		void client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } });
		expect(phase(client.getState(['k']))).toBe('success/fetching');
		client.cancel(['k']);
		const { isStale: _before, ...rest } = before ?? ({} as Record<string, unknown>);
		expect(client.getState(['k'])).toMatchObject(rest);
	});

	it('during retries, puts back the failure count of before the fetch and stops retrying', async () => {
		const client = new QoraClient();
		const fetcher = failingFetcher();
		const result = client.fetchQuery({ key: ['k'], fetcher }).catch((e: unknown) => e);
		await advance(1000);
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'fetching', failureCount: 2 });
		client.cancel(['k']);
		expect(client.getState(['k'])).toMatchObject({ status: 'pending', fetchStatus: 'idle', failureCount: 0, failureReason: null });
		expect(await result).toBeInstanceOf(CancelledError);
		await advance(MINUTE);
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('a cancelled refetch of an entry in error puts back its error, failure count and reason', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		await client.prefetchQuery({ key: ['k'], fetcher: failingFetcher('first') });
		const before = client.getState(['k']);
		expect(before).toMatchObject({ status: 'error', failureCount: 1 });
		const { fetcher } = controlledFetcher<string>();
		void client.prefetchQuery({ key: ['k'], fetcher });
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'fetching', failureCount: 0, failureReason: null });
		client.cancel(['k']);
		expect(client.getState(['k'])).toEqual(before);
	});

	it('a result arriving after the cancel is ignored', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		void client.fetchQuery({ key: ['k'], fetcher }).catch(() => {});
		client.cancel(['k']);
		call(0).resolve('late');
		await flush();
		expect(client.getState(['k'])).toMatchObject({ status: 'pending', fetchStatus: 'idle', data: undefined });
	});

	it('a watcher does not refetch after a cancel by itself; a new fetch works normally', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		record(client.watchQuery({ key: ['k'], fetcher }));
		client.cancel(['k']);
		await advance(MINUTE);
		expect(fetcher).toHaveBeenCalledTimes(1);
		const again = client.fetchQuery({ key: ['k'], fetcher });
		call(1).resolve('second');
		await expect(again).resolves.toBe('second');
	});

	it('without a fetch in flight, or for an unknown key, does nothing', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'x');
		const observer = record(client.observeQuery(['k']));
		client.cancel(['k']);
		client.cancel(['unknown']);
		expect(observer.states).toHaveLength(1);
		expect(client.getState(['k'])).toBe(observer.last);
		expect(client.size).toBe(1);
	});
});

describe('remove', () => {
	it('deletes an unwatched entry', () => {
		const client = new QoraClient();
		client.setQueryData(['a'], 1);
		client.setQueryData(['b'], 2);
		client.remove(['a']);
		expect(client.getState(['a'])).toBeUndefined();
		expect(client.getQueryData(['b'])).toBe(2);
		expect(client.size).toBe(1);
	});

	it('cancels a fetch in flight: its callers get a CancelledError and its late result is dropped', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const result = client.fetchQuery({ key: ['k'], fetcher });
		client.remove(['k']);
		expect(call(0).signal.aborted).toBe(true);
		await expect(result).rejects.toBeInstanceOf(CancelledError);
		call(0).resolve('late');
		await flush();
		expect(client.getState(['k'])).toBeUndefined();
	});

	it('resets a watched entry to pending/idle, which its watchers see, and does not refetch', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'data');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		client.remove(['k']);
		expect(watcher.last).toMatchObject({ status: 'pending', fetchStatus: 'idle', data: undefined, dataUpdatedAt: 0 });
		await advance(MINUTE);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.size).toBe(1);
		client.setQueryData(['k'], 'again');
		expect(watcher.last.data).toBe('again');
	});

	it('for an unknown key does nothing', () => {
		const client = new QoraClient();
		client.remove(['nothing']);
		expect(client.size).toBe(0);
	});
});

describe('clear', () => {
	it('removes every entry, cancelling fetches and resetting watched entries', async () => {
		const client = new QoraClient();
		client.setQueryData(['a'], 1);
		const { fetcher } = controlledFetcher<number>();
		const inFlight = client.fetchQuery({ key: ['b'], fetcher });
		const watcher = record(client.watchQuery({ key: ['c'], fetcher: async () => 3 }));
		await flush();
		client.clear();
		await expect(inFlight).rejects.toBeInstanceOf(CancelledError);
		expect(client.getState(['a'])).toBeUndefined();
		expect(client.getState(['b'])).toBeUndefined();
		expect(phase(watcher.last)).toBe('pending/idle');
		expect(client.keys()).toEqual([['c']]);
	});
});

describe('size and keys', () => {
	it('count the entries and list their normalized keys in insertion order', () => {
		const client = new QoraClient();
		client.setQueryData(['b', { y: 1, x: undefined }], 1);
		client.setQueryData(['a'], 1);
		client.setQueryData(['b', { y: 1 }], 2);
		expect(client.size).toBe(2);
		expect(client.keys()).toEqual([['b', { y: 1 }], ['a']]);
	});
});

describe('remove and app code that reacts to it', () => {
	it('a fetch a listener starts while the entry is being removed keeps the entry (no orphaned request)', () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		let reacted = false;
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe((state) => {
			if (reacted || state.fetchStatus !== 'idle' || state.status !== 'pending' || !call(0).signal.aborted) return;
			reacted = true;
			void client.fetchQuery({ key: ['k'], fetcher });
			stop();
		});
		client.remove(['k']);
		expect(call(1).signal.aborted).toBe(false);
		expect(client.getState(['k'])?.fetchStatus).toBe('fetching');
	});

	it('fetchQuery fetches into the cache’s entry when a listener it woke removed the old one', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'old');
		let armed = false;
		const stop = client.observeQuery(['k']).subscribe((state) => {
			if (armed && state.isStale) {
				stop();
				client.remove(['k']);
			}
		});
		armed = true;
		const { fetcher, call } = controlledFetcher<string>();
		// The stale data it found is gone by the time it would return it: it waits for the fetch.
		const result = client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } });
		call(0).resolve('new');
		await expect(result).resolves.toBe('new');
		expect(client.getQueryData(['k'])).toBe('new');
	});

	it('a removal listener that unsubscribed hears of no more removals', () => {
		const client = new QoraClient();
		client.setQueryData(['a'], 1);
		const removed: unknown[] = [];
		const stop = client._onRemove((parts) => removed.push(parts));
		client.remove(['a']);
		stop();
		client.remove(['b']);
		client.setQueryData(['c'], 3);
		client.clear();
		expect(removed).toEqual([['a']]);
	});

	it('a removal listener that throws neither stops clear() nor escapes onError', () => {
		const errors: unknown[] = [];
		const client = new QoraClient({ onError: (error) => errors.push(error) });
		client.setQueryData(['a'], 1);
		client.setQueryData(['b'], 2);
		client._onRemove(() => {
			throw new Error('listener');
		});
		expect(() => client.clear()).not.toThrow();
		expect(client.size).toBe(0);
		expect(errors).toEqual([expect.objectContaining({ message: 'listener' }), expect.objectContaining({ message: 'listener' })]);
	});
});

describe('dispose', () => {
	it('cancels fetches, drops every entry and timer, and refuses new fetches', async () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<string>();
		const result = client.fetchQuery({ key: ['k'], fetcher });
		client.setQueryData(['other'], 1);
		record(client.watchQuery({ key: ['w'], fetcher: async () => 1, options: { refetchInterval: 1000 } }));
		client.dispose();
		await expect(result).rejects.toBeInstanceOf(CancelledError);
		expect(client.size).toBe(0);
		expect(client.isDisposed).toBe(true);
		expect(vi.getTimerCount()).toBe(0);
		expect(() => client.fetchQuery({ key: ['k'], fetcher })).toThrow(/disposed/);
		client.dispose();
	});

	it('arms no timer when a polling watcher leaves after dispose', async () => {
		const client = new QoraClient();
		const fetcher = async () => 1;
		const fast = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }).subscribe(() => {});
		const slow = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 5000 } }).subscribe(() => {});
		await flush();
		client.dispose();
		fast(); // the shortest interval left: polling would move to 5 s
		expect(vi.getTimerCount()).toBe(0);
		slow();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('a listener that disposes the client during a new watcher’s initialData write stops the fetch from running', async () => {
		const client = new QoraClient();
		client.observeQuery(['k']).subscribe((state) => {
			if (state.data !== undefined) client.dispose();
		});
		const fetcher = vi.fn(async () => 'fetched');
		const stale = { initialData: 'initial', initialDataUpdatedAt: Date.now() - 10 * MINUTE };
		client.watchQuery({ key: ['k'], fetcher, options: stale }).subscribe(() => {});
		await flush();
		expect(client.isDisposed).toBe(true);
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('keeps no entry and no timer from writes and observers that arrive after dispose', () => {
		const client = new QoraClient();
		client.dispose();
		expect(client.setQueryData(['a'], 1)).toBe(1);
		const written = new QoraClient();
		written.setQueryData(['b'], 2);
		client.restoreQueryData(['b'], written.getState(['b']));
		written.dispose();
		const states: unknown[] = [];
		const stop = client.observeQuery(['c']).subscribe((state) => states.push(state));
		expect(states).toEqual([expect.objectContaining({ status: 'pending', fetchStatus: 'idle' })]);
		stop();
		expect(client.size).toBe(0);
		expect(client.getQueryData(['a'])).toBeUndefined();
		expect(vi.getTimerCount()).toBe(0);
	});
});

describe('clear() and removal listeners that change the cache', () => {
	it('does not report a key removed twice when a listener removed and rewrote it', () => {
		const client = new QoraClient();
		client.setQueryData(['a'], 1);
		client.setQueryData(['b'], 1);
		const told: string[] = [];
		client._onRemove((parts) => {
			told.push(JSON.stringify(parts));
			if (parts[0] === 'a') {
				client.remove(['b']);
				client.setQueryData(['b'], 2);
			}
		});
		client.clear();
		expect(told).toEqual(['["a"]', '["b"]']);
		expect(client.getQueryData(['b'])).toBe(2);
	});
});

