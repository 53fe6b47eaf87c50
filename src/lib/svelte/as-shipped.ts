/**
 * What a server render shows of a key: what the browser's first render will, on the
 * page's payload and after the stores of the key rendered before it.
 */
import type { Readable } from 'svelte/store';
import { readInitialData, type InitialData, type ResolvedOptions } from '../core/options.js';
import type { KeyPredicate, QoraClient } from '../core/client.js';
import { noop } from '../core/errors.js';
import { computeIsStale, initialEntryState, toQoraState, type QoraState } from '../core/state.js';
import { idleState } from './idle.js';

/**
 * A state as the page ships it. Failures are left out of the payload (an error can
 * carry server details), so the browser's first render shows such a query pending:
 * the server renders it the same way, and never puts the error's message in the
 * HTML. Nor is a key without data shipped (still fetching, say, or invalidated
 * meanwhile): the browser knows nothing of it. A fetch retrying after a failure is
 * shown as what it held before it, and no failure shows (its reason, count and time):
 * the payload carries none. On a request client (`rerun`), a key without data still being
 * fetched shows as fetching: a universal load's fetch, which the browser runs again.
 */
function asShipped<T>(state: QoraState<T>, rerun: boolean): QoraState<T> {
	// A request client's fetch of a key without data is a universal load's or the page's (a server load's run on
	// prefetchOnServer's client): the browser starts it again before its first render, unless it has failed.
	if (state.status === 'error' || state.data === undefined) return rerun && state.isFetching && !state.failureCount ? toQoraState({ ...idleState, fetchStatus: 'fetching' }, true) : idleState;
	return toQoraState({ ...state, fetchStatus: 'idle', failureCount: 0, failureReason: null, errorUpdatedAt: 0 }, state.isStale);
}

/** What a query's first render in the browser does on mount. */
export interface MountedBy {
	/** The query's options, the client's defaults filled in: `enabled`, `staleTime` and the seed (`initialData`, `initialDataUpdatedAt`). */
	readonly options: ResolvedOptions;
	/** Whether a streamed payload holds the page's fetches: then nothing fetches on mount. */
	readonly held: boolean;
}

/**
 * The browser's entry for a key as the stores rendered so far on the page leave it
 * at hydration, which runs them in the server's order: what the next store of the
 * key shows first. A query seeds it or starts its fetch, and a disabled query or a
 * `createQueryState` beside it then shows that; its watchers set its `staleTime`.
 */
type Predicted = {
	/**
	 * The key's stores subscribed so far in the render: each is shown a query's prediction
	 * as it makes one, as the browser's entry tells its watchers what a mounting one did.
	 */
	readonly shown: Set<(state: QoraState<never>) => void>;
} & (
	| {
			/** Only `createQueryState`s of the key rendered so far: they change nothing, so there is no state yet. */
			readonly state?: undefined;
			readonly anyEnabled?: undefined;
	  }
	| {
			readonly state: QoraState<unknown>;
			/** The entry's: the shortest of its enabled watchers', or else the latest watcher's. */
			readonly staleTime: number;
			readonly anyEnabled: boolean;
	  }
);

/** Clients made for one server request, each rendering one page (qora/sveltekit adds them; qora/svelte knows none). */
export const requestClients = new WeakSet<QoraClient>();

/**
 * By client, then key hash. A request's client keeps them for the whole render, `await`s
 * included (Svelte's async rendering); any other for one synchronous stretch of a render,
 * so one that outlives it (it may render more than one page) starts afresh.
 */
const predictions = new WeakMap<QoraClient, Map<string, Predicted>>();

/**
 * `store` (of the key `hash` in `client`) as the browser's first render shows it:
 * every state as {@link asShipped} shows it, unless a store rendered before it on
 * the page changed the key (see {@link Predicted}); a `createQueryState` is idle and
 * as stale as the entry here, whose options the browser's entry has too. For a query, also
 * its own mount (`mount`): a key the page does not ship is seeded with `initialData`
 * when the browser would read it (the server's own watcher lays no seed), and one
 * mounting on stale data (or none) fetches at once, so it is `fetching` (`isLoading`
 * without data); any other is `idle`, whatever the server's own fetch for the key is
 * doing, except a request client's fetch of a key without data (see {@link asShipped}).
 */
