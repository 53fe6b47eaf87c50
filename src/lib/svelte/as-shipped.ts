/** What a server render may show of a query: what the page ships to the browser. */
import type { Readable } from 'svelte/store';
import type { Clock } from '../core/platform.js';
import { computeIsStale, toQoraState, type QoraState } from '../core/state.js';
import { idleState } from './idle.js';

/**
 * A state as the page ships it. Failures are left out of the payload (an error can
 * carry server details), so the browser's first render shows such a query pending:
 * the server renders it the same way, and never puts the error's message in the
 * HTML. A fetch retrying after a failure is shown as what it held before it; data
 * with a failure and no fetch running is `initialData` laid over a failure the
 * page does not ship, which the browser seeds anew, not invalidated.
 */
export function asShipped<T>(state: QoraState<T>): QoraState<T> {
	if (state.status === 'error' || (state.failureCount > 0 && state.status === 'pending')) return idleState;
	if (state.failureCount === 0) return state;
	const isInvalidated = state.isInvalidated && state.fetchStatus !== 'idle';
	return toQoraState({ ...state, fetchStatus: 'idle', failureCount: 0, failureReason: null, isInvalidated }, state.isStale);
}

/** What a query's browser render does on mount: it fetches if `enabled` and the data is stale by its `staleTime` on `clock`. */
export interface MountedBy {
	readonly enabled: boolean;
	readonly staleTime: number;
	readonly clock: Clock;
}

/**
 * `store` with every state as {@link asShipped} shows it; for a query, also as its
 * first render in the browser shows it (`mount`): one mounting on stale data (or
 * none) fetches at once, so it is `fetching` (`isLoading` without data), and any
 * other is `idle`, whatever the server's own fetch for the key is doing (a
 * disabled query, held while its data streams in, starts none).
 */
export function shippedView<T>(store: Readable<QoraState<T>>, mount?: MountedBy): Readable<QoraState<T>> {
	return {
		subscribe: (run) =>
			store.subscribe((state) => {
				const shipped = asShipped(state);
				if (mount === undefined) return run(shipped);
				const isStale = computeIsStale(shipped, mount.staleTime, mount.clock.now());
				const fetchStatus = mount.enabled && isStale ? 'fetching' : 'idle';
				run(shipped.fetchStatus === fetchStatus && shipped.isStale === isStale ? shipped : toQoraState({ ...shipped, fetchStatus }, isStale));
			})
	};
}
