import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type FetchContext, type QoraOptions } from '../../src/lib/index.js';
import { MINUTE, T0, advance, flush, manualOnline, record, useFakeTime } from './helpers.js';
import { unhandledRejectionsDuring } from '../ssr/unhandled-rejections.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

/** A fetcher that fails `failures` times (recording when), then resolves `value`. */
function flaky<T>(failures: number, value: T) {
	const times: number[] = [];
	const start = Date.now();
	const fetcher = vi.fn(async (_: FetchContext): Promise<T> => {
		times.push(Date.now() - start);
		if (times.length <= failures) throw new Error(`fail ${times.length}`);
		return value;
	});
	return { fetcher, times };
}

async function attemptTimes(options: QoraOptions<string> | undefined, failures = 100, defaults?: QoraOptions) {
	const client = new QoraClient(defaults ? { defaultOptions: defaults } : {});
	const { fetcher, times } = flaky(failures, 'ok');
	client.fetchQuery({ key: ['k'], fetcher, options }).catch(() => {});
	await advance(120_000);
	return { times, state: client.getState(['k']) };
}

describe('retries', () => {
	it('default: 3 retries after 1 s, 2 s and 4 s', async () => {
		const { times, state } = await attemptTimes(undefined);
		expect(times).toEqual([0, 1000, 3000, 7000]);
		expect(state).toMatchObject({ status: 'error', failureCount: 4 });
	});

	it('a success within the retries resolves the fetch', async () => {
		const client = new QoraClient();
		const { fetcher } = flaky(2, 'third');
		const result = client.fetchQuery({ key: ['k'], fetcher });
		await advance(3000);
		await expect(result).resolves.toBe('third');
		expect(fetcher).toHaveBeenCalledTimes(3);
	});

	it('retry: n allows n retries (n + 1 attempts)', async () => {
		expect((await attemptTimes({ retry: 1 })).times).toEqual([0, 1000]);
		expect((await attemptTimes({ retry: 5 })).times).toEqual([0, 1000, 3000, 7000, 15000, 31000]);
		const { times, state } = await attemptTimes({ retry: 0 });
		expect(times).toEqual([0]);
		expect(state?.failureCount).toBe(1);
	});

	it('retry: false makes one attempt; retry: true retries until success', async () => {
		expect((await attemptTimes({ retry: false })).times).toEqual([0]);
		const { times, state } = await attemptTimes({ retry: true, retryDelay: 100 }, 8);
		expect(times).toHaveLength(9);
		expect(state).toMatchObject({ status: 'success', data: 'ok', failureCount: 0 });
	});

	it('a retry function decides from (failureCount, error)', async () => {
		const retry = vi.fn((failureCount: number, error: Error) => failureCount < 2 && error.message.startsWith('fail'));
		const { times } = await attemptTimes({ retry });
		expect(times).toEqual([0, 1000]);
		expect(retry.mock.calls.map(([count, error]) => [count, error.message])).toEqual([
			[1, 'fail 1'],
			[2, 'fail 2']
		]);
	});

	it("keeps the fetcher's error when a retry function returns a promise (an async policy): no retry, a TypeError saying so goes to onError", async () => {
		const onError = vi.fn();
		const client = new QoraClient({ onError });
		const retry = vi.fn(async (failureCount: number) => failureCount < 2);
		const { fetcher, times } = flaky(100, 'ok');
		client.fetchQuery({ key: ['k'], fetcher, options: { retry: retry as never } }).catch(() => {});
		await advance(120_000);
		expect(times).toEqual([0]);
		expect(retry).toHaveBeenCalledTimes(1);
		expect(client.getState(['k'])).toMatchObject({ status: 'error', fetchStatus: 'idle', error: { message: 'fail 1' } });
		expect(onError).toHaveBeenCalledTimes(1);
		expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(TypeError);
		expect((onError.mock.calls[0]?.[0] as Error).message).toMatch(/"retry".*promise/);
	});

	it("keeps the fetcher's error when the refused async retry policy rejects: only the TypeError is reported, no unhandled rejection beside it", async () => {
		vi.useRealTimers();
		const onError = vi.fn();
		const client = new QoraClient({ onError });
		// An async policy that refreshes a token first, and whose refresh fails.
		const retry = (async () => {
			throw new Error('token refresh failed');
		}) as never;
		let state: unknown;
		const unhandled = await unhandledRejectionsDuring(async () => {
			await client.fetchQuery({ key: ['k'], fetcher: () => Promise.reject(new Error('401')), options: { retry } }).catch(() => {});
			state = client.getState(['k']);
		});
		expect({ unhandled: unhandled.map(String), state }).toMatchObject({ unhandled: [], state: { status: 'error', error: { message: '401' } } });
		expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual(['"retry" returned a promise, not a boolean']);
	});

	it("keeps the fetcher's error when a retryDelay function returns a promise (an async policy): no retry at once, a TypeError naming retryDelay goes to onError", async () => {
		const onError = vi.fn();
		const client = new QoraClient({ onError });
		// A common slip: an async policy waiting on something before answering the delay.
		const retryDelay = vi.fn(async (attempt: number) => 1000 * 2 ** attempt);
		const { fetcher, times } = flaky(100, 'ok');
		client.fetchQuery({ key: ['k'], fetcher, options: { retryDelay: retryDelay as never } }).catch(() => {});
		await advance(120_000);
		expect({ times, state: client.getState(['k']) }).toMatchObject({ times: [0], state: { status: 'error', fetchStatus: 'idle', error: { message: 'fail 1' } } });
		expect(onError).toHaveBeenCalledTimes(1);
		expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(TypeError);
		expect((onError.mock.calls[0]?.[0] as Error).message).toMatch(/"retryDelay".*promise/);
	});

	it("keeps the fetcher's error when the refused async retryDelay policy rejects: only the TypeError is reported, no unhandled rejection beside it", async () => {
		vi.useRealTimers();
		const onError = vi.fn();
		const client = new QoraClient({ onError });
		const retryDelay = (async () => {
			throw new Error('rate limit lookup failed');
		}) as never;
		let state: unknown;
		const unhandled = await unhandledRejectionsDuring(async () => {
			await client.fetchQuery({ key: ['k'], fetcher: () => Promise.reject(new Error('503')), options: { retry: 1, retryDelay } }).catch(() => {});
			state = client.getState(['k']);
		});
		expect({ unhandled: unhandled.map(String), state }).toMatchObject({ unhandled: [], state: { status: 'error', error: { message: '503' } } });
		expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual(['"retryDelay" returned a promise, not a number']);
	});

	it("keeps the fetcher's error when the retry or retryDelay policy throws (a policy reading error.response.status): the policy's error goes to onError", async () => {
		const onError = vi.fn();
		const client = new QoraClient({ onError });
		const byStatus = (_count: number, error: Error) => (error as Error & { response: { status: number } }).response.status >= 500;
		const retried = client.fetchQuery({ key: ['r'], fetcher: () => Promise.reject(new Error('Failed to fetch')), options: { retry: byStatus } });
		const delayed = client.fetchQuery({
			key: ['d'],
			fetcher: () => Promise.reject(new Error('Failed to fetch')),
			options: { retry: 3, retryDelay: (_attempt, error) => Number((error as Error & { headers: Headers }).headers.get('retry-after')) * 1000 }
		});
		await expect(retried).rejects.toThrow('Failed to fetch');
		await expect(delayed).rejects.toThrow('Failed to fetch');
		await advance(60_000);
		for (const key of ['r', 'd']) {
			expect(client.getState([key])).toMatchObject({ status: 'error', fetchStatus: 'idle', error: { message: 'Failed to fetch' } });
		}
		expect(onError).toHaveBeenCalledTimes(2);
		for (const [error] of onError.mock.calls) expect(error).toBeInstanceOf(TypeError);
	});

	it('retryDelay: a number is a fixed delay', async () => {
		expect((await attemptTimes({ retryDelay: 250 })).times).toEqual([0, 250, 500, 750]);
	});

	it('retryDelay: a function of (attemptIndex, error)', async () => {
		const retryDelay = vi.fn((attempt: number, _error: Error) => (attempt + 1) * 10);
		expect((await attemptTimes({ retryDelay })).times).toEqual([0, 10, 30, 60]);
		expect(retryDelay.mock.calls.map(([attempt, error]) => [attempt, error.message])).toEqual([
			[0, 'fail 1'],
			[1, 'fail 2'],
			[2, 'fail 3']
		]);
	});

	it('client defaultOptions set retry and retryDelay for every query; per-query options win', async () => {
		expect((await attemptTimes(undefined, 100, { retry: 1, retryDelay: 50 })).times).toEqual([0, 50]);
		expect((await attemptTimes({ retry: 2 }, 100, { retry: 1, retryDelay: 50 })).times).toEqual([0, 50, 100]);
	});
});

