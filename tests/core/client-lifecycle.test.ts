/** The seed's lifecycle tables, state by state. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type FetchContext, type QoraState } from '../../src/lib/index.js';
import { MINUTE, T0, advance, controlledFetcher, flush, phase, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

/** The fields the tables are written in, with the time since T0. */
function row(state: QoraState<unknown>) {
	return {
		t: Date.now() - T0,
		phase: phase(state),
		data: state.data,
		failureCount: state.failureCount,
		failureReason: state.failureReason?.message ?? null,
		error: state.error?.message ?? null
	};
}

function recordRows(client: QoraClient, key: readonly unknown[]) {
	const rows: ReturnType<typeof row>[] = [];
	const states: QoraState<unknown>[] = [];
	const stop = client.observeQuery(key).subscribe((state) => {
		states.push(state);
		rows.push(row(state));
	});
	return { rows, states, stop };
}

describe('lifecycle: first load', () => {
	it('pending/idle → pending/fetching → success/idle', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const observed = recordRows(client, ['todos']);
		const watcher = client.watchQuery({ key: ['todos'], fetcher }).subscribe(() => {});
		call(0).resolve('data');
		await flush();
		expect(observed.rows).toEqual([
			{ t: 0, phase: 'pending/idle', data: undefined, failureCount: 0, failureReason: null, error: null },
			{ t: 0, phase: 'pending/fetching', data: undefined, failureCount: 0, failureReason: null, error: null },
			{ t: 0, phase: 'success/idle', data: 'data', failureCount: 0, failureReason: null, error: null }
		]);
		const [idle, loading, done] = observed.states;
		expect(idle).toMatchObject({ isPending: true, isLoading: false, isFetching: false, isStale: true });
		expect(loading).toMatchObject({ isPending: true, isLoading: true, isFetching: true, isRefetching: false });
		expect(done).toMatchObject({ isSuccess: true, isLoading: false, isFetching: false, dataUpdatedAt: T0, isStale: false });
		watcher();
	});

	it('the watcher itself sees pending/fetching at once, then success/idle', async () => {
		const client = new QoraClient();
		const states: string[] = [];
		client.watchQuery({ key: ['todos'], fetcher: async () => 'data' }).subscribe((s) => states.push(phase(s)));
		expect(states).toEqual(['pending/fetching']);
		await flush();
		expect(states).toEqual(['pending/fetching', 'success/idle']);
	});
});

describe('lifecycle: background refetch', () => {
	it('success/fetching → success/idle with new data, the old data shown meanwhile', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		client.setQueryData(['todos'], 'old');
		await advance(MINUTE); // stale under a 1-minute staleTime
		const observed = recordRows(client, ['todos']);
		client.watchQuery({ key: ['todos'], fetcher, options: { staleTime: MINUTE } }).subscribe(() => {});
		await advance(500);
		call(0).resolve('new');
		await flush();
		expect(observed.rows).toEqual([
			{ t: MINUTE, phase: 'success/idle', data: 'old', failureCount: 0, failureReason: null, error: null },
			{ t: MINUTE, phase: 'success/fetching', data: 'old', failureCount: 0, failureReason: null, error: null },
			{ t: MINUTE + 500, phase: 'success/idle', data: 'new', failureCount: 0, failureReason: null, error: null }
		]);
		expect(observed.states[1]).toMatchObject({ isRefetching: true, isLoading: false, isStale: true });
		expect(observed.states[2]).toMatchObject({ dataUpdatedAt: T0 + MINUTE + 500, isStale: false, isRefetching: false });
	});
});

describe('lifecycle: failed first load with the default retries', () => {
	it('attempts at 0 s, 1 s, 3 s, 7 s (waits of 1 s, 2 s, 4 s); failureCount 1, 2, 3 while fetching; then error/idle with failureCount 4', async () => {
		const client = new QoraClient();
		const attemptTimes: number[] = [];
		const fetcher = vi.fn(async (_: FetchContext): Promise<string> => {
			attemptTimes.push(Date.now() - T0);
			throw new Error(`fail ${attemptTimes.length}`);
		});
		const observed = recordRows(client, ['todos']);
		const rejection = client.fetchQuery({ key: ['todos'], fetcher }).catch((error: Error) => error);
		await advance(10_000);
		expect(attemptTimes).toEqual([0, 1000, 3000, 7000]);
		expect(observed.rows).toEqual([
			{ t: 0, phase: 'pending/idle', data: undefined, failureCount: 0, failureReason: null, error: null },
			{ t: 0, phase: 'pending/fetching', data: undefined, failureCount: 0, failureReason: null, error: null },
			{ t: 0, phase: 'pending/fetching', data: undefined, failureCount: 1, failureReason: 'fail 1', error: null },
			{ t: 1000, phase: 'pending/fetching', data: undefined, failureCount: 2, failureReason: 'fail 2', error: null },
			{ t: 3000, phase: 'pending/fetching', data: undefined, failureCount: 3, failureReason: 'fail 3', error: null },
			{ t: 7000, phase: 'error/idle', data: undefined, failureCount: 4, failureReason: 'fail 4', error: 'fail 4' }
		]);
		const last = observed.states.at(-1);
		expect(last).toMatchObject({ isError: true, isLoadingError: true, isRefetchError: false, errorUpdatedAt: T0 + 7000 });
		expect((await rejection as Error).message).toBe('fail 4');
		expect(fetcher).toHaveBeenCalledTimes(4);
	});
});

describe('lifecycle: failed background refetch', () => {
	it('status stays success while retrying, then error with the cached data kept (isRefetchError)', async () => {
		const client = new QoraClient();
		client.setQueryData(['todos'], 'cached');
		const observed = recordRows(client, ['todos']);
		let attempts = 0;
		client
			.watchQuery({
				key: ['todos'],
				fetcher: async () => {
					attempts++;
					throw new Error(`fail ${attempts}`);
				},
				options: { staleTime: 0 }
			})
			.subscribe(() => {});
		await advance(10_000);
		expect(observed.rows).toEqual([
			{ t: 0, phase: 'success/idle', data: 'cached', failureCount: 0, failureReason: null, error: null },
			{ t: 0, phase: 'success/fetching', data: 'cached', failureCount: 0, failureReason: null, error: null },
			{ t: 0, phase: 'success/fetching', data: 'cached', failureCount: 1, failureReason: 'fail 1', error: null },
			{ t: 1000, phase: 'success/fetching', data: 'cached', failureCount: 2, failureReason: 'fail 2', error: null },
			{ t: 3000, phase: 'success/fetching', data: 'cached', failureCount: 3, failureReason: 'fail 3', error: null },
			{ t: 7000, phase: 'error/idle', data: 'cached', failureCount: 4, failureReason: 'fail 4', error: 'fail 4' }
		]);
		expect(observed.states.at(-1)).toMatchObject({
			isError: true,
			isRefetchError: true,
			isLoadingError: false,
			dataUpdatedAt: T0,
			errorUpdatedAt: T0 + 7000
		});
		expect(client.getQueryData(['todos'])).toBe('cached');
	});
});
