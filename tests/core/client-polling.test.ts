import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type FetchContext, type QoraState } from '../../src/lib/index.js';
import { MINUTE, SECOND, T0, advance, controlledFetcher, flush, keepAliveRecordingClock, record, steppableClock, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

function timedFetcher() {
	const times: number[] = [];
	const fetcher = vi.fn(async (_: FetchContext) => {
		times.push(Date.now() - T0);
		return times.length;
	});
	return { fetcher, times };
}

describe('polling (refetchInterval)', () => {
	it('polls at most once per millisecond: a sub-millisecond interval does not spin', async () => {
		const client = new QoraClient();
		const { fetcher } = timedFetcher();
		const stop = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 0.0001 } }).subscribe(() => {});
		await advance(5);
		expect(fetcher.mock.calls.length).toBeGreaterThan(1);
		expect(fetcher.mock.calls.length).toBeLessThanOrEqual(6);
		stop();
	});

	it('does not poll with an interval of 0 or false (off, as the options table says)', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		const zero = record(client.watchQuery({ key: ['zero'], fetcher, options: { refetchInterval: 0, staleTime: Infinity } }));
		const off = record(client.watchQuery({ key: ['off'], fetcher, options: { refetchInterval: false, staleTime: Infinity } }));
		await advance(10 * MINUTE);
		expect(times).toEqual([0, 0]);
		expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
		zero.stop();
		off.stop();
	});

	it('refetches a watched query every interval, even while its data is fresh', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		await advance(3500);
		expect(times).toEqual([0, 1000, 2000, 3000]);
		expect(watcher.last.data).toBe(4);
	});

	it('stops when the last watcher unsubscribes', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		await advance(2500);
		watcher.stop();
		await advance(10_000);
		expect(times).toEqual([0, 1000, 2000]);
	});

	it('resumes when watched again', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		const store = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000, staleTime: Infinity } });
		record(store).stop();
		await advance(5000);
		record(store);
		await advance(2000);
		expect(times).toEqual([0, 6000, 7000]);
	});

	it('does not poll a query filled by fetchQuery and never watched', async () => {
		const client = new QoraClient();
		const { fetcher } = timedFetcher();
		await client.fetchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } });
		await advance(10_000);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('does not poll with enabled: false', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 0);
		const { fetcher } = timedFetcher();
		record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000, enabled: false } }));
		await advance(10_000);
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('stops when only watchers with enabled: false remain, whatever interval they ask for', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const { fetcher, times } = timedFetcher();
		const polling = record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 500, enabled: false } }));
		await advance(1500);
		polling.stop();
		await advance(10_000);
		expect(times).toEqual([0, 1000]);
	});

	it('drops its timer when no watcher asks for polling any more', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const { fetcher } = timedFetcher();
		const polling = record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		expect(vi.getTimerCount()).toBe(1);
		polling.stop();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('is off by default and with refetchInterval false or 0', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const intervals: (number | false | undefined)[] = [undefined, false, 0];
		for (const [i, refetchInterval] of intervals.entries()) {
			const { fetcher } = timedFetcher();
			record(client.watchQuery({ key: ['k', i], fetcher, options: refetchInterval === undefined ? {} : { refetchInterval } }));
			await advance(60_000);
			expect(fetcher).toHaveBeenCalledTimes(1);
		}
	});

	it('does not start a second fetch while one is still in flight', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<number>();
		record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		await advance(3000);
		expect(fetcher).toHaveBeenCalledTimes(1);
		call(0).resolve(1);
		await flush();
		await advance(1000);
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('several watchers of one key poll once per interval, not once per watcher', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		const store = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } });
		record(store);
		record(store);
		record(store);
		await advance(2500);
		expect(times).toEqual([0, 1000, 2000]);
	});

	it('keeps polling while a watcher that asked for it is subscribed, whatever other watchers of the key ask', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const { fetcher, times } = timedFetcher();
		record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		await advance(1500);
		// another component shows the same query without polling
		record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(3000);
		expect(times).toEqual([0, 1000, 2000, 3000, 4000]);
	});

	it('polls at the shortest interval any watcher asks for, and falls back when that watcher leaves', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const { fetcher, times } = timedFetcher();
		record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 3000 } }));
		const fast = record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		await advance(2500);
		expect(times).toEqual([0, 1000, 2000]);
		fast.stop();
		await advance(6500);
		expect(times).toEqual([0, 1000, 2000, 5500, 8500]);
	});

	it('starts polling when a watcher asking for it joins a key already watched without polling', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const { fetcher, times } = timedFetcher();
		record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(500);
		record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		await advance(2000);
		expect(times).toEqual([0, 1500, 2500]);
	});

	it('keeps polling a watched query after a fetchQuery for the same key without refetchInterval', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000, staleTime: 0 } }));
		await advance(1500);
		// e.g. a load function prefetching the same query on navigation
		await client.prefetchQuery({ key: ['k'], fetcher });
		await advance(3000);
		// the prefetch itself finds the data fresh (its own staleTime is 5 min); the period goes on
		expect(times).toEqual([0, 1000, 2000, 3000, 4000]);
	});
});

