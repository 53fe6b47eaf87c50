import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { MINUTE, advance, controlledFetcher, flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

const GC = 5 * MINUTE;

describe('garbage collection: never-watched entries', () => {
	it('an entry filled by fetchQuery is removed gcTime after the fetch settled, not a millisecond before', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const result = client.fetchQuery({ key: ['k'], fetcher });
		await advance(1000);
		call(0).resolve('x');
		await result;
		await advance(GC - 1);
		expect(client.getQueryData(['k'])).toBe('x');
		await advance(1);
		expect(client.getState(['k'])).toBeUndefined();
		expect(client.size).toBe(0);
	});

	it('an entry filled by setQueryData is removed gcTime after it was written', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'x');
		await advance(GC - 1);
		expect(client.size).toBe(1);
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('an invalidation is not a use: the entry is still removed gcTime after it was written', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'x');
		await advance(GC - 1000);
		await client.invalidate(['k']);
		await advance(999);
		expect(client.size).toBe(1);
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('still collects gcTime after a write when the system clock stepped back since the client was created', async () => {
		const client = new QoraClient();
		vi.setSystemTime(Date.now() - 10 * MINUTE); // e.g. an NTP correction
		client.setQueryData(['k'], 'x');
		client.watchQuery({ key: ['w'], fetcher: async () => 'y' }).subscribe(() => {})();
		await advance(GC - 1);
		expect(client.size).toBe(2);
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('still collects gcTime after a write when the clock stepped back a month (past the small-integer range of deadlines)', async () => {
		const client = new QoraClient();
		vi.setSystemTime(Date.now() - 31 * 24 * 60 * MINUTE); // a device clock set ahead, then corrected
		client.setQueryData(['k'], 'x');
		await advance(GC - 1);
		expect(client.size).toBe(1);
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('still collects, within a millisecond of gcTime, after a write when the clock stepped back to exactly where that deadline would read as "never"', async () => {
		const client = new QoraClient();
		vi.setSystemTime(Date.now() - 0x40000000 - GC);
		client.setQueryData(['k'], 'x');
		await advance(GC - 1);
		expect(client.size).toBe(1);
		await advance(2);
		expect(client.size).toBe(0);
	});

	it('a later use with gcTime Infinity drops the removal already scheduled: no timer stays armed', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		expect(vi.getTimerCount()).toBe(1);
		await client.fetchQuery({ key: ['k'], fetcher: async () => 2, options: { gcTime: Infinity, staleTime: Infinity } });
		expect(vi.getTimerCount()).toBe(0);
		await advance(2 * GC);
		expect(client.getQueryData(['k'])).toBe(1);
	});

	it('each write restarts the countdown', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		await advance(MINUTE);
		client.setQueryData(['k'], 2);
		await advance(GC - 1);
		expect(client.getQueryData(['k'])).toBe(2);
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('a failed fetch is collected gcTime after it settled', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		await client.prefetchQuery({
			key: ['k'],
			fetcher: async () => {
				throw new Error('x');
			}
		});
		await advance(GC - 1);
		expect(client.getState(['k'])?.status).toBe('error');
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('is never removed while its fetch is in flight; then gcTime after it settles', async () => {
		const client = new QoraClient({ defaultOptions: { gcTime: 1000 } });
		client.setQueryData(['k'], 'old');
		const { fetcher, call } = controlledFetcher<string>();
		void client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 0, gcTime: 1000 } });
		await advance(5000);
		expect(client.getState(['k'])?.fetchStatus).toBe('fetching');
		call(0).resolve('new');
		await flush();
		await advance(999);
		expect(client.getQueryData(['k'])).toBe('new');
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('uses the gcTime of the query, and gcTime Infinity keeps it forever', async () => {
		const client = new QoraClient();
		await client.fetchQuery({ key: ['short'], fetcher: async () => 1, options: { gcTime: 100 } });
		await client.fetchQuery({ key: ['forever'], fetcher: async () => 1, options: { gcTime: Infinity } });
		await advance(100);
		expect(client.getState(['short'])).toBeUndefined();
		await advance(365 * 24 * 60 * MINUTE);
		expect(client.getQueryData(['forever'])).toBe(1);
	});

	it('a later write with a shorter gcTime brings the removal forward', async () => {
		const client = new QoraClient();
		await client.fetchQuery({ key: ['k'], fetcher: async () => 1, options: { gcTime: 10 * MINUTE } });
		await client.fetchQuery({ key: ['k'], fetcher: async () => 2, options: { gcTime: 1000, staleTime: 0 } });
		await flush();
		await advance(999);
		expect(client.getQueryData(['k'])).toBe(2);
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('a shorter gcTime on a fresh cache hit never keeps the entry longer than the same gcTime would', async () => {
		const client = new QoraClient();
		await client.fetchQuery({ key: ['same'], fetcher: async () => 1, options: { gcTime: 10 * MINUTE } });
		await client.fetchQuery({ key: ['shorter'], fetcher: async () => 1, options: { gcTime: 10 * MINUTE } });
		await advance(9 * MINUTE);
		await client.fetchQuery({ key: ['same'], fetcher: async () => 2, options: { gcTime: 10 * MINUTE, staleTime: Infinity } });
		await client.fetchQuery({ key: ['shorter'], fetcher: async () => 2, options: { gcTime: 3 * MINUTE, staleTime: Infinity } });
		await advance(3 * MINUTE);
		expect(client.keys()).toEqual([['same']]);
		await advance(7 * MINUTE);
		expect(client.size).toBe(0);
	});

	it('a fetchQuery that finds the data fresh is a use: the countdown starts again from it, by its own gcTime', async () => {
		const client = new QoraClient();
		await client.fetchQuery({ key: ['kept'], fetcher: async () => 1 });
		await client.fetchQuery({ key: ['sooner'], fetcher: async () => 1, options: { gcTime: Infinity } });
		await advance(MINUTE);
		// Fresh: neither call fetches, but each is a use of the entry with its own gcTime.
		await client.fetchQuery({ key: ['kept'], fetcher: async () => 2, options: { gcTime: Infinity } });
		await client.prefetchQuery({ key: ['sooner'], fetcher: async () => 2, options: { gcTime: MINUTE } });
		await advance(MINUTE - 1);
		expect(client.keys()).toEqual([['kept'], ['sooner']]);
		await advance(1);
		expect(client.keys()).toEqual([['kept']]);
		await advance(GC);
		expect(client.getQueryData(['kept'])).toBe(1);
	});

	it('gcTime 0 removes the entry on the next timer tick', async () => {
		const client = new QoraClient({ defaultOptions: { gcTime: 0 } });
		client.setQueryData(['k'], 1);
		expect(client.size).toBe(1);
		await advance(0);
		expect(client.size).toBe(0);
	});
});

describe('garbage collection: watched entries', () => {
	it('is never removed while watched, however long', async () => {
		const client = new QoraClient();
		record(client.watchQuery({ key: ['k'], fetcher: async () => 'x' }));
		await advance(10 * GC);
		expect(client.getQueryData(['k'])).toBe('x');
	});

	it('an observed entry is kept as long as it is observed', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'x');
		record(client.observeQuery(['k']));
		await advance(10 * GC);
		expect(client.getQueryData(['k'])).toBe('x');
	});

	it('is removed gcTime after its last watcher left, not a millisecond before', async () => {
		const client = new QoraClient();
		const store = client.watchQuery({ key: ['k'], fetcher: async () => 'x' });
		const a = record(store);
		const b = record(store);
		await advance(2 * GC);
		a.stop();
		await advance(2 * GC);
		expect(client.size).toBe(1);
		b.stop();
		await advance(GC - 1);
		expect(client.getQueryData(['k'])).toBe('x');
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('a watcher coming back before gcTime keeps the entry', async () => {
		const client = new QoraClient();
		const store = client.watchQuery({ key: ['k'], fetcher: async () => 'x' });
		record(store).stop();
		await advance(GC - 1);
		const back = record(store);
		await advance(2 * GC);
		expect(client.getQueryData(['k'])).toBe('x');
		back.stop();
		await advance(GC);
		expect(client.size).toBe(0);
	});

	it('left while fetching: kept until the fetch settles, removed gcTime after the later of leaving and settling', async () => {
		const client = new QoraClient({ defaultOptions: { gcTime: 1000 } });
		const { fetcher, call } = controlledFetcher<string>();
		record(client.watchQuery({ key: ['k'], fetcher })).stop();
		await advance(3000);
		expect(client.getState(['k'])?.fetchStatus).toBe('fetching');
		call(0).resolve('x');
		await flush();
		await advance(999);
		expect(client.getQueryData(['k'])).toBe('x');
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('a removed entry can be fetched again from scratch', async () => {
		const client = new QoraClient({ defaultOptions: { gcTime: 100 } });
		const fetcher = vi.fn(async () => 'x');
		record(client.watchQuery({ key: ['k'], fetcher })).stop();
		await advance(100);
		expect(client.size).toBe(0);
		const again = record(client.watchQuery({ key: ['k'], fetcher }));
		expect(again.phases()).toEqual(['pending/fetching']);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('keeps an entry watched by a watcher that subscribed while told of the staleness another watcher’s leaving changed, after the last one before it left', async () => {
		// A (staleTime 0) and B (staleTime Infinity) watch fresh data: stale by A. A leaves, so the data turns
		// fresh for B, which is told; B's listener leaves and a new watcher C of the key subscribes (a view swapped
		// in its place). C's watch must stand: A's unsubscribe must not end it as it returns.
		const errors: unknown[] = [];
		const client = new QoraClient({ onError: (error) => errors.push(error), defaultOptions: { gcTime: 1000 } });
		client.setQueryData(['k'], 0);
		await advance(1000);
		let n = 0;
		const fetcher = async () => ++n;
		const a = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }));
		await flush();
		let c: ReturnType<typeof record<number>> | null = null;
		let stopB: (() => void) | null = null;
		stopB = client.watchQuery({ key: ['k'], fetcher, options: { staleTime: Infinity } }).subscribe((state) => {
			if (c !== null || state.isStale || n === 0) return;
			stopB?.();
			c = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: Infinity, refetchInterval: 500 } }));
		});
		a.stop();
		expect(c).not.toBeNull();
		await advance(5000);
		expect(errors).toEqual([]);
		// Still watched by C: never collected, and polled every 500 ms.
		expect(client.size).toBe(1);
		expect(n).toBeGreaterThanOrEqual(10);
		expect(c!.last.data).toBe(n);
	});

	it('a fetchQuery answered from a watched entry’s cache starts no gc countdown: no timer while watched, gcTime after leaving', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: async () => 'x' }));
		await flush();
		expect(vi.getTimerCount()).toBe(0);
		await expect(client.fetchQuery({ key: ['k'], fetcher: async () => 'y', options: { gcTime: 1000 } })).resolves.toBe('x');
		expect(vi.getTimerCount()).toBe(0);
		watcher.stop();
		await advance(GC - 1);
		expect(client.getQueryData(['k'])).toBe('x');
		await advance(1);
		expect(client.size).toBe(0);
	});
});

describe('garbage collection: timers', () => {
	it('one platform timer serves every entry', async () => {
		const client = new QoraClient();
		for (let i = 0; i < 200; i++) client.setQueryData(['k', i], i);
		for (let i = 0; i < 20; i++) record(client.watchQuery({ key: ['w', i], fetcher: async () => i })).stop();
		await flush();
		expect(vi.getTimerCount()).toBe(1);
		await advance(GC);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});
});
