// Several watchers of one key asking for different options: the entry honours
// the most demanding staleness, the longest gcTime, and each watcher's own
// refetch triggers; it goes back when a watcher leaves.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { MINUTE, advance, counter, flush, manualFocus, record, useFakeTime } from './helpers.js';
import { unhandledRejectionsDuring } from '../ssr/unhandled-rejections.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('staleTime across watchers', () => {
	it('a watcher with a longer staleTime arriving later does not make the data fresh for the earlier one', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const strict = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: MINUTE } }));
		await flush();
		record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 10 * MINUTE } }));
		await advance(MINUTE);
		expect(strict.last.isStale).toBe(true);
		expect(client.getState(['k'])?.isStale).toBe(true);
	});

	it('when the watcher with the shortest staleTime leaves, the data is fresh again for the rest, and they hear of it', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const strict = client.watchQuery({ key: ['k'], fetcher, options: { staleTime: MINUTE } }).subscribe(() => {});
		await flush();
		const lenient = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 10 * MINUTE } }));
		await advance(2 * MINUTE);
		expect(lenient.last.isStale).toBe(true);
		const emissions = lenient.states.length;
		strict();
		expect(lenient.states.length).toBe(emissions + 1);
		expect(lenient.last.isStale).toBe(false);
		await advance(8 * MINUTE);
		expect(lenient.last.isStale).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('a watcher subscribing fetches when the data is stale by its own staleTime', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 10 * MINUTE } }));
		await advance(2 * MINUTE);
		record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: MINUTE } }));
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('a watcher subscribing does not fetch when the data is fresh by its own staleTime, though stale for another watcher', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: MINUTE } }));
		await advance(2 * MINUTE);
		const lenient = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 10 * MINUTE } }));
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(lenient.last.isStale).toBe(true); // stale for the entry, whose strictest watcher decides
	});

	it('a disabled watcher does not change the staleness that the enabled ones decide', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const enabled = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: MINUTE } }));
		await flush();
		record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: Infinity, enabled: false } }));
		await advance(MINUTE);
		expect(enabled.last.isStale).toBe(true);
	});
});

describe('gcTime across watchers', () => {
	it.each([
		['the longer one leaves first', true],
		['the shorter one leaves first', false]
	])('an entry outlives its watchers by the longest gcTime any of them asked for (%s)', async (_, longFirst) => {
		const client = new QoraClient();
		const fetcher = counter();
		const long = client.watchQuery({ key: ['k'], fetcher, options: { gcTime: 10 * MINUTE } }).subscribe(() => {});
		const short = client.watchQuery({ key: ['k'], fetcher, options: { gcTime: MINUTE } }).subscribe(() => {});
		await flush();
		if (longFirst) {
			long();
			short();
		} else {
			short();
			long();
		}
		await advance(10 * MINUTE - 1);
		expect(client.getQueryData(['k'])).toBe(1);
		await advance(1);
		expect(client.size).toBe(0);
	});
});

describe('refetch on focus across watchers', () => {
	it('a watcher that asks for it gets a refetch on focus, though a newer watcher opted out', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus });
		const fetcher = counter();
		record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }));
		await flush();
		record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0, refetchOnFocus: false } }));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2); // the newer watcher's own fetch on subscribe
		focus.focus();
		expect(fetcher).toHaveBeenCalledTimes(3);
	});

	it('no refetch on focus when the only watcher asking for it finds the data fresh by its own staleTime', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus });
		const fetcher = counter();
		record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 10 * MINUTE } }));
		record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0, refetchOnFocus: false } }));
		await advance(MINUTE);
		focus.focus();
		expect(fetcher).toHaveBeenCalledTimes(1);
	});
});

describe('the fetcher of an entry with several watchers', () => {
	it('is the newest enabled watcher’s, and when that one leaves, the newest of those left', async () => {
		const client = new QoraClient();
		const first = vi.fn(async () => 'first');
		const second = vi.fn(async () => 'second');
		client.watchQuery({ key: ['k'], fetcher: first }).subscribe(() => {});
		await flush();
		const stopSecond = client.watchQuery({ key: ['k'], fetcher: second }).subscribe(() => {});
		await client.invalidate(['k']);
		expect(second).toHaveBeenCalledTimes(1);
		stopSecond();
		await client.invalidate(['k']);
		expect(first).toHaveBeenCalledTimes(2);
		expect(second).toHaveBeenCalledTimes(1);
	});

	it('follows the watchers the same way when their staleTimes differ', async () => {
		const client = new QoraClient();
		const first = vi.fn(async () => 'first');
		const second = vi.fn(async () => 'second');
		client.watchQuery({ key: ['k'], fetcher: first, options: { staleTime: MINUTE } }).subscribe(() => {});
		await flush();
		const stopSecond = client.watchQuery({ key: ['k'], fetcher: second, options: { staleTime: 10 * MINUTE } }).subscribe(() => {});
		stopSecond();
		await client.invalidate(['k']);
		expect(first).toHaveBeenCalledTimes(2);
		expect(second).not.toHaveBeenCalled();
	});
});

