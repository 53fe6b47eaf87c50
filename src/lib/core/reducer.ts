/**
 * Every change to an entry's state goes through {@link reduce}: a pure function
 * of (state, action). Returning the same object means "nothing changed", which
 * is how watchers are spared an emission. States are built field by field (no
 * spread) because the client passes entries, which carry more than the state.
 */
import { initialEntryState, type EntryState, type QoraFetchStatus } from './state.js';

/** What can happen to an entry. */
export type EntryAction<T> =
	/** A fetch starts, or waits because the client is offline. */
	| { readonly type: 'fetch'; readonly paused: boolean }
	/** An attempt failed and will be retried. */
	| { readonly type: 'failed'; readonly failureCount: number; readonly error: Error }
	| { readonly type: 'pause' }
	| { readonly type: 'continue' }
	/** The fetch resolved. `stillInvalidated` when an invalidation arrived after the fetch started. */
	| { readonly type: 'success'; readonly data: T; readonly at: number; readonly stillInvalidated: boolean }
	/** The fetch failed after its last retry. */
	| { readonly type: 'error'; readonly error: Error; readonly at: number; readonly failureCount: number }
	/** The fetch ended without a result of its own (its result was superseded by a write). */
	| { readonly type: 'settle' }
	/** The fetch was cancelled: the fetch axis goes back to what it was before it. */
	| { readonly type: 'cancel'; readonly before: EntryState<T> }
	/** Data written directly (setQueryData, hydrate). A running fetch keeps running. */
	| { readonly type: 'write'; readonly data: T; readonly at: number }
	| { readonly type: 'invalidate' }
	/** Puts the data axis of a snapshot back; the fetch axis stays live. */
	| { readonly type: 'restore'; readonly snapshot: EntryState<T> }
	| { readonly type: 'reset' };

function withFetch<T>(state: EntryState<T>, fetchStatus: QoraFetchStatus, failureCount: number, failureReason: Error | null): EntryState<T> {
	return {
		status: state.status,
		fetchStatus,
		data: state.data,
		error: state.error,
		dataUpdatedAt: state.dataUpdatedAt,
		errorUpdatedAt: state.errorUpdatedAt,
		failureCount,
		failureReason,
		isInvalidated: state.isInvalidated
	};
}

/** The pure transition function of an entry. */
export function reduce<T>(state: EntryState<T>, action: EntryAction<T>): EntryState<T> {
	switch (action.type) {
		case 'fetch':
			return withFetch(state, action.paused ? 'paused' : 'fetching', 0, null);
		case 'failed':
			return withFetch(state, state.fetchStatus, action.failureCount, action.error);
		case 'pause':
			return state.fetchStatus === 'paused' ? state : withFetch(state, 'paused', state.failureCount, state.failureReason);
		case 'continue':
			return state.fetchStatus === 'fetching' ? state : withFetch(state, 'fetching', state.failureCount, state.failureReason);
		case 'success':
			return {
				status: 'success',
				fetchStatus: 'idle',
				data: action.data,
				error: null,
				dataUpdatedAt: action.at,
				errorUpdatedAt: state.errorUpdatedAt,
				failureCount: 0,
				failureReason: null,
				isInvalidated: action.stillInvalidated
			};
		case 'error':
			return {
				status: 'error',
				fetchStatus: 'idle',
				data: state.data,
				error: action.error,
				dataUpdatedAt: state.dataUpdatedAt,
				errorUpdatedAt: action.at,
				failureCount: action.failureCount,
				failureReason: action.error,
				isInvalidated: state.isInvalidated
			};
		case 'settle':
			return state.fetchStatus === 'idle' && state.failureCount === 0 ? state : withFetch(state, 'idle', 0, null);
		case 'cancel':
			return withFetch(state, 'idle', action.before.failureCount, action.before.failureReason);
		case 'write':
			return {
				status: 'success',
				fetchStatus: state.fetchStatus,
				data: action.data,
				error: null,
				dataUpdatedAt: action.at,
				errorUpdatedAt: state.errorUpdatedAt,
				failureCount: state.failureCount,
				failureReason: state.failureReason,
				isInvalidated: false
			};
		case 'invalidate':
			if (state.isInvalidated) return state;
			return {
				status: state.status,
				fetchStatus: state.fetchStatus,
				data: state.data,
				error: state.error,
				dataUpdatedAt: state.dataUpdatedAt,
				errorUpdatedAt: state.errorUpdatedAt,
				failureCount: state.failureCount,
				failureReason: state.failureReason,
				isInvalidated: true
			};
		case 'restore': {
			const { snapshot } = action;
			const idle = state.fetchStatus === 'idle';
			const failureCount = idle ? snapshot.failureCount : state.failureCount;
			const failureReason = idle ? snapshot.failureReason : state.failureReason;
			if (
				snapshot.status === state.status &&
				snapshot.data === state.data &&
				snapshot.error === state.error &&
				snapshot.dataUpdatedAt === state.dataUpdatedAt &&
				snapshot.errorUpdatedAt === state.errorUpdatedAt &&
				snapshot.isInvalidated === state.isInvalidated &&
				failureCount === state.failureCount &&
				failureReason === state.failureReason
			) {
				return state;
			}
			return {
				status: snapshot.status,
				fetchStatus: state.fetchStatus,
				data: snapshot.data,
				error: snapshot.error,
				dataUpdatedAt: snapshot.dataUpdatedAt,
				errorUpdatedAt: snapshot.errorUpdatedAt,
				failureCount,
				failureReason,
				isInvalidated: snapshot.isInvalidated
			};
		}
		case 'reset':
			return state.fetchStatus === 'idle'
				? (initialEntryState as EntryState<T>)
				: withFetch(initialEntryState as EntryState<T>, state.fetchStatus, 0, null);
	}
}
