import { describe, expect, it } from 'vitest';
import { reduce, type EntryAction } from '../../src/lib/core/reducer.js';
import { initialEntryState, type EntryState } from '../../src/lib/core/state.js';

const boom = new Error('boom');
const later = new Error('later');

/** A deeply frozen state, so any mutation by the reducer throws. */
function state(overrides: Partial<EntryState<string>> = {}): EntryState<string> {
	return Object.freeze({ ...initialEntryState, ...overrides });
}

const succeeded = state({ status: 'success', data: 'old', dataUpdatedAt: 100 });
const failed = state({
	status: 'error',
	error: boom,
	errorUpdatedAt: 200,
	failureCount: 4,
	failureReason: boom
});

function run(from: EntryState<string>, action: EntryAction<string>): EntryState<string> {
	return reduce(from, action);
}

describe('reduce: fetch', () => {
	it('starts fetching over data: status and data unchanged, failures reset', () => {
		const refetchError = state({ ...failed, data: 'old', dataUpdatedAt: 100 });
		const next = run(refetchError, { type: 'fetch', paused: false });
		expect(next).toEqual({ ...refetchError, fetchStatus: 'fetching', failureCount: 0, failureReason: null });
	});

	it('trying again after a failed first load keeps the error status and the error: only the fetch axis moves', () => {
		const next = run(failed, { type: 'fetch', paused: false });
		expect(next).toEqual({ ...failed, fetchStatus: 'fetching', failureCount: 0, failureReason: null });
	});

	it('starts paused when offline', () => {
		expect(run(succeeded, { type: 'fetch', paused: true })).toEqual({ ...succeeded, fetchStatus: 'paused' });
	});
});

describe('reduce: failed (a retry follows)', () => {
	it('records failureCount and failureReason; status, data and fetchStatus unchanged', () => {
		const fetching = run(succeeded, { type: 'fetch', paused: false });
		const next = run(fetching, { type: 'failed', failureCount: 2, error: boom });
		expect(next).toEqual({ ...fetching, failureCount: 2, failureReason: boom });
		expect(next.status).toBe('success');
		expect(next.data).toBe('old');
	});
});

describe('reduce: pause and continue', () => {
	it('pause moves to paused, and returns the same object when already paused', () => {
		const fetching = state({ fetchStatus: 'fetching' });
		const paused = run(fetching, { type: 'pause' });
		expect(paused).toEqual({ ...fetching, fetchStatus: 'paused' });
		expect(run(paused, { type: 'pause' })).toBe(paused);
	});

	it('continue moves to fetching, and returns the same object when already fetching', () => {
		const paused = state({ fetchStatus: 'paused', failureCount: 1, failureReason: boom });
		const fetching = run(paused, { type: 'continue' });
		expect(fetching).toEqual({ ...paused, fetchStatus: 'fetching' });
		expect(run(fetching, { type: 'continue' })).toBe(fetching);
	});
});

describe('reduce: success', () => {
	it('writes data and time, clears error and failures, goes idle', () => {
		const retrying = state({ ...failed, fetchStatus: 'fetching', failureCount: 2, failureReason: later, isInvalidated: true });
		const next = run(retrying, { type: 'success', data: 'new', at: 300, invalidated: false });
		expect(next).toEqual({
			status: 'success',
			fetchStatus: 'idle',
			data: 'new',
			error: null,
			dataUpdatedAt: 300,
			errorUpdatedAt: 200,
			failureCount: 0,
			failureReason: null,
			isInvalidated: false
		});
	});

	it('stays invalidated when an invalidation arrived during the fetch', () => {
		const next = run(state({ fetchStatus: 'fetching' }), { type: 'success', data: 'x', at: 1, invalidated: true });
		expect(next.isInvalidated).toBe(true);
	});
});

describe('reduce: error (after the last retry)', () => {
	it('first load: error/idle without data, failureCount from the action', () => {
		const fetching = state({ fetchStatus: 'fetching', failureCount: 3, failureReason: boom });
		const next = run(fetching, { type: 'error', error: later, at: 500, failureCount: 4 });
		expect(next).toEqual({
			...fetching,
			status: 'error',
			fetchStatus: 'idle',
			error: later,
			errorUpdatedAt: 500,
			failureCount: 4,
			failureReason: later
		});
		expect(next.data).toBeUndefined();
	});

	it('refetch: keeps the previous data and its timestamp', () => {
		const fetching = run(succeeded, { type: 'fetch', paused: false });
		const next = run(fetching, { type: 'error', error: boom, at: 500, failureCount: 1 });
		expect(next).toMatchObject({ status: 'error', data: 'old', dataUpdatedAt: 100, error: boom, errorUpdatedAt: 500 });
	});
});