describe('a fetch in flight follows the watchers as they change', () => {
	const failing = () =>
		vi.fn(async () => {
			throw new Error('503');
		});

	it('retries by the watcher left once the one that started it has gone', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 0);
		const fetcher = failing();
		// Fresh by this watcher's staleTime: no fetch; it wants no retries.
		const stopCalm = client.watchQuery({ key: ['k'], fetcher, options: { retry: 0, staleTime: Infinity } }).subscribe(() => {});
		const stopEager = client.watchQuery({ key: ['k'], fetcher, options: { retry: 3, retryDelay: 10, staleTime: 0 } }).subscribe(() => {});
		expect(fetcher).toHaveBeenCalledTimes(1);
		stopEager();
		await advance(1000);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getState(['k'])).toMatchObject({ status: 'error', fetchStatus: 'idle' });
		stopCalm();
	});

	it('stops retrying once its watcher is given retry: 0 (createQuery’s config store)', async () => {
		const client = new QoraClient();
		const fetcher = failing();
		const watch = client._watch({ key: ['k'], fetcher, options: { retry: 3, retryDelay: 100 } }, () => {});
		await flush();
		watch.update({ key: ['k'], fetcher, options: { retry: 0, retryDelay: 100 } });
		await advance(10_000);
		// The retry decided before the update still goes out; its failure is not retried.
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getState(['k'])).toMatchObject({ status: 'error', failureCount: 2 });
		watch.stop();
	});

	it('retries with the fetcher of the newest watcher, not the one of a watcher that left', async () => {
		const client = new QoraClient();
		const first = vi.fn(async () => 'first');
		const leaving = failing();
		client.setQueryData(['k'], 'cached');
		const stopFirst = client.watchQuery({ key: ['k'], fetcher: first, options: { staleTime: Infinity } }).subscribe(() => {});
		const stopLeaving = client.watchQuery({ key: ['k'], fetcher: leaving, options: { staleTime: 0, retryDelay: 10 } }).subscribe(() => {});
		expect(leaving).toHaveBeenCalledTimes(1);
		stopLeaving();
		await advance(1000); // the first failure's retry, by the remaining watcher's default delay
		expect(leaving).toHaveBeenCalledTimes(1);
		expect(first).toHaveBeenCalledTimes(1);
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'first' });
		stopFirst();
	});
});

describe('fetchQuery on an entry no enabled watcher configures', () => {
	it('moves the staleness deadline its options set, and the observers hear of it', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		const observer = record(client.observeQuery(['k']));
		expect(observer.last.isStale).toBe(false); // the default staleTime is 5 minutes
		await client.fetchQuery({ key: ['k'], fetcher: async () => 2, options: { staleTime: 1000 } });
		await advance(1000);
		expect(client.getState(['k'])?.isStale).toBe(true);
		expect(observer.last).toBe(client.getState(['k']));
	});
});

describe('initialData that throws', () => {
	it('leaves the cache as it was: no entry for a new key, from a watcher or from fetchQuery', () => {
		const client = new QoraClient();
		const initialData = () => {
			throw new Error('no seed');
		};
		expect(() => client.watchQuery({ key: ['w'], fetcher: async () => 1, options: { initialData } }).subscribe(() => {})).toThrow('no seed');
		expect(() => client.fetchQuery({ key: ['f'], fetcher: async () => 1, options: { initialData } })).toThrow('no seed');
		expect(client.size).toBe(0);
	});

	it('leaves an existing entry to be collected on time', async () => {
		const client = new QoraClient({ defaultOptions: { gcTime: 1000, retry: false } });
		await client.prefetchQuery({
			key: ['k'],
			fetcher: async () => {
				throw new Error('down');
			}
		});
		const initialData = () => {
			throw new Error('no seed');
		};
		expect(() => client.watchQuery({ key: ['k'], fetcher: async () => 1, options: { initialData } }).subscribe(() => {})).toThrow('no seed');
		await advance(1000);
		expect(client.size).toBe(0);
	});
});

