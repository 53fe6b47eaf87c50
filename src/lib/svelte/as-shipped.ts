/** What a server render may show of a query: what the page ships to the browser. */
import type { Readable } from 'svelte/store';
import { toQoraState, type QoraState } from '../core/state.js';
import { idleState } from './idle.js';

/**
 * A state as the page ships it. Failures are left out of the payload (an error can
 * carry server details), so the browser's first render shows such a query pending:
 * the server renders it the same way, and never puts the error's message in the
 * HTML. A fetch retrying after a failure is shown as what it held before it.
 */
export function asShipped<T>(state: QoraState<T>): QoraState<T> {
	if (state.status === 'error' || (state.failureCount > 0 && state.status === 'pending')) return idleState;
	if (state.failureCount === 0) return state;
	return toQoraState({ ...state, fetchStatus: 'idle', failureCount: 0, failureReason: null }, state.isStale);
}

/** `store` with every state as {@link asShipped} shows it. */
export function shippedView<T>(store: Readable<QoraState<T>>): Readable<QoraState<T>> {
	return { subscribe: (run) => store.subscribe((state) => run(asShipped(state))) };
}
