/** Placeholder data: the previous key's data, shown while a new key loads (see `keepPrevious`). */
import { toQoraState, type QoraPendingState, type QoraSuccessState } from '../core/state.js';

/**
 * The new key's pending state dressed as a success with the kept data. The
 * fetch axis (`fetchStatus`, `failureCount`, …) stays the new entry's, so a
 * spinner or a paused notice still shows.
 */
export function placeholderState<T>(pending: QoraPendingState, data: T): QoraSuccessState<T> {
	// toQoraState gives the success flags for the new key's fetch axis (isRefetching while it fetches); its fields come from the pending state.
	return { ...toQoraState<T>({ ...pending, status: 'success', data, error: null }, pending.isStale), isPlaceholderData: true } as QoraSuccessState<T>;
}