describe('initialData that is a promise (an async function, from JavaScript)', () => {
	it('is refused with a TypeError, and the cache is left as it was: stored, the promise would show as fresh data', () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const asyncSeed = (async () => 'seed') as unknown as () => string;
		const promiseSeed = Promise.resolve('seed') as unknown as string;
		for (const initialData of [asyncSeed, promiseSeed]) {
			expect(() => client.watchQuery({ key: ['w'], fetcher, options: { initialData } }).subscribe(() => {})).toThrow(
				/^watchQuery: initialData is a promise: pass the data itself, or let the fetcher load it$/
			);
			expect(() => client.fetchQuery({ key: ['f'], fetcher, options: { initialData } })).toThrow(/^fetchQuery: initialData is a promise/);
		}
		expect(client.size).toBe(0);
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('refuses a promise given as initialData (initialData: fetchSeed()) when the store is made, as other bad options are, not at its first subscribe', async () => {
		vi.useRealTimers();
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const pending = new Promise<string>(() => {}) as unknown as string;
		const failing = Promise.reject(new Error('seed lookup failed')) as unknown as string;
		const unhandled = await unhandledRejectionsDuring(() => {
			for (const initialData of [pending, failing]) {
				expect(() => client.watchQuery({ key: ['w'], fetcher, options: { initialData } })).toThrow(
					/^watchQuery: initialData is a promise: pass the data itself, or let the fetcher load it$/
				);
				expect(() => client.prefetchQuery({ key: ['p'], fetcher, options: { initialData } })).toThrow(/^prefetchQuery: initialData is a promise/);
			}
		});
		expect({ unhandled: unhandled.map(String), size: client.size }).toEqual({ unhandled: [], size: 0 });
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('keeps the TypeError the only error when the refused async initialData rejects (no unhandled rejection beside it)', async () => {
		vi.useRealTimers();
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const initialData = (async () => {
			throw new Error('seed lookup failed');
		}) as unknown as () => string;
		const unhandled = await unhandledRejectionsDuring(() => {
			expect(() => client.fetchQuery({ key: ['f'], fetcher, options: { initialData } })).toThrow(/^fetchQuery: initialData is a promise/);
			expect(() => client.watchQuery({ key: ['w'], fetcher, options: { initialData } }).subscribe(() => {})).toThrow(/^watchQuery: initialData is a promise/);
		});
		expect({ unhandled: unhandled.map(String), size: client.size }).toEqual({ unhandled: [], size: 0 });
	});
});

describe('initialDataUpdatedAt that returns a promise (an async function, from JavaScript)', () => {
	it('keeps the TypeError saying it is a promise, and the only error when that promise rejects (no "returned {}", no unhandled rejection beside it)', async () => {
		vi.useRealTimers();
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const initialDataUpdatedAt = (async () => {
			throw new Error('timestamp lookup failed');
		}) as unknown as () => number;
		const options = { initialData: 'seed', initialDataUpdatedAt };
		const unhandled = await unhandledRejectionsDuring(() => {
			expect(() => client.fetchQuery({ key: ['f'], fetcher, options })).toThrow(/^fetchQuery: initialDataUpdatedAt\(\) returned a promise/);
			expect(() => client.watchQuery({ key: ['w'], fetcher, options }).subscribe(() => {})).toThrow(/^watchQuery: initialDataUpdatedAt\(\) returned a promise/);
		});
		expect({ unhandled: unhandled.map(String), size: client.size }).toEqual({ unhandled: [], size: 0 });
		expect(fetcher).not.toHaveBeenCalled();
	});
});

describe('after dispose', () => {
	it('a watcher leaving tells the others nothing more', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const strict = client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }).subscribe(() => {});
		await flush();
		const lenient = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 10 * MINUTE } }));
		await advance(10);
		const emissions = lenient.states.length;
		client.dispose();
		strict();
		expect(lenient.states.length).toBe(emissions);
	});
});

