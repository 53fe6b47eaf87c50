import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type QoraState } from '../../src/lib/index.js';
import {
	MINUTE,
	T0,
	advance,
	controlledFetcher,
	flush,
	manualFocus,
	phase,
	record,
	useFakeTime
} from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('watchQuery: the store contract', () => {
	it('subscribe calls run at once, before it returns, with the current state', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'cached');
		const seen: QoraState<string>[] = [];
		let returned = false;
		client.watchQuery({ key: ['k'], fetcher: async () => 'x' }).subscribe((state) => {
			expect(returned).toBe(false);
			seen.push(state);
		});
		returned = true;
		expect(seen).toHaveLength(1);
		expect(seen[0]).toMatchObject({ status: 'success', data: 'cached' });
	});

	it('calls run synchronously on every change, with no timer in between', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: async () => 0 }));
		client.setQueryData(['k'], 2);
		expect(watcher.last.data).toBe(2);
		client.setQueryData(['k'], 3);
		expect(watcher.states.map((s) => s.data)).toEqual([1, 2, 3]);
	});

	it('returns an unsubscribe function; after it, run is never called again', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: async () => 0 }));
		expect(typeof watcher.stop).toBe('function');
		watcher.stop();
		client.setQueryData(['k'], 2);
		expect(watcher.states).toHaveLength(1);
	});

	it('unsubscribing twice is harmless and leaves other subscribers alone', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		const store = client.watchQuery({ key: ['k'], fetcher: async () => 0 });
		const a = record(store);
		const b = record(store);
		a.stop();
		a.stop();
		client.setQueryData(['k'], 2);
		expect(b.last.data).toBe(2);
		expect(a.states).toHaveLength(1);
	});

	it('each subscription is independent: one store can be subscribed many times', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		const store = client.watchQuery({ key: ['k'], fetcher: async () => 0 });
		const watchers = [record(store), record(store), record(store)];
		client.setQueryData(['k'], 2);
		expect(watchers.map((w) => w.states.map((s) => s.data))).toEqual([
			[1, 2],
			[1, 2],
			[1, 2]
		]);
	});

	it('validates the key and options at the watchQuery call, not at subscribe', () => {
		const client = new QoraClient();
		expect(() => client.watchQuery({ key: ['k', NaN], fetcher: async () => 0 })).toThrow(TypeError);
		expect(client.size).toBe(0);
	});

	it('a store does nothing until subscribed', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 1);
		client.watchQuery({ key: ['k'], fetcher });
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(client.size).toBe(0);
	});
});

