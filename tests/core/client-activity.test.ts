import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type KeyParts } from '../../src/lib/index.js';
import { advance, controlledFetcher, flush, manualOnline, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

const never = () => new Promise<string>(() => {});

/** Subscribes to a count store and records what it emits. */
function recordCounts(store: { subscribe(run: (count: number) => void): () => void }) {
	const counts: number[] = [];
	const stop = store.subscribe((count) => counts.push(count));
	return { counts, stop };
}

describe('isFetching', () => {
	it('counts the queries whose fetcher runs, from the fetch until it settles', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		expect(client.isFetching()).toBe(0);
		const first = client.fetchQuery({ key: ['a'], fetcher });
		const second = client.fetchQuery({ key: ['b', 1], fetcher, options: { retry: 0 } });
		void client.fetchQuery({ key: ['a'], fetcher }); // deduplicated: still one fetch of ['a']
		expect(client.isFetching()).toBe(2);
		call(0).resolve('a');
		await first;
		expect(client.isFetching()).toBe(1);
		call(1).reject(new Error('down'));
		await expect(second).rejects.toThrow('down');
		expect(client.isFetching()).toBe(0);
	});

	it('counts only the queries a key prefix or a predicate selects', () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<string>();
		void client.prefetchQuery({ key: ['users', 1], fetcher });
		void client.prefetchQuery({ key: ['users', 2], fetcher });
		void client.prefetchQuery({ key: ['posts', 1], fetcher });
		expect(client.isFetching(['users'])).toBe(2);
		expect(client.isFetching(['users', 2])).toBe(1);
		expect(client.isFetching((parts: KeyParts) => parts[1] === 1)).toBe(2);
		expect(client.isFetching(['comments'])).toBe(0);
	});

	it('does not count a fetch paused for the connection, and counts it again once it goes out', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const { fetcher, call } = controlledFetcher<string>();
		void client.prefetchQuery({ key: ['k'], fetcher });
		expect(client.getState(['k'])?.fetchStatus).toBe('paused');
		expect(client.isFetching()).toBe(0);
		online.set(true);
		await flush();
		expect(client.isFetching()).toBe(1);
		call(0).resolve('v');
		await flush();
		expect(client.isFetching()).toBe(0);
	});

	it('stops counting a query whose fetch was cancelled, or whose entry was removed or cleared', () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<string>();
		for (const key of [['a'], ['b'], ['c']]) void client.prefetchQuery({ key, fetcher });
		client.cancel(['a']);
		expect(client.isFetching()).toBe(2);
		client.remove(['b']);
		expect(client.isFetching()).toBe(1);
		client.clear();
		expect(client.isFetching()).toBe(0);
	});

	it('names itself and the bad part of an invalid prefix, and refuses a predicate that answers with a promise', () => {
		const client = new QoraClient();
		void client.prefetchQuery({ key: ['k'], fetcher: () => new Promise<string>(() => {}) });
		expect(() => client.isFetching(['users', () => 1] as never)).toThrow(/^isFetching: expected a predicate .* key\[1\]/);
		expect(() => client.watchIsFetching([Symbol('x')] as never)).toThrow(/^watchIsFetching: .*key\[0\]/);
		expect(() => client.isFetching((async () => true) as never)).toThrow('isFetching: the predicate must return a boolean, not a promise');
	});
});