describe('the watchers left decide, whichever leave', () => {
	it('the fetcher is that of the newest watcher still subscribed, also after watchers in the middle left', async () => {
		const client = new QoraClient();
		const fetchers = ['x', 'a', 'b', 'c'].map((name) => vi.fn(async () => name));
		const stops = fetchers.map((fetcher) => client.watchQuery({ key: ['k'], fetcher }).subscribe(() => {}));
		await flush();
		const [, stopA, stopB, stopC] = stops as [() => void, () => void, () => void, () => void];
		stopB();
		stopA();
		stopC();
		await client.invalidate(['k']);
		expect(fetchers[0]).toHaveBeenCalledTimes(2); // x: the first fetch and this refetch
	});

	it('when the strictest watcher leaves, the next strictest staleTime applies', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const watchers = [10, 50, 100].map((staleTime) => client.watchQuery({ key: ['k'], fetcher, options: { staleTime } }).subscribe(() => {}));
		await flush();
		(watchers[0] as () => void)();
		await advance(49);
		expect(client.getState(['k'])?.isStale).toBe(false);
		await advance(1);
		expect(client.getState(['k'])?.isStale).toBe(true);
	});

	it('fetchQuery does not take over an entry that enabled watchers configure', async () => {
		const client = new QoraClient();
		const watcherFetcher = vi.fn(async () => 'watcher');
		client.watchQuery({ key: ['k'], fetcher: watcherFetcher }).subscribe(() => {});
		await flush();
		await client.fetchQuery({ key: ['k'], fetcher: async () => 'one-off', options: { staleTime: 0 } });
		await client.invalidate(['k']);
		expect(watcherFetcher).toHaveBeenCalledTimes(2);
		expect(client.getQueryData(['k'])).toBe('watcher');
	});

	it('gcTime starts over with the first enabled watcher after none was left (an observer kept the entry watched)', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const stopObserver = client.observeQuery(['k']).subscribe(() => {});
		client.watchQuery({ key: ['k'], fetcher, options: { gcTime: 10 * MINUTE } }).subscribe(() => {})();
		await flush();
		client.watchQuery({ key: ['k'], fetcher, options: { gcTime: MINUTE } }).subscribe(() => {})();
		stopObserver();
		await advance(MINUTE);
		expect(client.size).toBe(0);
	});

	it('polls at the shortest interval of the pollers left', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const fast = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }).subscribe(() => {});
		client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 5000 } }).subscribe(() => {});
		await flush();
		fast();
		await advance(4999);
		expect(fetcher).toHaveBeenCalledTimes(1);
		await advance(1);
		expect(fetcher).toHaveBeenCalledTimes(2);
	});
});

describe('listeners that leave while a watcher subscribes', () => {
	it('a listener unsubscribing itself on the initialData write does not end the new watcher’s watch', async () => {
		const client = new QoraClient({ defaultOptions: { gcTime: 100 } });
		let stopObserver: (() => void) | undefined;
		stopObserver = client.observeQuery(['k']).subscribe((state) => {
			if (state.data !== undefined) stopObserver?.();
		});
		const watcher = record(client.watchQuery<string>({ key: ['k'], fetcher: async () => 'fetched', options: { initialData: 'seed' } }));
		client.setQueryData(['k'], 'written');
		expect(watcher.last.data).toBe('written');
		await advance(200);
		expect(client.getQueryData(['k'])).toBe('written');
	});

	it('an initialData that uses the cache for its own key leaves one entry, which the watcher watches', () => {
		const client = new QoraClient();
		const watcher = record(
			client.watchQuery({
				key: ['k'],
				fetcher: async () => 'fetched',
				options: {
					initialData: () => {
						client.setQueryData(['k'], 'inner');
						return 'seed';
					}
				}
			})
		);
		expect(client.keys()).toEqual([['k']]);
		client.setQueryData(['k'], 'x');
		expect(watcher.last.data).toBe('x');
	});
});