describe('reduce: settle (the fetch result was superseded by a write)', () => {
	it('goes idle and clears failures, keeping the data axis', () => {
		const written = state({ status: 'success', data: 'w', dataUpdatedAt: 7, fetchStatus: 'fetching', failureCount: 1, failureReason: boom });
		expect(run(written, { type: 'settle' })).toEqual({ ...written, fetchStatus: 'idle', failureCount: 0, failureReason: null });
	});

	it('returns the same object when already idle without failures', () => {
		expect(run(succeeded, { type: 'settle' })).toBe(succeeded);
	});
});

describe('reduce: cancel', () => {
	it('goes idle and puts back the failures of the state before the fetch', () => {
		const before = failed;
		const retrying = state({ ...failed, fetchStatus: 'fetching', failureCount: 2, failureReason: later });
		expect(run(retrying, { type: 'cancel', before })).toEqual({ ...retrying, fetchStatus: 'idle', failureCount: 4, failureReason: boom });
	});

	it('a cancelled first load is pending/idle again', () => {
		const fetching = run(initialEntryState as EntryState<string>, { type: 'fetch', paused: false });
		expect(run(fetching, { type: 'cancel', before: initialEntryState })).toEqual(initialEntryState);
	});
});

describe('reduce: write (setQueryData, hydrate)', () => {
	it('sets success, data and time, clears error and invalidation', () => {
		const invalidatedError = state({ ...failed, data: 'old', isInvalidated: true });
		expect(run(invalidatedError, { type: 'write', data: 'w', at: 900 })).toEqual({
			...invalidatedError,
			status: 'success',
			data: 'w',
			error: null,
			dataUpdatedAt: 900,
			isInvalidated: false
		});
	});

	it('leaves a running fetch running', () => {
		const fetching = state({ fetchStatus: 'fetching' });
		expect(run(fetching, { type: 'write', data: 'w', at: 1 }).fetchStatus).toBe('fetching');
	});
});

describe('reduce: invalidate', () => {
	it('marks invalidated and changes nothing else', () => {
		expect(run(succeeded, { type: 'invalidate' })).toEqual({ ...succeeded, isInvalidated: true });
	});

	it('returns the same object when already invalidated', () => {
		const invalidated = state({ ...succeeded, isInvalidated: true });
		expect(run(invalidated, { type: 'invalidate' })).toBe(invalidated);
	});
});

describe('reduce: restore', () => {
	it('puts back the snapshot exactly when idle', () => {
		const optimistic = state({ status: 'success', data: 'optimistic', dataUpdatedAt: 999 });
		expect(run(optimistic, { type: 'restore', snapshot: failed })).toEqual(failed);
		expect(run(optimistic, { type: 'restore', snapshot: initialEntryState })).toEqual(initialEntryState);
	});

	it('keeps the live fetch axis (fetchStatus and failures) while a fetch runs', () => {
		const retrying = state({ status: 'success', data: 'optimistic', fetchStatus: 'fetching', failureCount: 1, failureReason: later });
		const snapshot = state({ ...succeeded, fetchStatus: 'idle', failureCount: 0 });
		expect(run(retrying, { type: 'restore', snapshot })).toEqual({
			...succeeded,
			fetchStatus: 'fetching',
			failureCount: 1,
			failureReason: later
		});
	});
});

describe('reduce: reset (remove of a watched entry)', () => {
	it('returns the initial state when idle', () => {
		expect(run(failed, { type: 'reset' })).toEqual(initialEntryState);
	});

	it('keeps a running fetch status', () => {
		expect(run(state({ ...succeeded, fetchStatus: 'fetching' }), { type: 'reset' })).toEqual({
			...initialEntryState,
			fetchStatus: 'fetching'
		});
	});
});

describe('reduce is pure', () => {
	it('never mutates its input (frozen inputs would throw)', () => {
		const actions: EntryAction<string>[] = [
			{ type: 'fetch', paused: false },
			{ type: 'failed', failureCount: 1, error: boom },
			{ type: 'pause' },
			{ type: 'continue' },
			{ type: 'success', data: 'x', at: 1, invalidated: false },
			{ type: 'error', error: boom, at: 1, failureCount: 1 },
			{ type: 'settle' },
			{ type: 'cancel', before: initialEntryState },
			{ type: 'write', data: 'x', at: 1 },
			{ type: 'invalidate' },
			{ type: 'restore', snapshot: succeeded },
			{ type: 'reset' }
		];
		const input = state({ status: 'success', data: 'd', fetchStatus: 'fetching', failureCount: 1, failureReason: boom });
		const copy = { ...input };
		for (const action of actions) {
			reduce(input, action);
			expect(input).toEqual(copy);
		}
	});

	it('gives the same result for the same input', () => {
		const action: EntryAction<string> = { type: 'success', data: 'x', at: 5, invalidated: false };
		expect(reduce(succeeded, action)).toEqual(reduce(succeeded, action));
	});
});