describe('a failure while offline', () => {
	it('pauses the fetch at once and retries as soon as the connection is back, not after the backoff', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		let attempts = 0;
		const fetcher = vi.fn(async () => {
			if (++attempts === 1) {
				online.set(false); // the connection dropped: the request failed
				throw new TypeError('Failed to fetch');
			}
			return 'ok';
		});
		const states = record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		expect(states.last).toMatchObject({ fetchStatus: 'paused', failureCount: 1 });
		await advance(100);
		online.set(true); // long before the 1 s backoff would have ended
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(states.last).toMatchObject({ status: 'success', data: 'ok', fetchStatus: 'idle', failureCount: 0 });
	});
});

describe('whose retry settings a fetch follows', () => {
	/** A fetcher that fails on the calls listed, and otherwise answers its call number. */
	function failingOn(...failing: number[]) {
		let calls = 0;
		return vi.fn(async () => {
			calls++;
			if (failing.includes(calls)) throw new Error(`503 on call ${calls}`);
			return calls;
		});
	}
	const watcherOptions: QoraOptions = { retry: 2, retryDelay: 10, staleTime: MINUTE };

	it('a watcher joining a refetch that a fail-fast fetchQuery (retry 0) started retries its next failure by its own settings', async () => {
		const client = new QoraClient();
		const fetcher = failingOn(2);
		await client.fetchQuery({ key: ['user'], fetcher, options: { retry: 0, staleTime: MINUTE } });
		await advance(2 * MINUTE);
		// A load revisits the page: stale data resolves at once and refetches in the background, failing fast...
		await client.fetchQuery({ key: ['user'], fetcher, options: { retry: 0, staleTime: MINUTE } });
		// ...unless the page's query, which joins that refetch, says otherwise.
		const stop = client.watchQuery({ key: ['user'], fetcher, options: watcherOptions }).subscribe(() => {});
		await advance(100);
		expect(fetcher).toHaveBeenCalledTimes(3);
		expect(client.getState(['user'])).toMatchObject({ status: 'success', data: 3, failureCount: 0 });
		stop();
	});

	it('a fail-fast fetch that paused offline follows the watcher that joined it once it resumes', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const fetcher = failingOn(1);
		await client.prefetchQuery({ key: ['user'], fetcher, options: { retry: 0 } }); // stops waiting: paused
		const stop = client.watchQuery({ key: ['user'], fetcher, options: watcherOptions }).subscribe(() => {});
		online.set(true);
		await advance(100);
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getState(['user'])).toMatchObject({ status: 'success', data: 2 });
		stop();
	});

	it('a fail-fast fetchQuery on a key enabled watchers already watch keeps its own settings (a load rerun by invalidateAll)', async () => {
		const client = new QoraClient();
		const fetcher = failingOn(1, 2, 3, 4, 5, 6);
		const stop = client.watchQuery({ key: ['user'], fetcher, options: watcherOptions }).subscribe(() => {});
		await advance(100); // the page's query: three attempts, then error
		expect(client.getState(['user'])).toMatchObject({ status: 'error', fetchStatus: 'idle' });
		const rerun = client.fetchQuery({ key: ['user'], fetcher, options: { retry: 0 } });
		await expect(rerun).rejects.toThrow('503 on call 4');
		expect(fetcher).toHaveBeenCalledTimes(4);
		stop();
	});

	it('keeps retrying by the page query’s settings when a fail-fast fetchQuery refetches stale data it watches in the background (a load rerun by invalidateAll)', async () => {
		const client = new QoraClient();
		const fetcher = failingOn(2);
		const stop = client.watchQuery({ key: ['user'], fetcher, options: watcherOptions }).subscribe(() => {});
		await advance(2 * MINUTE);
		// The README's load runs again (after a form action): the cached user at once, and a refetch nobody awaits.
		await expect(client.fetchQuery({ key: ['user'], fetcher, options: { ...watcherOptions, retry: 0 } })).resolves.toBe(1);
		await advance(100);
		// Its blip is retried as the page's query says, not shown as a refetch error (and reported to onQueryError).
		expect(fetcher).toHaveBeenCalledTimes(3);
		expect(client.getState(['user'])).toMatchObject({ status: 'success', data: 3, failureCount: 0 });
		stop();
	});

	it('with no enabled watcher, the settings of the call that started the fetch decide: a fail-fast load fails fast', async () => {
		const client = new QoraClient();
		const fetcher = failingOn(1);
		const stop = client.watchQuery({ key: ['user'], fetcher, options: { ...watcherOptions, enabled: false } }).subscribe(() => {});
		await expect(client.fetchQuery({ key: ['user'], fetcher, options: { retry: 0 } })).rejects.toThrow('503 on call 1');
		expect(fetcher).toHaveBeenCalledTimes(1);
		stop();
	});

	it('a fetch whose watcher left keeps retrying by the settings it started with', async () => {
		const client = new QoraClient();
		const fetcher = failingOn(1);
		const stop = client.watchQuery({ key: ['user'], fetcher, options: watcherOptions }).subscribe(() => {});
		stop(); // the page navigated away while the first attempt was out
		await advance(100);
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getState(['user'])).toMatchObject({ status: 'success', data: 2, failureCount: 0 });
	});

	it('a disabled watcher that subscribes while a fetch runs does not decide its retries', async () => {
		const client = new QoraClient();
		const fetcher = failingOn(1);
		const stop = client.watchQuery({ key: ['user'], fetcher, options: watcherOptions }).subscribe(() => {});
		stop();
		// The disabled watcher configures the entry (no enabled one is left), but it fetches nothing: the fetch keeps its settings.
		const other = vi.fn(async () => 'from the disabled watcher');
		const stopDisabled = client
			.watchQuery({ key: ['user'], fetcher: other, options: { retry: 0, enabled: false } })
			.subscribe(() => {});
		await advance(100);
		expect(other).not.toHaveBeenCalled();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getState(['user'])).toMatchObject({ status: 'success', data: 2 });
		stopDisabled();
	});
});