describe('a watch that ends while told of its poll', () => {
	it('leaves no poll behind: a watcher that re-subscribes then polls on its own rhythm, with no extra fetch', async () => {
		const client = new QoraClient();
		const times: number[] = [];
		const fetcher = vi.fn(async () => times.push(Date.now() - T0));
		const store = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000, staleTime: Infinity } });
		let stop: () => void = () => {};
		let remounted = false;
		const listener = (state: QoraState<number>) => {
			// A component that remounts when its query starts fetching.
			if (times.length > 0 && state.isFetching && !remounted) {
				remounted = true;
				stop();
				stop = store.subscribe(listener);
			}
		};
		stop = store.subscribe(listener);
		await flush();
		await advance(1500);
		expect(remounted).toBe(true);
		expect(times).toEqual([0, 1000]);
		await advance(1000);
		expect(times).toEqual([0, 1000, 2000]);
		stop();
	});
});

describe('when the wall clock steps back (an NTP correction, a user changing the time)', () => {
	it('polling keeps its period', async () => {
		const { clock, step } = steppableClock();
		const client = new QoraClient({ clock });
		const fetcher = vi.fn(async () => 1);
		record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		await advance(1000);
		expect(fetcher).toHaveBeenCalledTimes(2);
		step(-60_000);
		await advance(3000);
		expect(fetcher).toHaveBeenCalledTimes(5);
		client.dispose();
	});


	it('polling keeps its period when a staleness deadline comes before the next poll', async () => {
		const { clock, step } = steppableClock();
		const client = new QoraClient({ clock });
		const fetcher = vi.fn(async () => 1);
		record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000, staleTime: 500 } }));
		await flush();
		await advance(100);
		step(-60_000);
		await advance(3000);
		expect(fetcher).toHaveBeenCalledTimes(4);
		client.dispose();
	});

	it.each([
		['alone', false],
		['when another entry’s gc deadline comes first', true]
	])('a retry waits its backoff, not the backoff plus the step (%s)', async (_, otherDeadline) => {
		const { clock, step } = steppableClock();
		const client = new QoraClient({ clock, defaultOptions: { gcTime: 500, retryDelay: 1000 } });
		if (otherDeadline) client.setQueryData(['other'], 1);
		const fetcher = vi.fn(async () => (fetcher.mock.calls.length === 1 ? Promise.reject(new Error('blip')) : 'ok'));
		const result = client.fetchQuery({ key: ['k'], fetcher });
		await flush();
		step(-60_000);
		await advance(1000);
		expect(fetcher).toHaveBeenCalledTimes(2);
		await expect(result).resolves.toBe('ok');
		client.dispose();
	});

	it('the staleness re-check does not spin when the clock steps forward again while the timer’s tasks run', async () => {
		const { clock, step } = steppableClock();
		let reads = 0;
		const guarded = {
			...clock,
			now: () => {
				if (++reads > 10_000) throw new Error('spinning'); // ends a spin (reported to onError)
				return clock.now();
			}
		};
		const errors: unknown[] = [];
		const client = new QoraClient({ clock: guarded, onError: (error) => errors.push(error) });
		let polls = 0;
		const poller = async () => (++polls === 2 && step(10_000), 1);
		record(client.watchQuery({ key: ['p'], fetcher: poller, options: { refetchInterval: 1000, staleTime: Infinity } }));
		record(client.watchQuery({ key: ['a'], fetcher: async () => 1, options: { staleTime: 1000 } }));
		await flush();
		step(-5000);
		reads = 0;
		await advance(1000);
		expect(errors).toEqual([]);
		expect(reads).toBeLessThan(200);
		client.dispose();
	});

	it('data still turns stale for watchers by the clock: not early, and they hear of it when it does', async () => {
		const { clock, step } = steppableClock();
		const client = new QoraClient({ clock, defaultOptions: { staleTime: 10_000 } });
		client.setQueryData(['k'], 'a');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: async () => 'b', options: { enabled: false } }));
		step(-5000);
		await advance(10_000);
		expect(watcher.last?.isStale).toBe(false);
		await advance(5000);
		expect(watcher.last?.isStale).toBe(true);
		client.dispose();
	});

	it('keeps telling watchers when data turns stale when the clock steps back after the data had gone stale', async () => {
		// A list turned stale, then NTP set the clock back: by the wall clock it is fresh again for a while.
		const { clock, step } = steppableClock();
		const client = new QoraClient({ clock, defaultOptions: { staleTime: 10_000 } });
		const fetcher = vi.fn(async () => 'list');
		const header = record(client.watchQuery({ key: ['todos'], fetcher }));
		await advance(11_000);
		expect(header.last.isStale).toBe(true);
		step(-5000); // the data is 6 s old by the clock now
		// A page showing the same list mounts: fresh by the clock, so it does not fetch.
		const page = record(client.watchQuery({ key: ['todos'], fetcher }));
		expect(page.last.isStale).toBe(false);
		await advance(60_000);
		expect(client.getState(['todos'])?.isStale).toBe(true);
		expect(page.last.isStale).toBe(true); // stayed false for good: nothing was left to flip it
		client.dispose();
	});
});