export function shippedView<T>(store: Readable<QoraState<T>>, client: QoraClient, hash: string, mount?: MountedBy): Readable<QoraState<T>> {
	return {
		subscribe: (run) => {
			/** The seed, read once, as the browser reads it once (`null`: not read yet). */
			let seed: InitialData | undefined | null = null;
			/** What reading the seed threw during subscribe: thrown from it, as the browser's subscribe throws it. */
			let thrown: { error: unknown } | undefined;
			let subscribing = true;
			const stop = store.subscribe((state) => {
				const clock = client._clock;
				// A first value, or a later one once the render is over (the server's own fetch landing),
				// starts from the key as the stores before it left it, or else as the page ships it.
				let page: Map<string, Predicted> | undefined;
				if (subscribing) {
					page = predictions.get(client);
					if (page === undefined) {
						predictions.set(client, (page = new Map()));
						if (!requestClients.has(client)) queueMicrotask(() => predictions.delete(client));
					}
				} else {
					// A later state during the render (a later store of the key changed the server's entry):
					// in the browser every store of the key shows its entry, as the stores mounted so far leave it.
					const predicted = predictions.get(client)?.get(hash)?.state;
					if (predicted) return run(predicted as QoraState<T>);
				}
				const before = page?.get(hash);
				const shown = before?.shown ?? new Set();
				/** The browser's entry as this store finds it. */
				let entry = (before?.state as QoraState<T> | undefined) ?? asShipped(state, requestClients.has(client));
				if (mount === undefined) {
					// A createQueryState changes nothing; it joins the stores that later predictions reach.
					if (!before) page?.set(hash, { shown });
					shown.add(run);
					// Shipped, the entry is as stale as here: by the options of the load that fetched it (a universal
					// load runs again in the browser before the render, configuring the hydrated entry the same
					// way), or the client's defaults (hydrated from a server load's payload on both sides).
					return run(entry);
				}
				const { options } = mount;
				const fetching = entry.isFetching;
				// The browser's watcher reads the seed when the key has neither data nor a fetch, once.
				if (entry.data === undefined && !fetching && options.initialData !== undefined) {
					if (seed === null) {
						try {
							seed = readInitialData(options, clock, 'watchQuery');
						} catch (error) {
							if (!subscribing) throw error;
							thrown = { error };
							return;
						}
					}
					if (seed !== undefined) entry = toQoraState({ ...initialEntryState, status: 'success', data: seed.data as T, dataUpdatedAt: seed.at }, false);
				}
				const now = clock.now();
				const { enabled } = options;
				const staleTime = before?.anyEnabled ? (enabled ? Math.min(before.staleTime, options.staleTime) : before.staleTime) : options.staleTime;
				const fetchStatus = fetching || (enabled && !mount.held && computeIsStale(entry, options.staleTime, now)) ? 'fetching' : 'idle';
				const isStale = computeIsStale(entry, staleTime, now);
				let next = toQoraState({ ...entry, fetchStatus }, isStale);
				if (page) {
					const predicted: Predicted = { state: next, staleTime, anyEnabled: enabled || !!before?.anyEnabled, shown };
					page.set(hash, predicted);
					// A store that a subscriber subscribes meanwhile predicts anew and shows that itself: this one is old then.
					for (const show of shown) if (page.get(hash) === predicted) show(next as never);
					shown.add(run);
					next = page.get(hash)!.state as QoraState<T>;
				}
				run(next);
			});
			subscribing = false;
			if (thrown !== undefined) {
				stop();
				throw thrown.error;
			}
			return () => {
				predictions.get(client)?.get(hash)?.shown.delete(run);
				stop();
			};
		}
	};
}

/**
 * A server render's count of fetching queries (`createIsFetching`), as the browser's first render
 * shows it at this point of the page: the queries rendered so far that fetch on mount (the
 * request's own fetches do not run in the browser), all or those `test` selects.
 */
export function shippedFetchCount(client: QoraClient, test: KeyPredicate | null): Readable<number> {
	return {
		subscribe: (run) => {
			let count = 0;
			// The map's keys are canonical JSON (hashKey): parsed, the normalized parts.
			for (const [hash, predicted] of predictions.get(client) ?? []) {
				if (predicted.state?.fetchStatus === 'fetching' && (test === null || test(JSON.parse(hash)))) count++;
			}
			run(count);
			return noop;
		}
	};
}
