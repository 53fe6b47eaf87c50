/** Placeholder data: the previous key's data, shown while a new key loads. */
import { KEEP_PREVIOUS } from '../core/options.js';
import type { QoraPendingState, QoraSuccessState } from '../core/state.js';

/**
 * Pass as `options.placeholderData` to `createQuery`: when the key changes,
 * keep showing the previous key's data until the new key has some, with
 * `isPlaceholderData: true`.
 */
export const keepPrevious = KEEP_PREVIOUS;

/**
 * The new key's pending state dressed as a success with the kept data. The
 * fetch axis (`fetchStatus`, `failureCount`, …) stays the new entry's, so a
 * spinner or a paused notice still shows.
 */
export function placeholderState<T>(pending: QoraPendingState, data: T): QoraSuccessState<T> {
	return {
		...pending,
		status: 'success',
		data,
		error: null,
		isPending: false,
		isSuccess: true,
		isError: false,
		isLoading: false,
		isRefetching: pending.isFetching,
		isLoadingError: false,
		isRefetchError: false,
		isPlaceholderData: true
	};
}
