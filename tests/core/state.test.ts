import { describe, expect, it } from 'vitest';
import { computeIsStale, initialEntryState, toQoraState, type EntryState } from '../../src/lib/core/state.js';

const error = new Error('boom');

function entry(overrides: Partial<EntryState<string>>): EntryState<string> {
	return { ...initialEntryState, ...overrides };
}

/** The derived flags of a state, for compact assertions. */
function flags(state: EntryState<string>) {
	const s = toQoraState(state, false);
	return {
		isPending: s.isPending,
		isSuccess: s.isSuccess,
		isError: s.isError,
		isFetching: s.isFetching,
		isPaused: s.isPaused,
		isLoading: s.isLoading,
		isRefetching: s.isRefetching,
		isLoadingError: s.isLoadingError,
		isRefetchError: s.isRefetchError
	};
}

const none = {
	isPending: false,
	isSuccess: false,
	isError: false,
	isFetching: false,
	isPaused: false,
	isLoading: false,
	isRefetching: false,
	isLoadingError: false,
	isRefetchError: false
};

describe('initialEntryState', () => {
	it('is pending/idle with no data, no error, zero timestamps and no failures', () => {
		expect(initialEntryState).toEqual({
			status: 'pending',
			fetchStatus: 'idle',
			data: undefined,
			error: null,
			dataUpdatedAt: 0,
			errorUpdatedAt: 0,
			failureCount: 0,
			failureReason: null,
			isInvalidated: false
		});
		expect(Object.isFrozen(initialEntryState)).toBe(true);
	});
});

describe('toQoraState: derived flags', () => {
	it('pending/idle: only isPending', () => {
		expect(flags(entry({}))).toEqual({ ...none, isPending: true });
	});

	it('pending/fetching: isLoading (pending && fetching), not isRefetching', () => {
		expect(flags(entry({ fetchStatus: 'fetching' }))).toEqual({ ...none, isPending: true, isFetching: true, isLoading: true });
	});

	it('pending/paused: isPaused, neither fetching nor loading', () => {
		expect(flags(entry({ fetchStatus: 'paused' }))).toEqual({ ...none, isPending: true, isPaused: true });
	});

	it('success/idle: only isSuccess', () => {
		expect(flags(entry({ status: 'success', data: 'd' }))).toEqual({ ...none, isSuccess: true });
	});

	it('success/fetching: isRefetching (fetching with data), not isLoading', () => {
		expect(flags(entry({ status: 'success', data: 'd', fetchStatus: 'fetching' }))).toEqual({
			...none,
			isSuccess: true,
			isFetching: true,
			isRefetching: true
		});
	});

	it('error without data: isLoadingError', () => {
		expect(flags(entry({ status: 'error', error }))).toEqual({ ...none, isError: true, isLoadingError: true });
	});

	it('error with data: isRefetchError', () => {
		expect(flags(entry({ status: 'error', error, data: 'd' }))).toEqual({ ...none, isError: true, isRefetchError: true });
	});

	it('error/fetching without data: fetching, but not isRefetching (no data to show meanwhile)', () => {
		expect(flags(entry({ status: 'error', error, fetchStatus: 'fetching' }))).toEqual({
			...none,
			isError: true,
			isLoadingError: true,
			isFetching: true,
			isRefetching: false
		});
	});

	it('error/fetching with data: isRefetching while retrying after a failed refetch', () => {
		expect(flags(entry({ status: 'error', error, data: 'd', fetchStatus: 'fetching' }))).toEqual({
			...none,
			isError: true,
			isRefetchError: true,
			isFetching: true,
			isRefetching: true
		});
	});

	it('copies the stored fields and the given isStale', () => {
		const stored = entry({
			status: 'error',
			data: 'd',
			error,
			dataUpdatedAt: 10,
			errorUpdatedAt: 20,
			failureCount: 4,
			failureReason: error,
			isInvalidated: true
		});
		const fresh = toQoraState(stored, false);
		expect(fresh).toMatchObject({
			status: 'error',
			fetchStatus: 'idle',
			data: 'd',
			error,
			dataUpdatedAt: 10,
			errorUpdatedAt: 20,
			failureCount: 4,
			failureReason: error,
			isInvalidated: true,
			isStale: false
		});
		expect(toQoraState(stored, true).isStale).toBe(true);
	});

	it('builds a new object every time', () => {
		const stored = entry({});
		expect(toQoraState(stored, true)).not.toBe(toQoraState(stored, true));
	});
});

describe('computeIsStale', () => {
	const fetched = entry({ status: 'success', data: 'd', dataUpdatedAt: 1000 });

	it('is stale when there is no data, whatever the staleTime', () => {
		expect(computeIsStale(entry({}), Infinity, 0)).toBe(true);
		expect(computeIsStale(entry({ status: 'error', error, dataUpdatedAt: 1000 }), Infinity, 1000)).toBe(true);
	});

	it('is stale when its last fetch failed, whatever the staleTime and the age of its data', () => {
		expect(computeIsStale({ ...fetched, status: 'error', error, errorUpdatedAt: 1200 }, Infinity, 1200)).toBe(true);
	});

	it('is stale when invalidated, whatever the staleTime', () => {
		expect(computeIsStale({ ...fetched, isInvalidated: true }, Infinity, 1000)).toBe(true);
	});

	it('is fresh until now - dataUpdatedAt reaches staleTime, then stale', () => {
		expect(computeIsStale(fetched, 500, 1499)).toBe(false);
		expect(computeIsStale(fetched, 500, 1500)).toBe(true);
	});

	it('staleTime 0 is stale at once', () => {
		expect(computeIsStale(fetched, 0, 1000)).toBe(true);
	});

	it('staleTime Infinity never goes stale by age', () => {
		expect(computeIsStale(fetched, Infinity, Number.MAX_SAFE_INTEGER)).toBe(false);
	});
});