describe('when the wall clock steps forward (a laptop waking, an NTP correction)', () => {
	it('a retry waits only its backoff, not for a timer armed earlier for a later deadline', async () => {
		const { clock, step } = steppableClock();
		const client = new QoraClient({ clock, defaultOptions: { retryDelay: 1000 } });
		client.setQueryData(['other'], 1); // its gc deadline arms a 5-minute timer
		step(3_600_000);
		const fetcher = vi.fn(async () => (fetcher.mock.calls.length === 1 ? Promise.reject(new Error('blip')) : 'ok'));
		const result = client.fetchQuery({ key: ['k'], fetcher });
		await flush();
		await advance(1000);
		expect(fetcher).toHaveBeenCalledTimes(2);
		await expect(result).resolves.toBe('ok');
		client.dispose();
	});

	it('polling keeps its period (the step hurries nothing)', async () => {
		const { clock, step } = steppableClock();
		const client = new QoraClient({ clock });
		const fetcher = vi.fn(async () => 1);
		record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10_000 } }));
		await advance(1000);
		step(3_600_000);
		client.setQueryData(['other'], 1);
		await advance(8_999);
		expect(fetcher).toHaveBeenCalledTimes(1);
		await advance(1);
		expect(fetcher).toHaveBeenCalledTimes(2);
		client.dispose();
	});
});

describe('tiny staleTime and gcTime', () => {
	it('a fraction of a millisecond neither spins the scheduler nor leaves data fresh', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: async () => 2, options: { staleTime: 1e-6, gcTime: 1e-6, enabled: false } }));
		await flush();
		await advance(1);
		expect(watcher.last?.isStale).toBe(true);
		watcher.stop();
		await advance(1);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
		client.dispose();
	});
});

describe('polling ends with the last watcher that asked for it', () => {
	it('a polling watcher that leaves when told of a poll’s fetch leaves no poll behind, though the watch goes on', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		const options = { staleTime: Infinity, gcTime: Infinity };
		const store = client.watchQuery({ key: ['k'], fetcher, options: { ...options, refetchInterval: 1000 } });
		const other = client.watchQuery({ key: ['k'], fetcher, options }).subscribe(() => {});
		let polled = false;
		const stop = store.subscribe((state) => {
			if (polled && state.fetchStatus === 'fetching') stop();
		});
		await flush();
		polled = true;
		await advance(1000);
		expect(times).toEqual([0, 1000]);
		// Nothing is due any more: no poll to run, and no timer to hold a Node process open.
		expect(vi.getTimerCount()).toBe(0);
		await advance(10_000);
		expect(times).toEqual([0, 1000]);
		other();
	});

	it('keeps a Node process alive while it polls, like setInterval', async () => {
		const { clock, armed } = keepAliveRecordingClock();
		const client = new QoraClient({ clock });
		const { fetcher } = timedFetcher();
		const stop = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000, staleTime: Infinity, gcTime: Infinity } }).subscribe(() => {});
		await flush();
		expect(armed()).toEqual([true]);
		stop();
		expect(armed()).toEqual([]);
		client.dispose();
	});
});