describe('watchQuery: fetching', () => {
	it('the first subscriber fetches when there is no data', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'data');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(phase(watcher.states[0])).toBe('pending/fetching');
		await flush();
		expect(watcher.last).toMatchObject({ status: 'success', data: 'data' });
	});

	it('the first subscriber fetches when the data is stale', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'old');
		await advance(MINUTE);
		const fetcher = vi.fn(async () => 'new');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: MINUTE } }));
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(watcher.states[0]).toMatchObject({ status: 'success', fetchStatus: 'fetching', data: 'old', isRefetching: true });
		await flush();
		expect(watcher.last.data).toBe('new');
	});

	it('does not fetch when the data is fresh', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'cached');
		const fetcher = vi.fn(async () => 'new');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(watcher.phases()).toEqual(['success/idle']);
	});

	it('later subscribers share the fetch of the first', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const store = client.watchQuery({ key: ['k'], fetcher });
		const first = record(store);
		const second = record(store);
		const third = record(client.watchQuery({ key: ['k'], fetcher }));
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(second.phases()).toEqual(['pending/fetching']);
		call(0).resolve('shared');
		await flush();
		for (const watcher of [first, second, third]) expect(watcher.last).toMatchObject({ status: 'success', data: 'shared' });
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('a later subscriber to fresh data does not fetch', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'data');
		const store = client.watchQuery({ key: ['k'], fetcher });
		record(store);
		await flush();
		const late = record(store);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(late.phases()).toEqual(['success/idle']);
	});

	it('a new subscriber to data whose last refetch failed fetches, though the data is fresh by age', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		client.setQueryData(['k'], 'cached');
		// Stale by its own staleTime: fetchQuery answers with the data and refetches in the background.
		await client.fetchQuery({ key: ['k'], fetcher: async () => Promise.reject(new Error('blip')), options: { staleTime: 0 } });
		await flush();
		expect(client.getState(['k'])).toMatchObject({ status: 'error', data: 'cached', isStale: true });
		const fetcher = vi.fn(async () => 'fresh');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(watcher.last).toMatchObject({ status: 'success', data: 'fresh', error: null });
	});

	it('an error view that watches the same key (mounted only on error) does not make the query refetch in a loop', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(() => new Promise<string>((_, reject) => setTimeout(() => reject(new Error('down')), 100)));
		const config = { key: ['k'], fetcher, options: { retry: 0 } };
		let panel: (() => void) | null = null;
		// {#if $q.isError}<ErrorPanel/>{/if}, the panel calling createQuery(config) for the message and a retry
		// button. Svelte applies what the store says in its next update, a microtask later.
		let shown: QoraState<string> | null = null;
		const stop = client.watchQuery(config).subscribe((state) => {
			shown = state;
			queueMicrotask(() => {
				if (shown !== state) return;
				if (state.isError && panel === null) panel = client.watchQuery(config).subscribe(() => {});
				else if (!state.isError && panel !== null) {
					panel();
					panel = null;
				}
			});
		});
		await advance(2000);
		// The failed load, then the panel's mount trying again (its data is stale: it failed); the error stays up meanwhile.
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(shown).toMatchObject({ status: 'error', fetchStatus: 'idle' });
		expect(panel).not.toBeNull();
		stop();
	});

	it('a new subscriber to stale data fetches even while others watch', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 1000 } });
		const fetcher = vi.fn(async () => Date.now() - T0);
		const store = client.watchQuery({ key: ['k'], fetcher });
		record(store);
		await flush();
		await advance(1000);
		record(store);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getQueryData(['k'])).toBe(1000);
	});

	it('with enabled: false it never fetches, but still shows the entry', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'x');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { enabled: false } }));
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(watcher.phases()).toEqual(['pending/idle']);
		client.setQueryData(['k'], 'written');
		expect(watcher.last.data).toBe('written');
	});

	it('with enabled: false it does not fetch on invalidate, focus or polling either', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus });
		client.setQueryData(['k'], 'cached');
		const fetcher = vi.fn(async () => 'x');
		record(client.watchQuery({ key: ['k'], fetcher, options: { enabled: false, staleTime: 0, refetchInterval: 100 } }));
		await client.invalidate(['k']);
		focus.focus();
		await advance(1000);
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('starts from initialData: the first state is success, and fresh initial data is not fetched', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { initialData: 'initial' } }));
		await flush();
		expect(watcher.phases()).toEqual(['success/idle']);
		expect(watcher.states[0]).toMatchObject({ data: 'initial', dataUpdatedAt: T0 });
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('stale initialData is shown at once and refetched', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const watcher = record(
			client.watchQuery({ key: ['k'], fetcher, options: { initialData: () => 'initial', staleTime: 0 } })
		);
		await flush();
		expect(watcher.states.map((s) => [phase(s), s.data])).toEqual([
			['success/fetching', 'initial'],
			['success/idle', 'fetched']
		]);
	});

	it('lets a fetch whose last watcher left run to the end and fill the cache, even when its fetcher read the signal', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		const { signal } = call(0); // read by the fetcher, as fetch(url, { signal }) does
		watcher.stop(); // the component unmounts while its first load is out
		expect(signal.aborted).toBe(false);
		call(0).resolve('loaded');
		await flush();
		expect(signal.aborted).toBe(false);
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'loaded' });
		expect(watcher.states.map(phase)).toEqual(['pending/fetching']);
	});
});

