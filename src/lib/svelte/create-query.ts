/** `createQuery`: the `$query` store of one key, or of a key that follows a store. */
import type { Readable } from 'svelte/store';
import type { QoraClient, QueryConfig } from '../core/client.js';
import { kindOf } from '../core/errors.js';
import type { Fetcher } from '../core/entry.js';
import { hashKey, type TypedKey } from '../core/key.js';
import { keepPrevious, resolveOptions, type QoraOptions } from '../core/options.js';
import { toQoraState, type QoraState, type QoraSuccessState } from '../core/state.js';
import { getQoraClient } from './context.svelte.js';
import { inBrowser } from './env.js';
import { shippedView } from './as-shipped.js';
import { isReadable } from './readable-input.js';
import { recoverableReadable } from './recoverable-readable.js';
import { sameFields } from './same-fields.js';
import { createSwitch } from './switch.js';
import { checkClient } from '../core/is-client.js';

/**
 * The core's query options; here `placeholderData: keepPrevious` takes effect: when
 * the key changes, the previous key's data stays on screen until the new key has
 * data or an error, with `isPlaceholderData: true` (after a failed key, the key that
 * follows shows it again).
 */
export type CreateQueryOptions<T> = QoraOptions<T>;

/** Data a store showed, and the hash of the key whose entry held it, to show again while another key loads. */
interface KeptData<T> {
	readonly data: T;
	readonly hash: string;
	/** The client's count of clears when it was shown: a clear since took it out of the cache. */
	readonly clears: number;
}

/** What `createQuery` takes (or a store of it). */
export interface CreateQueryConfig<T> {
	/** Typed by `T` (see {@link KeyData}), so reads of this key are typed. */
	key: TypedKey<T>;
	fetcher: Fetcher<T>;
	options?: CreateQueryOptions<T> | undefined;
}

/** A config checked and split into what the core takes and what this layer handles. */
interface Prepared<T> {
	readonly source: CreateQueryConfig<T>;
	/** The config's fetcher as it was given: one changed on the object in place later (with its key) is another key's. */
	readonly fetcher: Fetcher<T>;
	readonly hash: string;
	/** The options the core takes: the caller's without `placeholderData`. */
	readonly options: QoraOptions<T> | undefined;
	readonly keepPrevious: boolean;
}

function prepare<T>(config: CreateQueryConfig<T>, client: QoraClient): Prepared<T> {
	if (typeof config !== 'object' || config === null) {
		// A getter is how TanStack Query's Svelte adapter (v6) takes its options: say where one goes here.
		const getter = typeof config === 'function' ? ' (wrap a getter in toStore, from svelte/store)' : '';
		throw new TypeError(`createQuery: expected { key, fetcher, options? } or a store of it${getter}, got ${kindOf(config)}`);
	}
	// Validates key, fetcher and options (placeholderData too) now, so a mistake throws where it was made.
	client._checkQuery(config, 'createQuery');
	const { options } = config;
	// A copy, so a change made to the caller's object in place is still seen as a change next time.
	const { placeholderData, ...rest } = options ?? {};
	return { source: config, fetcher: config.fetcher, hash: hashKey(config.key), options: options === undefined ? undefined : rest, keepPrevious: placeholderData === keepPrevious };
}

/** The watch of one key; fetcher and options change in place while the key stays equal. */
interface Watch<T> {
	prepared: Prepared<T>;
	/** Calls the latest fetcher (the latest config's), so a new fetcher alone needs nothing from the core. */
	readonly stableFetcher: Fetcher<T>;
	/** Gives the core's watcher new options (set once the browser watch is subscribed). */
	update: ((config: QueryConfig<T>) => void) | null;
}

/** What the core's watcher takes for `watch`: its latest key and options, and its stable fetcher. */
function queryConfig<T>(watch: Watch<T>): QueryConfig<T> {
	return { key: watch.prepared.source.key, fetcher: watch.stableFetcher, options: watch.prepared.options };
}

/**
 * The `$query` store: the state of one key, fetched as needed.
 *
 * Subscribing watches the key (fetching when there is no data or it is
 * stale; components sharing a key share one fetch); the last unsubscribe stops
 * watching, and the entry is collected `gcTime` later. Pass a store of the
 * config for keys that depend on other state (page number, route params): a
 * new key switches to that key's entry; an equal key only picks up the new
 * fetcher and options. With `options.placeholderData: keepPrevious` the
 * previous key's data stays on screen while the new key loads.
 *
 * During server rendering it never fetches: it shows what is already in the
 * client (what `load` functions prefetched), or `initialData`, as the browser's
 * first render will, `fetchStatus` included (`fetching` when the browser fetches
 * on mount), and after what the stores of the key rendered before it on the page
 * did there. A failed query shows as pending (errors are not shipped, and can
 * carry server details).
 *
 * @param client defaults to {@link getQoraClient}, so call this while a
 *   component initialises or pass the client.
 * @throws TypeError for an invalid key, fetcher or option (a store's first
 *   value is checked when the store is first subscribed).
 */