describe('polling keeps its rhythm while the shortest interval stays the same', () => {
	it('a second watcher polling at the same interval does not restart the countdown', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		const first = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10 * SECOND } }).subscribe(() => {});
		await advance(6 * SECOND);
		const second = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10 * SECOND, staleTime: MINUTE } }).subscribe(() => {});
		await advance(15 * SECOND);
		expect(times).toEqual([0, 10 * SECOND, 20 * SECOND]);
		first();
		second();
	});

	it('a watcher polling at the same interval leaving does not restart the countdown either', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		const first = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10 * SECOND } }).subscribe(() => {});
		const second = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10 * SECOND } }).subscribe(() => {});
		await advance(6 * SECOND);
		second();
		await advance(15 * SECOND);
		expect(times).toEqual([0, 10 * SECOND, 20 * SECOND]);
		first();
	});
});

describe('a watcher polling faster that comes and goes', () => {
	it('does not keep the slower poller from polling: a tooltip polling every 5 s, shown for 1 s every 20 s, leaves the list’s 30 s polling going', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const { fetcher, times } = timedFetcher();
		const list = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 30 * SECOND } }).subscribe(() => {});
		for (let shown = 0; shown < 6; shown++) {
			await advance(19 * SECOND);
			const tooltip = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 5 * SECOND } }).subscribe(() => {});
			await advance(SECOND);
			tooltip();
		}
		// 120 s: the list asked for a poll at least every 30 s, whatever came and went meanwhile.
		const gaps = times.slice(1).map((at, i) => at - (times[i] as number));
		expect(times.length).toBeGreaterThanOrEqual(5);
		expect(Math.max(...gaps, 120 * SECOND - (times.at(-1) as number))).toBeLessThanOrEqual(30 * SECOND);
		list();
	});

	it('keeps the rhythm a faster poller found when it leaves before polling, also when that rhythm was itself brought forward by a poller that joined a slower one', async () => {
		// A list polls every 300 s; a panel polling every 100 s opens at 1 s, so the next poll is due at 101 s.
		// A tooltip polling every 5 s is shown from 98 s to 99 s, too briefly to poll: the panel's poll must still
		// come at 101 s, not 100 s after the tooltip left (199 s), which left the panel 198 s without a poll.
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const { fetcher, times } = timedFetcher();
		const list = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 300 * SECOND } }).subscribe(() => {});
		await advance(SECOND);
		const panel = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 100 * SECOND } }).subscribe(() => {});
		await advance(97 * SECOND);
		const tooltip = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 5 * SECOND } }).subscribe(() => {});
		await advance(SECOND);
		tooltip();
		await advance(3 * SECOND);
		expect(times).toEqual([0, 101 * SECOND]);
		panel();
		list();
	});

	it('keeps its bookkeeping bounded when a faster poller comes and goes many times within one slow interval', async () => {
		// A list polls hourly; a tooltip polling every 5 s is shown for 100 ms, 1,000 times, never long enough to poll.
		// Each showing remembers the list's due, and its hiding must forget it: not one scheduler task per hover until the hourly poll.
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const fetcher = vi.fn(async () => 1);
		const list = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 60 * MINUTE } }).subscribe(() => {});
		await advance(SECOND);
		const tasks = client._scheduler.size;
		for (let shown = 0; shown < 1000; shown++) {
			const tooltip = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 5 * SECOND } }).subscribe(() => {});
			await advance(100);
			tooltip();
			await advance(100);
		}
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client._scheduler.size).toBe(tasks);
		// And the list's rhythm is kept: its poll comes at 60 min.
		await advance(60 * MINUTE - SECOND - 200 * SECOND);
		expect(fetcher).toHaveBeenCalledTimes(2);
		list();
	});

	it('joining does not put off the poll already due: the slower poller still polls on time', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
		const { fetcher, times } = timedFetcher();
		const slow = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10 * SECOND } }).subscribe(() => {});
		await advance(9 * SECOND);
		const fast = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 5 * SECOND } }).subscribe(() => {});
		await advance(SECOND);
		expect(times).toEqual([0, 10 * SECOND]);
		await advance(5 * SECOND);
		expect(times).toEqual([0, 10 * SECOND, 15 * SECOND]);
		fast();
		slow();
	});
});
