/** Placeholder data: the previous key's data, shown while a new key loads (see `keepPrevious`). */
import { toQoraState, type QoraPendingState, type QoraSuccessState } from '../core/state.js';

/**
 * The new key's pending state dressed as a success with the kept data. The
 * fetch axis (`fetchStatus`, `failureCount`, …) stays the new entry's, so a
 * spinner or a paused notice still shows.
 */
export function placeholderState<T>(pending: QoraPendingState, data: T): QoraSuccessState<T> {
	// The flags a success with this fetch axis has; everything else is the pending state's.
	return { ...toQoraState<T>({ ...pending, status: 'success', data, error: null }, pending.isStale), isPlaceholderData: true } as QoraSuccessState<T>;
}