describe('a retry cancelled while its failure is being told', () => {
	it('by a listener that cancels leaves no backoff timer behind', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => Promise.reject(new Error('x')));
		const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe((state) => {
			if (state.failureCount === 1 && state.fetchStatus === 'fetching') client.cancel(['k']);
		});
		await flush();
		expect(client.getState(['k'])?.fetchStatus).toBe('idle');
		expect(vi.getTimerCount()).toBe(0);
		stop();
	});

	it('by the retryDelay policy (which cancels) schedules nothing', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => Promise.reject(new Error('x')));
		const retryDelay = () => {
			client.cancel(['k']);
			return 1000;
		};
		// gcTime Infinity: no gc deadline either, so any timer left would be the backoff's.
		void client.prefetchQuery({ key: ['k'], fetcher, options: { retryDelay, gcTime: Infinity } });
		await flush();
		expect(client.getState(['k'])?.fetchStatus).toBe('idle');
		expect(vi.getTimerCount()).toBe(0);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('by the retry policy (which cancels) leaves no failure on the entry', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => Promise.reject(new Error('x')));
		const retry = () => {
			client.cancel(['k']);
			return true;
		};
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { retry, gcTime: Infinity } }));
		await flush();
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'idle', failureCount: 0, failureReason: null });
		expect(watcher.states.some((state) => state.failureCount > 0)).toBe(false);
		expect(vi.getTimerCount()).toBe(0);
		watcher.stop();
	});
});

