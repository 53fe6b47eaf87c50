/**
 * Every change to an entry's state goes through {@link transition}: a pure
 * function of (state, action) returning what changes, or `null` when nothing
 * does, which is how watchers are spared an emission of an unchanged state.
 */
import { stateOf } from './entry.js';
import { initialEntryState, type EntryState } from './state.js';

/** What can happen to an entry. */
export type EntryAction<T> =
	/** A fetch starts, or waits because the client is offline. */
	| { readonly type: 'fetch'; readonly paused: boolean }
	/** An attempt failed and will be retried. */
	| { readonly type: 'failed'; readonly failureCount: number; readonly error: Error }
	| { readonly type: 'pause' }
	| { readonly type: 'continue' }
	/** The fetch resolved. `invalidated` when an invalidation arrived after the fetch started (the data stays invalidated). */
	| { readonly type: 'success'; readonly data: T; readonly at: number; readonly invalidated: boolean }
	/** The fetch failed after its last retry. */
	| { readonly type: 'error'; readonly error: Error; readonly at: number; readonly failureCount: number }
	/** The fetch ended without a result of its own (its result was superseded by a write). */
	| { readonly type: 'settle' }
	/** The fetch was cancelled: the fetch axis goes back to what it was before it. */
	| { readonly type: 'cancel'; readonly before: EntryState<T> }
	/** Data written directly (setQueryData, hydrate). A running fetch keeps running. `invalidated`: stays invalidated (hydrate). */
	| { readonly type: 'write'; readonly data: T; readonly at: number; readonly invalidated?: boolean }
	| { readonly type: 'invalidate' }
	/** Puts the data axis of a snapshot back; the fetch axis stays live. */
	| { readonly type: 'restore'; readonly snapshot: EntryState<T> }
	| { readonly type: 'reset' };

/** The fields an action changes. */
export type EntryPatch<T> = { -readonly [F in keyof EntryState<T>]?: EntryState<T>[F] };

// Constant patches for the actions without arguments: nothing to allocate.
const idleFetch = { fetchStatus: 'idle', failureCount: 0, failureReason: null } as const;
const paused = { fetchStatus: 'paused' } as const;
const fetching = { fetchStatus: 'fetching' } as const;
const invalidated = { isInvalidated: true } as const;

function patchFor<T>(state: EntryState<T>, action: EntryAction<T>): EntryPatch<T> {
	switch (action.type) {
		case 'fetch':
			// Without data too (trying again after a failed first load) the status stays: an error view
			// that watches the same key stays on screen, where turning pending would take it off, and its
			// watcher mounting again would try again, in a loop. `isFetching` shows the attempt.
			return { ...idleFetch, fetchStatus: action.paused ? 'paused' : 'fetching' };
		case 'failed':
			return { failureCount: action.failureCount, failureReason: action.error };
		case 'pause':
			return paused;
		case 'continue':
			return fetching;
		case 'success':
			return { ...idleFetch, status: 'success', data: action.data, error: null, dataUpdatedAt: action.at, isInvalidated: action.invalidated };
		case 'error':
			return { ...idleFetch, status: 'error', error: action.error, errorUpdatedAt: action.at, failureCount: action.failureCount, failureReason: action.error };
		case 'settle':
			return idleFetch;
		case 'cancel':
			return { ...idleFetch, failureCount: action.before.failureCount, failureReason: action.before.failureReason };
		case 'write':
			return { status: 'success', data: action.data, error: null, dataUpdatedAt: action.at, isInvalidated: action.invalidated === true };
		case 'invalidate':
			return invalidated;
		case 'restore': {
			const { snapshot } = action;
			const { status, data, error, dataUpdatedAt, errorUpdatedAt, isInvalidated } = snapshot;
			const patch: EntryPatch<T> = { status, data, error, dataUpdatedAt, errorUpdatedAt, isInvalidated };
			// A fetch in flight owns the failure fields; an idle entry takes them back too.
			if (state.fetchStatus === 'idle') {
				patch.failureCount = snapshot.failureCount;
				patch.failureReason = snapshot.failureReason;
			}
			return patch;
		}
		case 'reset':
			return { ...initialEntryState, fetchStatus: state.fetchStatus };
	}
}

/** The pure transition function: the fields that change, or `null` if none does. */
export function transition<T>(state: EntryState<T>, action: EntryAction<T>): EntryPatch<T> | null {
	const patch = patchFor(state, action);
	for (const name in patch) {
		if (patch[name as keyof EntryState] !== state[name as keyof EntryState]) return patch;
	}
	return null;
}

/** The whole next state (the same object when nothing changes). */
export function reduce<T>(state: EntryState<T>, action: EntryAction<T>): EntryState<T> {
	const patch = transition(state, action);
	return patch ? { ...(stateOf(state) as EntryState<T>), ...patch } : state;
}