describe('watchQuery: staleness for watchers', () => {
	it('watchers get a new snapshot with isStale: true exactly when the data goes stale', async () => {
		const client = new QoraClient();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: async () => 'x', options: { staleTime: 1000 } }));
		await flush();
		const count = watcher.states.length;
		expect(watcher.last.isStale).toBe(false);
		await advance(999);
		expect(watcher.states).toHaveLength(count);
		await advance(1);
		expect(watcher.states).toHaveLength(count + 1);
		expect(watcher.last).toMatchObject({ isStale: true, status: 'success', fetchStatus: 'idle' });
	});

	it('going stale does not refetch by itself', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'x');
		record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 1000 } }));
		await advance(10_000);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});
});

describe('observeQuery', () => {
	it('emits pending/idle (never undefined) for a key with no entry, and never fetches', async () => {
		const client = new QoraClient();
		const observer = record(client.observeQuery(['unknown']));
		await advance(MINUTE);
		expect(observer.states).toHaveLength(1);
		expect(observer.states[0]).toMatchObject({
			status: 'pending',
			fetchStatus: 'idle',
			data: undefined,
			error: null,
			isPending: true,
			isLoading: false,
			dataUpdatedAt: 0,
			errorUpdatedAt: 0,
			failureCount: 0
		});
	});

	it('follows changes made by others: fetches and writes', async () => {
		const client = new QoraClient();
		const observer = record(client.observeQuery<string>(['k']));
		const { fetcher, call } = controlledFetcher<string>();
		void client.fetchQuery({ key: ['k'], fetcher });
		call(0).resolve('fetched');
		await flush();
		client.setQueryData(['k'], 'written');
		expect(observer.states.map((s) => [phase(s), s.data])).toEqual([
			['pending/idle', undefined],
			['pending/fetching', undefined],
			['success/idle', 'fetched'],
			['success/idle', 'written']
		]);
	});

	it('never fetches: not for stale data, not on invalidate, not on focus', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus, defaultOptions: { staleTime: 0 } });
		const fetcher = vi.fn(async () => 'x');
		await client.fetchQuery({ key: ['k'], fetcher });
		const observer = record(client.observeQuery(['k']));
		await client.invalidate(['k']);
		focus.focus();
		await advance(MINUTE);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(observer.last.isInvalidated).toBe(true);
	});

	it('throws a TypeError for an invalid key at the call', () => {
		const client = new QoraClient();
		expect(() => client.observeQuery(['k', () => 1])).toThrow(TypeError);
	});
});

describe('snapshots', () => {
	it('every change emits a new object; earlier snapshots are left as they were', async () => {
		const client = new QoraClient();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: async () => 'a' }));
		await flush();
		client.setQueryData(['k'], 'b');
		const [loading, loaded, written] = watcher.states;
		expect(new Set(watcher.states).size).toBe(watcher.states.length);
		expect(loading).toMatchObject({ status: 'pending', fetchStatus: 'fetching', data: undefined });
		expect(loaded).toMatchObject({ status: 'success', data: 'a' });
		expect(written).toMatchObject({ status: 'success', data: 'b' });
	});

	it('a watched entry keeps the same snapshot object while nothing changes', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'x');
		const watcher = record(client.observeQuery(['k']));
		const first = client.getState(['k']);
		expect(first).toBe(watcher.last);
		await advance(1000);
		expect(client.getState(['k'])).toBe(first);
		expect(watcher.states).toHaveLength(1);
		client.setQueryData(['k'], 'y');
		const second = client.getState(['k']);
		expect(second).not.toBe(first);
		expect(second).toBe(watcher.last);
		expect(first?.data).toBe('x');
	});

	it('getState of an unwatched entry gives equal snapshots while nothing changes, and a changed one after a write', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'x');
		const first = client.getState(['k']);
		await advance(1000);
		expect(client.getState(['k'])).toEqual(first);
		client.setQueryData(['k'], 'y');
		expect(client.getState(['k'])?.data).toBe('y');
		expect(first?.data).toBe('x');
	});

	it('the snapshot a watcher gets is the one getState returns', async () => {
		const client = new QoraClient();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: async () => 'a' }));
		await flush();
		expect(client.getState(['k'])).toBe(watcher.last);
	});

	it('an action that changes nothing emits nothing', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'x');
		const observer = record(client.observeQuery(['k']));
		await client.invalidate(['k']);
		await client.invalidate(['k']);
		client.cancel(['k']);
		await flush();
		expect(observer.states.map((s) => s.isInvalidated)).toEqual([false, true]);
	});

	it('a listener that writes to the cache leaves every listener on the newest state', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 0);
		const store = client.observeQuery<number>(['k']);
		const first = record(store);
		let bumped = false;
		store.subscribe((state) => {
			if (state.data === 1 && !bumped) {
				bumped = true;
				client.setQueryData(['k'], 2);
			}
		});
		const last = record(store);
		client.setQueryData(['k'], 1);
		expect(first.last.data).toBe(2);
		expect(last.last.data).toBe(2);
		expect(last.states.map((s) => s.data)).not.toContain(undefined);
		expect(client.getQueryData(['k'])).toBe(2);
	});
});