describe('failureCount and failureReason', () => {
	it('track each failed attempt while fetching, in pending status', async () => {
		const client = new QoraClient();
		const { fetcher } = flaky(2, 'ok');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(3000);
		expect(
			watcher.states.map((s) => [s.status, s.fetchStatus, s.failureCount, s.failureReason?.message ?? null])
		).toEqual([
			['pending', 'fetching', 0, null],
			['pending', 'fetching', 1, 'fail 1'],
			['pending', 'fetching', 2, 'fail 2'],
			['success', 'idle', 0, null]
		]);
	});

	it('a success resets failureCount to 0 after a failed fetch', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 1, retryDelay: 10, staleTime: 0 } });
		const { fetcher } = flaky(2, 'ok');
		const failed = client.fetchQuery({ key: ['k'], fetcher }).catch(() => {});
		await advance(10);
		await failed;
		expect(client.getState(['k'])).toMatchObject({ status: 'error', failureCount: 2 });
		await client.fetchQuery({ key: ['k'], fetcher });
		expect(client.getState(['k'])).toMatchObject({
			status: 'success',
			data: 'ok',
			failureCount: 0,
			failureReason: null,
			error: null
		});
	});

	it('a new fetch after a failed first load starts counting from 0, while the error of the last one is still shown', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const first = flaky(1, 'never');
		await client.prefetchQuery({ key: ['k'], fetcher: first.fetcher });
		expect(client.getState(['k'])).toMatchObject({ status: 'error', failureCount: 1 });
		const watcher = record(client.watchQuery({ key: ['k'], fetcher: async () => 'ok' }));
		expect(watcher.states[0]).toMatchObject({
			status: 'error',
			error: expect.objectContaining({ message: 'fail 1' }),
			fetchStatus: 'fetching',
			failureCount: 0,
			isFetching: true,
			isLoading: false,
			isRefetching: false, // no data to show while refetching
			isLoadingError: true
		});
		await flush();
		expect(watcher.last).toMatchObject({ status: 'success', data: 'ok' });
	});

	it('errors in state are Error instances: a thrown non-Error is wrapped, the original kept as cause', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		const thrown = { code: 503 };
		await client.prefetchQuery({
			key: ['k'],
			fetcher: async () => {
				throw thrown;
			}
		});
		const state = client.getState(['k']);
		expect(state?.error).toBeInstanceOf(Error);
		expect(state?.error?.message).toContain('503');
		expect(state?.error?.cause).toBe(thrown);
		expect(state?.failureReason).toBe(state?.error);
	});
});

describe('failed refetch', () => {
	it('keeps the previous data: error status with isRefetchError', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false, staleTime: 0 } });
		await client.fetchQuery({ key: ['k'], fetcher: async () => 'good' });
		await advance(100);
		await client.fetchQuery({ key: ['k'], fetcher: flaky(1, 'x').fetcher });
		await flush();
		expect(client.getState(['k'])).toMatchObject({
			status: 'error',
			data: 'good',
			dataUpdatedAt: T0,
			errorUpdatedAt: T0 + 100,
			isRefetchError: true,
			isLoadingError: false
		});
		expect(client.getQueryData(['k'])).toBe('good');
	});

	it('a failed first load has no data: isLoadingError', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		await client.prefetchQuery({ key: ['k'], fetcher: flaky(1, 'x').fetcher });
		expect(client.getState(['k'])).toMatchObject({ status: 'error', data: undefined, isLoadingError: true, isRefetchError: false });
	});
});