describe('watchIsFetching', () => {
	it('calls back at once, then on every change of the count, and never with the same count twice', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const all = recordCounts(client.watchIsFetching());
		const users = recordCounts(client.watchIsFetching(['users']));
		expect(all.counts).toEqual([0]);
		expect(users.counts).toEqual([0]);
		void client.prefetchQuery({ key: ['users', 1], fetcher });
		void client.prefetchQuery({ key: ['posts'], fetcher });
		// A refetch replacing the one in flight keeps the count where it is.
		void client.fetchQuery({ key: ['posts'], fetcher, options: { staleTime: 0 } });
		call(0).resolve('u');
		await flush();
		call(1).resolve('p');
		await flush();
		expect(all.counts).toEqual([0, 1, 2, 1, 0]);
		expect(users.counts).toEqual([0, 1, 0]);
		all.stop();
		void client.prefetchQuery({ key: ['users', 2], fetcher });
		expect(all.counts).toEqual([0, 1, 2, 1, 0]);
		expect(users.counts).toEqual([0, 1, 0, 1]);
	});

	it('follows watched queries through retries and a background refetch', async () => {
		const client = new QoraClient();
		let attempts = 0;
		const fetcher = vi.fn(async () => {
			if (++attempts < 3) throw new Error('flaky');
			return attempts;
		});
		const counts = recordCounts(client.watchIsFetching());
		const stop = client.watchQuery({ key: ['k'], fetcher, options: { retry: 3 } }).subscribe(() => {});
		expect(counts.counts).toEqual([0, 1]);
		await advance(1000); // the first retry
		await advance(2000); // the second, which answers
		expect(fetcher).toHaveBeenCalledTimes(3);
		expect(counts.counts).toEqual([0, 1, 0]);
		void client.invalidate(['k']);
		await flush();
		expect(counts.counts).toEqual([0, 1, 0, 1, 0]);
		stop();
	});

	it('keeps the count at 1 when a follow-up refetch takes over from the fetch that just landed', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const counts = recordCounts(client.watchIsFetching());
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe(() => {});
		void client.invalidate(['k']); // replaces the first fetch
		void client.invalidate(['k']); // marks the replacement: a follow-up refetch starts when it lands
		call(1).resolve('v1');
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(3);
		expect(client.isFetching()).toBe(1);
		// A global spinner must not go off for the hand-over: [0, 1, 0, 1] flickers.
		expect(counts.counts).toEqual([0, 1]);
		call(2).resolve('v2');
		await flush();
		expect(counts.counts).toEqual([0, 1, 0]);
		stop();
	});

	it('reports a listener or predicate that throws, and still tells the others', () => {
		const onError = vi.fn();
		const client = new QoraClient({ onError });
		const { fetcher } = controlledFetcher<string>();
		let calls = 0;
		client.watchIsFetching().subscribe(() => {
			if (calls++ > 0) throw new Error('listener');
		});
		// Asked of fetching entries only: nothing fetches yet, so subscribing does not throw.
		client
			.watchIsFetching(() => {
				throw new Error('predicate');
			})
			.subscribe(() => {});
		const seen = recordCounts(client.watchIsFetching(['k']));
		void client.prefetchQuery({ key: ['k'], fetcher });
		expect(seen.counts).toEqual([0, 1]);
		expect(client.getState(['k'])?.fetchStatus).toBe('fetching');
		expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual(['listener', 'predicate']);
	});

	it('does not subscribe a subscriber that throws at once, nor one that is not a function', () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<string>();
		let calls = 0;
		expect(() =>
			client.watchIsFetching().subscribe(() => {
				calls++;
				throw new Error('first call');
			})
		).toThrow('first call');
		void client.prefetchQuery({ key: ['k'], fetcher });
		expect(calls).toBe(1);
		expect(() => (client.watchIsFetching().subscribe as (run: unknown) => void)(null)).toThrow(/subscribe\(run\): expected a function/);
	});
});

describe('isMutating', () => {
	it('counts each write from its start until its end is called, all or those whose key a prefix or predicate selects', () => {
		const client = new QoraClient();
		const counts = recordCounts(client.watchIsMutating());
		const todoCounts = recordCounts(client.watchIsMutating(['todos']));
		const endAdd = client._startWrite(['todos', 'add']);
		const endUpload = client._startWrite(['files', 'upload']);
		const endKeyless = client._startWrite(null);
		expect(client.isMutating()).toBe(3);
		expect(client.isMutating(['todos'])).toBe(1);
		expect(client.isMutating((parts: KeyParts) => parts[1] === 'upload')).toBe(1);
		// A write without a key matches no prefix, not even the empty one.
		expect(client.isMutating([])).toBe(2);
		endAdd();
		expect(client.isMutating(['todos'])).toBe(0);
		endUpload();
		endKeyless();
		expect(counts.counts).toEqual([0, 1, 2, 3, 2, 1, 0]);
		expect(todoCounts.counts).toEqual([0, 1, 0]);
	});

	it('names itself and the bad part of an invalid prefix, and refuses a predicate that answers with a promise', () => {
		const client = new QoraClient();
		client._startWrite(['todos']);
		expect(() => client.isMutating(['todos', () => 1] as never)).toThrow(/^isMutating: expected a predicate .* key\[1\]/);
		expect(() => client.watchIsMutating([Symbol('x')] as never)).toThrow(/^watchIsMutating: .*key\[0\]/);
		expect(() => client.isMutating((async () => true) as never)).toThrow('isMutating: the predicate must return a boolean, not a promise');
	});
});

describe('watchIsFetching / watchIsMutating: a subscriber that changes the count when first called', () => {
	it('hears the count its own first call changed (watchIsFetching), and later changes too', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const counts: number[] = [];
		// e.g. "when nothing is loading, prefetch the next page"
		client.watchIsFetching().subscribe((count) => {
			counts.push(count);
			if (counts.length === 1) void client.prefetchQuery({ key: ['next'], fetcher });
		});
		expect(client.isFetching()).toBe(1);
		expect(counts).toEqual([0, 1]);
		call(0).resolve('n');
		await flush();
		expect(counts).toEqual([0, 1, 0]);
	});

	it('hears the count its own first call changed (watchIsMutating)', () => {
		const client = new QoraClient();
		const counts: number[] = [];
		let end: (() => void) | undefined;
		client.watchIsMutating().subscribe((count) => {
			counts.push(count);
			if (counts.length === 1) end = client._startWrite(null);
		});
		expect(client.isMutating()).toBe(1);
		end?.();
		expect(counts).toEqual([0, 1, 0]);
	});
});

