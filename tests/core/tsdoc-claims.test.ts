/**
 * Claims the public TSDoc makes (what app developers read on hover) that no other test pins down.
 * Each test names the declaration whose doc makes the claim.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	CancelledError,
	QoraClient,
	QoraKey,
	defaultRetryDelay,
	dehydrate,
	equalsKey,
	hashKey,
	keyStartsWith
} from '../../src/lib/index.js';
import { MINUTE, SECOND, T0, advance, controlledFetcher, flush, manualFocus, manualOnline, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('QoraClient.defaultOptions', () => {
	it('is frozen, with the documented built-in defaults', () => {
		const client = new QoraClient();
		expect(Object.isFrozen(client.defaultOptions)).toBe(true);
		expect(client.defaultOptions).toMatchObject({
			staleTime: 5 * MINUTE,
			gcTime: 5 * MINUTE,
			retry: 3,
			retryDelay: defaultRetryDelay,
			enabled: true,
			refetchInterval: false,
			refetchOnFocus: true,
			refetchOnReconnect: true
		});
	});

	it('the default retryDelay is 1 s, 2 s, 4 s… capped at 30 s', () => {
		expect([0, 1, 2, 3, 4, 5, 10].map((attempt) => defaultRetryDelay(attempt))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
	});
});

describe('QoraClient.keys', () => {
	it('lists the normalized keys in insertion order, also after many removals', () => {
		const client = new QoraClient();
		for (let i = 0; i < 40; i++) client.setQueryData(['k', i], i);
		// Enough removals for the cache's list to compact its holes.
		for (let i = 0; i < 40; i += 2) client.remove(['k', i]);
		client.setQueryData([{ b: 1, a: 2 }], 'last');
		expect(client.keys()).toEqual([...Array.from({ length: 20 }, (_, i) => ['k', 2 * i + 1]), [{ a: 2, b: 1 }]]);
		expect(client.size).toBe(21);
	});
});

describe('QoraKey', () => {
	it('reads as its hash (plain JSON text) in template strings', () => {
		const key = QoraKey.withFilter('todos', { done: false, page: 2 });
		expect(key.hash).toBe('["todos",{"done":false,"page":2}]');
		expect(`${key}`).toBe(key.hash);
		expect(key.toString()).toBe(hashKey(['todos', { page: 2, done: false }]));
	});

	it('QoraKey.from hands back the very QoraKey it is given', () => {
		const key = QoraKey.single('todos');
		expect(QoraKey.from(key)).toBe(key);
		expect(QoraKey.from(['todos']).equals(key)).toBe(true);
	});
});

describe('equalsKey / keyStartsWith', () => {
	it('an object property that is undefined counts as absent, as JSON drops it', () => {
		expect(equalsKey(['t', { a: 1, b: undefined }], ['t', { a: 1 }])).toBe(true);
		expect(keyStartsWith(['t', { a: 1, b: undefined }, 2], ['t', { a: 1 }])).toBe(true);
		expect(keyStartsWith(['t', { a: 1 }, 2], ['t', { a: 1, b: undefined }])).toBe(true);
	});

	it('keyStartsWith throws a TypeError for an invalid key or prefix', () => {
		expect(() => keyStartsWith(['t', Number.NaN], ['t'])).toThrow(TypeError);
		expect(() => keyStartsWith(['t'], [() => 1])).toThrow(TypeError);
	});
});

describe('CancelledError', () => {
	it('is an Error named CancelledError, "The fetch was cancelled" by default', () => {
		const error = new CancelledError();
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('CancelledError');
		expect(error.message).toBe('The fetch was cancelled');
	});

	it('rejects the callers of a fetch that remove, clear or dispose stopped', async () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<number>();
		const removed = client.fetchQuery({ key: ['a'], fetcher }).catch((error: unknown) => error);
		const cleared = client.fetchQuery({ key: ['b'], fetcher }).catch((error: unknown) => error);
		client.remove(['a']);
		client.clear();
		const disposed = client.fetchQuery({ key: ['c'], fetcher }).catch((error: unknown) => error);
		client.dispose();
		for (const outcome of [removed, cleared, disposed]) expect(await outcome).toBeInstanceOf(CancelledError);
	});
});

describe('QoraClient.observeQuery', () => {
	it('never fetches: not on subscribe, invalidate, focus or reconnect', async () => {
		const focus = manualFocus();
		const online = manualOnline();
		const client = new QoraClient({ focus, online });
		const fetcher = vi.fn(async () => 1);
		client.setQueryData(['k'], 0);
		await client.fetchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }).catch(() => {});
		await flush();
		fetcher.mockClear();
		const observer = record(client.observeQuery<number>(['k']));
		await client.invalidate(['k']);
		focus.focus();
		online.set(false);
		online.set(true);
		await advance(10 * MINUTE);
		expect(fetcher).not.toHaveBeenCalled();
		expect(observer.last).toMatchObject({ status: 'success', data: 1, isInvalidated: true, fetchStatus: 'idle' });
	});
});

describe('QoraClient.setQueryData', () => {
	it('returns the key’s data after the call: undefined when it has none and nothing is written', () => {
		const client = new QoraClient();
		expect(client.setQueryData(['none'], undefined)).toBeUndefined();
		expect(client.setQueryData<number>(['none'], () => undefined)).toBeUndefined();
		expect(client.getState(['none'])).toBeUndefined();
		client.setQueryData(['k'], 1);
		expect(client.setQueryData<number>(['k'], () => undefined)).toBe(1);
		expect(client.setQueryData<number>(['k'], (n) => (n ?? 0) + 1)).toBe(2);
	});

	it('writes status success with dataUpdatedAt now', async () => {
		const client = new QoraClient();
		await advance(5 * SECOND);
		client.setQueryData(['k'], 'v');
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'v', dataUpdatedAt: T0 + 5 * SECOND, errorUpdatedAt: 0 });
	});
});

describe('QoraClient.dispose', () => {
	it('a late write or observer keeps no entry and arms no timer', () => {
		const client = new QoraClient();
		client.dispose();
		client.setQueryData(['k'], 1);
		const stop = client.observeQuery(['o']).subscribe(() => {});
		stop();
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('fetching from a disposed client throws at the call', () => {
		const client = new QoraClient();
		client.dispose();
		const config = { key: ['k'], fetcher: async () => 1 };
		expect(() => client.fetchQuery(config)).toThrow(/disposed/);
		expect(() => client.prefetchQuery(config)).toThrow(/disposed/);
		expect(() => client.watchQuery(config).subscribe(() => {})).toThrow(/disposed/);
	});
});

describe('QoraOptions.staleTime', () => {
	it('Infinity never goes stale by age', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 1);
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: Infinity } }));
		await flush();
		await advance(1000 * 24 * 60 * MINUTE);
		expect(watcher.last.isStale).toBe(false);
		watcher.stop();
	});
});

describe('dehydrate', () => {
	it('an error entry let through by shouldDehydrate carries name and message, never a stack', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		class ApiError extends Error {
			override name = 'ApiError';
			secret = 'db password';
		}
		await client.fetchQuery({ key: ['k'], fetcher: async () => Promise.reject(new ApiError('nope')) }).catch(() => {});
		const payload = dehydrate(client, { shouldDehydrate: () => true });
		expect(payload.entries).toHaveLength(1);
		expect(payload.entries[0]?.error).toEqual({ name: 'ApiError', message: 'nope' });
	});
});

describe('QoraClient.invalidate', () => {
	it('never rejects, even when the refetch it waits for fails', async () => {
		const client = new QoraClient();
		let fail = false;
		const watcher = record(
			client.watchQuery({
				key: ['k'],
				fetcher: async () => {
					if (fail) throw new Error('down');
					return 1;
				},
				options: { retry: 0 }
			})
		);
		await flush();
		fail = true;
		await expect(client.invalidate(['k'])).resolves.toBeUndefined();
		expect(watcher.last).toMatchObject({ status: 'error', data: 1 });
		await expect(client.invalidateWhere(['k'])).resolves.toBeUndefined();
		watcher.stop();
	});
});

describe('QoraClient.fetchQuery', () => {
	it('a thrown non-Error is wrapped in an Error whose cause is the original', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const thrown = { code: 404 };
		const error = await client.fetchQuery({ key: ['k'], fetcher: async () => Promise.reject(thrown) }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).cause).toBe(thrown);
		expect(client.getState(['k'])?.error).toBe(error);
	});
});

describe('QoraStateBase.failureCount', () => {
	it('goes back to 0 when a fetch starts, while the error stays (a failed first load fetched again)', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		let calls = 0;
		const fetcher = vi.fn(async () => {
			calls++;
			throw new Error(`fail ${calls}`);
		});
		await client.fetchQuery({ key: ['k'], fetcher }).catch(() => {});
		expect(client.getState(['k'])).toMatchObject({ status: 'error', failureCount: 1, isLoadingError: true });
		const { fetcher: slow } = controlledFetcher<number>();
		void client.fetchQuery({ key: ['k'], fetcher: slow }).catch(() => {});
		expect(client.getState(['k'])).toMatchObject({
			status: 'error',
			isFetching: true,
			isRefetching: false,
			failureCount: 0,
			failureReason: null,
			error: { message: 'fail 1' }
		});
	});
});

describe('QoraOptions.initialData', () => {
	it('seeds nothing while a fetch is running: that fetch answers instead', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		void client.prefetchQuery({ key: ['k'], fetcher });
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { initialData: 'seed' } }));
		const fetched = client.fetchQuery({ key: ['k'], fetcher, options: { initialData: 'seed' } });
		expect(watcher.phases()).toEqual(['pending/fetching']);
		call(0).resolve('fetched');
		await expect(fetched).resolves.toBe('fetched');
		expect(watcher.last).toMatchObject({ status: 'success', data: 'fetched' });
		expect(fetcher).toHaveBeenCalledTimes(1);
		watcher.stop();
	});
});

describe('QoraStateBase.isInvalidated', () => {
	it('is set by invalidate and stays until new data is written, with no refetch needed', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 1);
		await client.invalidate(['k']);
		expect(client.getState(['k'])).toMatchObject({ isInvalidated: true, isStale: true });
		client.setQueryData(['k'], 2);
		expect(client.getState(['k'])).toMatchObject({ isInvalidated: false });
	});
});
