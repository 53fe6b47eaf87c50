/** What a server render may show of a query: what the page ships to the browser. */
import type { Readable } from 'svelte/store';
import { readInitialData, type InitialData, type ResolvedOptions } from '../core/options.js';
import type { Clock } from '../core/platform.js';
import { computeIsStale, initialEntryState, toQoraState, type QoraState } from '../core/state.js';
import { idleState } from './idle.js';

/**
 * A state as the page ships it. Failures are left out of the payload (an error can
 * carry server details), so the browser's first render shows such a query pending:
 * the server renders it the same way, and never puts the error's message in the
 * HTML. Nor is a key without data shipped (still fetching, say, or invalidated
 * meanwhile): the browser knows nothing of it. A fetch retrying after a failure is
 * shown as what it held before it. `seededOverFailure`: the data is the query's
 * `initialData`, laid by this render over a failure the page does not ship, which
 * the browser seeds anew, not invalidated (any other data keeps its invalidation,
 * which the page ships).
 */
export function asShipped<T>(state: QoraState<T>, seededOverFailure = false): QoraState<T> {
	if (state.status === 'error' || state.data === undefined) return idleState;
	if (state.failureCount === 0) return state;
	const isInvalidated = state.isInvalidated && !(seededOverFailure && state.fetchStatus === 'idle');
	return toQoraState({ ...state, fetchStatus: 'idle', failureCount: 0, failureReason: null, isInvalidated }, state.isStale);
}

/** What a query's first render in the browser does on mount. */
export interface MountedBy {
	/** The query's options, the client's defaults filled in: `enabled`, `staleTime` and the seed (`initialData`, `initialDataUpdatedAt`). */
	readonly options: ResolvedOptions;
	/** Whether a streamed payload holds the page's fetches: then nothing fetches on mount. */
	readonly held: boolean;
	/** Whether the key had failed without data before this render: a seed laid over it is the browser's to lay anew. */
	readonly failedBefore: boolean;
	readonly clock: Clock;
}

/**
 * `store` with every state as {@link asShipped} shows it; for a query, also as its
 * first render in the browser shows it (`mount`): a key the page does not ship is
 * seeded with `initialData` (which the server may not have written, over its own
 * fetch in flight), and one mounting on stale data (or none) fetches at once, so it
 * is `fetching` (`isLoading` without data); any other is `idle`, whatever the
 * server's own fetch for the key is doing.
 */
export function shippedView<T>(store: Readable<QoraState<T>>, mount?: MountedBy): Readable<QoraState<T>> {
	return {
		subscribe: (run) => {
			/** The seed, read once, as the browser reads it once (`null`: not read yet). */
			let seed: InitialData | undefined | null = null;
			/** What reading the seed threw during subscribe: thrown from it, as the browser's subscribe throws it. */
			let thrown: { error: unknown } | undefined;
			let subscribing = true;
			const stop = store.subscribe((state) => {
				let shipped = asShipped(state, mount?.failedBefore);
				if (mount === undefined) return run(shipped);
				const { clock, options } = mount;
				if (shipped.data === undefined && options.initialData !== undefined) {
					if (seed === null) {
						try {
							// With neither data nor a fetch, the server's watcher read it already (and got nothing): not twice.
							seed = subscribing && state.data === undefined && state.fetchStatus === 'idle' ? undefined : readInitialData(options, clock);
						} catch (error) {
							if (!subscribing) throw error;
							thrown = { error };
							return;
						}
					}
					if (seed !== undefined) shipped = toQoraState({ ...initialEntryState, status: 'success', data: seed.data as T, dataUpdatedAt: seed.at }, false);
				}
				const isStale = computeIsStale(shipped, options.staleTime, clock.now());
				const fetchStatus = options.enabled && !mount.held && isStale ? 'fetching' : 'idle';
				run(shipped.fetchStatus === fetchStatus && shipped.isStale === isStale ? shipped : toQoraState({ ...shipped, fetchStatus }, isStale));
			});
			subscribing = false;
			if (thrown !== undefined) {
				stop();
				throw thrown.error;
			}
			return stop;
		}
	};
}