describe('watchIsFetching: cost of counting', () => {
	it('asks its predicate a bounded number of times per fetch that starts or ends, not once per fetch in flight at every change', () => {
		const client = new QoraClient();
		const n = 200;
		const stops: (() => void)[] = [];
		for (let i = 0; i < n; i++) {
			client.setQueryData(['rows', i], 'v');
			stops.push(client.watchQuery({ key: ['rows', i], fetcher: never, options: { staleTime: Infinity } }).subscribe(() => {}));
		}
		let asked = 0;
		client
			.watchIsFetching((parts) => {
				asked++;
				return parts[0] === 'rows';
			})
			.subscribe(() => {});
		// A "refresh all rows" button; then a logout.
		void client.invalidateWhere(['rows']);
		client.clear();
		expect(client.isFetching()).toBe(0);
		// Recounting every fetch in flight at each of the 2n changes made n² (40,000) predicate calls: 1000 rows
		// with a prefix indicator added ~200 ms to invalidateWhere, 4000 rows ~2.2 s (found by review).
		expect(asked).toBeLessThanOrEqual(4 * n);
		for (const stop of stops) stop();
	});
});

describe('watchIsFetching: the count stays the count', () => {
	it('a store subscribed by a query watcher while it hears the fetch start counts that fetch once', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		let last = -1;
		let subscribed = false;
		// e.g. "show the global spinner once something of mine loads": subscribed from a query's listener.
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe((state) => {
			if (state.fetchStatus === 'fetching' && !subscribed) {
				subscribed = true;
				client.watchIsFetching().subscribe((count) => (last = count));
			}
		});
		expect(client.isFetching()).toBe(1);
		expect(last).toBe(1); // counted as +1/-1, it showed 2: once by its first count, again by the +1 told after the watchers
		call(0).resolve('v');
		await flush();
		expect(client.isFetching()).toBe(0);
		expect(last).toBe(0); // stays at 1 for good
		stop();
	});

	it('a store subscribed by a query watcher while it hears the fetch land does not count that end twice (-1 for good)', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const counts: number[] = [];
		let subscribed = false;
		// e.g. a "details" widget shown once the data is there, with its own spinner
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe((state) => {
			if (state.status === 'success' && !subscribed) {
				subscribed = true;
				client.watchIsFetching().subscribe((count) => counts.push(count));
			}
		});
		call(0).resolve('v');
		await flush();
		expect(client.isFetching()).toBe(0);
		expect(counts).toEqual([0]); // counted as +1/-1: [0, -1], counted without the fetch, then told of its end
		stop();
	});

	it('a predicate whose answer changes while a fetch runs does not leave that fetch counted for good', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		let tab = 'users';
		const counts: number[] = [];
		client.watchIsFetching((parts: KeyParts) => parts[0] === tab).subscribe((count) => counts.push(count));
		void client.prefetchQuery({ key: ['users'], fetcher });
		tab = 'posts'; // the app's current tab, read by the predicate
		call(0).resolve('v');
		await flush();
		expect(client.isFetching((parts: KeyParts) => parts[0] === tab)).toBe(0);
		expect(client.isFetching()).toBe(0);
		// Nothing fetches any more: the store must not show 1 for ever (it did recount before this change).
		expect(counts.at(-1)).toBe(0);
	});

	it('a predicate that throws once (reported) does not skew the count for good', async () => {
		const onError = vi.fn();
		const client = new QoraClient({ onError });
		const { fetcher, call } = controlledFetcher<string>();
		let fail = false;
		const counts: number[] = [];
		client
			.watchIsFetching(() => {
				if (fail) throw new Error('flaky predicate');
				return true;
			})
			.subscribe((count) => counts.push(count));
		void client.prefetchQuery({ key: ['a'], fetcher });
		fail = true;
		call(0).resolve('v');
		await flush();
		fail = false;
		void client.prefetchQuery({ key: ['b'], fetcher });
		call(1).resolve('v');
		await flush();
		expect(client.isFetching()).toBe(0);
		expect(counts.at(-1)).toBe(0); // counted as +1/-1, the -1 was lost with the throw: off by one for good
	});

	it('never emits a negative count when a watcher cancels the fetch it is told of', () => {
		const client = new QoraClient();
		const counts: number[] = [];
		client.watchIsFetching().subscribe((count) => counts.push(count));
		const stop = client.watchQuery({ key: ['k'], fetcher: never, options: { enabled: false } }).subscribe((state) => {
			if (state.fetchStatus === 'fetching') void client.cancel(['k']);
		});
		void client.prefetchQuery({ key: ['k'], fetcher: never });
		expect(client.isFetching()).toBe(0);
		// Counted as +1/-1, the cancel's -1 was told (inside the watchers' notification) before the start's +1: [0, -1, 0].
		expect(counts.every((count) => count >= 0)).toBe(true);
		stop();
	});
});

describe('watchIsMutating: the count stays the count', () => {
	it('a predicate whose answer changes while a write is out does not leave that write counted for good', () => {
		const client = new QoraClient();
		let kind = 'todos';
		const counts: number[] = [];
		client.watchIsMutating((parts: KeyParts) => parts[0] === kind).subscribe((count) => counts.push(count));
		const end = client._startWrite(['todos', 'add']);
		kind = 'files';
		end();
		expect(client.isMutating()).toBe(0);
		expect(counts.at(-1)).toBe(0); // counted as +1/-1: 1 for good
	});
});