describe('_holdFetches (qora/sveltekit, while a streamed payload applies)', () => {
	it('a watcher subscribing during the hold fetches at the release, if its data is still stale', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const release = client._holdFetches();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		expect(watcher.phases()).toEqual(['pending/idle']);
		expect(fetcher).not.toHaveBeenCalled();
		release();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(watcher.last).toMatchObject({ status: 'success', data: 'fetched' });
		release(); // a release counts once
		expect(fetcher).toHaveBeenCalledTimes(1);
		watcher.stop();
	});

	it('does not fetch at the release what arrived during the hold', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const release = client._holdFetches();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		client.setQueryData(['k'], 'from the payload');
		release();
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(watcher.last).toMatchObject({ status: 'success', data: 'from the payload' });
		watcher.stop();
	});

	it('judges staleness by the held subscribers’ own staleTime, and skips entries nobody watches any more', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: MINUTE } });
		client.setQueryData(['fresh'], 1);
		client.setQueryData(['strict'], 1);
		const fetcher = vi.fn(async () => 2);
		const release = client._holdFetches();
		const fresh = record(client.watchQuery({ key: ['fresh'], fetcher }));
		const strict = record(client.watchQuery({ key: ['strict'], fetcher, options: { staleTime: 0 } }));
		const gone = record(client.watchQuery({ key: ['gone'], fetcher }));
		gone.stop();
		release();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(strict.last).toMatchObject({ data: 2 });
		expect(fresh.last).toMatchObject({ data: 1 });
		fresh.stop();
		strict.stop();
	});

	it('does not fetch at the release for a key only a state-only store still watches', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const release = client._holdFetches();
		const query = record(client.watchQuery({ key: ['k'], fetcher }));
		const observer = record(client.observeQuery<string>(['k']));
		query.stop();
		release();
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(observer.last).toMatchObject({ status: 'pending', fetchStatus: 'idle' });
		observer.stop();
	});

	it('a release called twice counts once: another hold still holds', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const first = client._holdFetches();
		first();
		client._holdFetches();
		first();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		watcher.stop();
	});

	it('nested holds release at the last release', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const first = client._holdFetches();
		const second = client._holdFetches();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		first();
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		second();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		watcher.stop();
	});
});

describe('_holdFetches and a watcher that turns enabled', () => {
	it('holds the fetch of a watcher turned enabled during the hold, as it holds one that subscribes', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const states: QoraState<string>[] = [];
		const watcher = client._watch<string>({ key: ['h'], fetcher, options: { enabled: false } }, (state) => states.push(state));
		const release = client._holdFetches();
		watcher.update({ key: ['h'], fetcher, options: { enabled: true } });
		client.setQueryData(['h'], 'from the streamed payload');
		release();
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(states.at(-1)).toMatchObject({ data: 'from the streamed payload' });
		watcher.stop();
	});
});

describe('_holdFetches and removal', () => {
	it.each([
		['remove', (client: QoraClient) => client.remove(['k'])],
		['clear', (client: QoraClient) => client.clear()],
		['cancel', (client: QoraClient) => client.cancel(['k'])]
	])('a fetch held back is dropped by %s, as a fetch under way would be cancelled', async (_name, drop) => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'x');
		const release = client._holdFetches();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		drop(client);
		release();
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		watcher.stop();
	});
});