export function createQuery<T>(
	config: CreateQueryConfig<T> | Readable<CreateQueryConfig<T>>,
	client: QoraClient = getQoraClient()
): Readable<QoraState<T>> {
	checkClient(client, 'createQuery(config, client)');
	const browser = inBrowser();
	/** A plain config, checked at creation, for its emissions to reuse. */
	const prepared: Prepared<T> | null = isReadable(config) ? null : prepare(config, client);
	return recoverableReadable<T, CreateQueryConfig<T>>(config, client, (set) => {
		let watch: Watch<T> | null = null;
		/** The previous key's data, shown while the current key is pending. */
		let kept: KeptData<T> | null = null;
		/** The last data shown, so a key that failed without data does not end keepPrevious for the next one. */
		let lastData: KeptData<T> | null = null;

		/** The current key's latest state, as the core gave it. */
		let latest: QoraState<T> | null = null;

		const show = (state: QoraState<T>) => {
			latest = state;
			if (kept !== null && state.status === 'pending') {
				// The new key's pending state dressed as a success with the kept data. The fetch axis (`fetchStatus`,
				// `failureCount`, …) stays the new entry's, so a spinner or a paused notice still shows; toQoraState gives
				// the success flags for it (isRefetching while it fetches).
				lastData = kept;
				set({ ...toQoraState<T>({ ...state, status: 'success', data: kept.data, error: null }, state.isStale), isPlaceholderData: true } as QoraSuccessState<T>);
				return;
			}
			kept = null; // the new key has data or an error: the placeholder's job is done
			if (state.data !== undefined && watch !== null) lastData = { data: state.data, hash: watch.prepared.hash, clears: client._clears };
			else if (state.status === 'pending') lastData = null; // reset by remove or clear: nothing to keep
			set(state); // only news reaches subscribers: a value with the same fields is skipped
		};
		const source = createSwitch<QoraState<T>>(show);

		const onConfig = (config: CreateQueryConfig<T>) => {
			// A store's values are checked every time, even the same object: `$config.key = …` changes it in place and sets it again.
			const next = prepared ?? prepare(config, client);
			if (watch !== null && watch.prepared.hash === next.hash) {
				const optionsChanged = !sameFields(watch.prepared.options, next.options);
				watch.prepared = next;
				// keepPrevious turned off while the previous key's data shows: it leaves the screen.
				const dropsPlaceholder = kept !== null && !next.keepPrevious;
				if (dropsPlaceholder) kept = null;
				// Same key: the watch stays; new options reach it in place (no refetch, polling keeps its rhythm).
				if (optionsChanged) watch.update?.(queryConfig(watch));
				if (dropsPlaceholder && latest !== null) show(latest);
				return;
			}
			const previous = watch;
			const keptBefore = kept;
			// lastData is null until a key of this subscription showed data, so the first key keeps nothing.
			kept = next.keepPrevious ? lastData : null;
			try {
				// A new key: a new watch, which the switch follows once it is subscribed.
				const current: Watch<T> = {
					prepared: next,
					stableFetcher: (context) => {
						// Called as a plain function, as the core calls fetchers: not as a method of the config.
						const { fetcher } = current.prepared;
						return fetcher(context);
					},
					update: null
				};
				watch = current;
				const query = queryConfig(current);
				source.to(
					browser
						? {
								subscribe(run) {
									const watcher = client._watch(query, run);
									current.update = watcher.update;
									// New options for this key that a subscriber set while _watch emitted found no update to call yet.
									if (watch === current && !sameFields(current.prepared.options, query.options)) watcher.update(queryConfig(current));
									return watcher.stop;
								}
							}
						: // The server only observes the key (no fetch, no seed, no config): the view shows what the browser's first render will fetch and seed.
							shippedView(client.observeQuery<T>(query.key), client, next.hash, {
								options: resolveOptions(client.defaultOptions, next.options),
								held: client._holdsFetches
							})
				);
			} catch (error) {
				// The new key could not be watched (its initialData threw): the switch kept the one before.
				watch = previous;
				kept = keptBefore;
				throw error;
			}
		};

		// Data that remove or clear (logout) took out of the cache leaves the screen too, at once;
		// gc and newer data elsewhere do not end a placeholder.
		const stopRemovals = client._onRemove((parts) => {
			// A kept placeholder is always lastData too (show sets them together): nothing shown, nothing to drop.
			if (lastData === null) return;
			// A clear (logout) takes it even when gc collected its entry first: clear tells only of the entries it finds.
			if (lastData.clears === client._clears && lastData.hash !== hashKey(parts)) return;
			lastData = null;
			if (kept === null) return;
			kept = null;
			if (latest !== null) show(latest);
		});

		const stop = () => {
			stopRemovals();
			source.stop();
			watch = null;
			kept = lastData = latest = null;
		};
		// onConfig throws for an invalid config, or an initialData that throws: nothing may stay subscribed then.
		// A later config that fails keeps the current watch; the client reports why.
		return [onConfig, stop];
	});
}