describe('a watcher given new options (createQuery’s config store)', () => {
	it('keeps the longest gcTime of the watch when a watcher disabled after the enabled ones left is given new options again', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		// A list keeping the key for 30 minutes, and a detail whose config store disables it, then changes another option.
		const list = record(client.watchQuery({ key: ['k'], fetcher, options: { gcTime: 30 * MINUTE } }));
		const detail = client._watch({ key: ['k'], fetcher, options: {} }, () => {});
		await flush();
		list.stop();
		detail.update({ key: ['k'], fetcher, options: { enabled: false } });
		detail.update({ key: ['k'], fetcher, options: { enabled: false, retry: 1 } });
		detail.stop();
		// As without the second update: the list's 30 minutes, not the detail's default 5.
		await advance(10 * MINUTE);
		expect(client.getQueryData(['k'])).toBe(1);
	});
	it('does not refetch stale data when an option changes, and keeps polling on its rhythm', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const watch = client._watch({ key: ['k'], fetcher, options: { staleTime: 0, refetchInterval: 1000 } }, () => {});
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		for (let i = 0; i < 4; i++) {
			await advance(900);
			watch.update({ key: ['k'], fetcher, options: { staleTime: 0, refetchInterval: 1000, gcTime: MINUTE + i } });
		}
		// 3.6 s of polling every second, whatever the updates in between.
		expect(fetcher).toHaveBeenCalledTimes(4);
		watch.stop();
	});

	it('polls at a new interval from the update on', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const watch = client._watch({ key: ['k'], fetcher, options: { refetchInterval: 10_000 } }, () => {});
		await flush();
		watch.update({ key: ['k'], fetcher, options: { refetchInterval: 1000 } });
		await advance(1000);
		expect(fetcher).toHaveBeenCalledTimes(2);
		watch.update({ key: ['k'], fetcher, options: { refetchInterval: false } });
		await advance(20_000);
		expect(fetcher).toHaveBeenCalledTimes(2);
		watch.stop();
	});

	it('fetches when it turns enabled and the data is stale, and stops fetching on focus once disabled', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus });
		const fetcher = counter();
		const watch = client._watch({ key: ['k'], fetcher, options: { enabled: false, staleTime: 0 } }, () => {});
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		watch.update({ key: ['k'], fetcher, options: { enabled: true, staleTime: 0 } });
		expect(fetcher).toHaveBeenCalledTimes(1);
		await flush();
		focus.focus();
		expect(fetcher).toHaveBeenCalledTimes(2);
		await flush();
		watch.update({ key: ['k'], fetcher, options: { enabled: false, staleTime: 0 } });
		focus.focus();
		expect(fetcher).toHaveBeenCalledTimes(2);
		watch.stop();
	});

	it('uses the new fetcher for the next fetch', async () => {
		const client = new QoraClient();
		const first = counter();
		const second = counter();
		const watch = client._watch({ key: ['k'], fetcher: first, options: { staleTime: 0 } }, () => {});
		await flush();
		watch.update({ key: ['k'], fetcher: second, options: { staleTime: 0 } });
		await client.invalidate(['k']);
		expect(first).toHaveBeenCalledTimes(1);
		expect(second).toHaveBeenCalledTimes(1);
		watch.stop();
	});

	it.each([
		['given new options', { gcTime: MINUTE, retry: 1 }],
		['turned off (enabled: false), as when it unsubscribes', { gcTime: MINUTE, enabled: false }]
	])('keeps the longest gcTime asked for when the only enabled watcher left is %s', async (_, options) => {
		const client = new QoraClient();
		const fetcher = counter();
		const long = client._watch({ key: ['k'], fetcher, options: { gcTime: 30 * MINUTE } }, () => {});
		const short = client._watch({ key: ['k'], fetcher, options: { gcTime: MINUTE } }, () => {});
		await flush();
		long.stop();
		short.update({ key: ['k'], fetcher, options });
		short.stop();
		await advance(2 * MINUTE);
		expect(client.getQueryData(['k'])).toBe(1);
		await advance(28 * MINUTE);
		expect(client.getState(['k'])).toBeUndefined();
	});

	it('keeps the entry by a longer gcTime it was updated to, once it leaves', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const watch = client._watch({ key: ['k'], fetcher, options: { gcTime: MINUTE } }, () => {});
		await flush();
		watch.update({ key: ['k'], fetcher, options: { gcTime: 30 * MINUTE } });
		watch.stop();
		await advance(2 * MINUTE);
		expect(client.getQueryData(['k'])).toBe(1);
		await advance(28 * MINUTE);
		expect(client.getState(['k'])).toBeUndefined();
	});

	it('turned off and then gone, it leaves nothing for focus to refetch: the other watched keys still refetch', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus });
		const first = counter();
		const second = counter();
		const watch = client._watch({ key: ['a'], fetcher: first, options: { staleTime: 0 } }, () => {});
		const other = client._watch({ key: ['b'], fetcher: second, options: { staleTime: 0 } }, () => {});
		await flush();
		watch.update({ key: ['a'], fetcher: first, options: { staleTime: 0, enabled: false } });
		watch.stop();
		focus.focus();
		expect(first).toHaveBeenCalledTimes(1);
		expect(second).toHaveBeenCalledTimes(2);
		other.stop();
	});

	it('does nothing on a disposed client', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const watch = client._watch({ key: ['k'], fetcher, options: { enabled: false } }, () => {});
		client.dispose();
		watch.update({ key: ['k'], fetcher, options: { enabled: true, refetchInterval: 1000 } });
		await advance(5000);
		expect(fetcher).not.toHaveBeenCalled();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('does nothing once the watcher has unsubscribed', async () => {
		const client = new QoraClient();
		const fetcher = counter();
		const watch = client._watch({ key: ['k'], fetcher, options: { enabled: false } }, () => {});
		watch.stop();
		watch.update({ key: ['k'], fetcher, options: { enabled: true, refetchInterval: 1000 } });
		await advance(5000);
		expect(fetcher).not.toHaveBeenCalled();
		expect(vi.getTimerCount()).toBe(1); // the entry's gc deadline only
	});
});
