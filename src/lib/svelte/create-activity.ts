/** `createIsFetching` and `createIsMutating`: stores of how busy the client is, for global indicators. */
import type { Readable } from 'svelte/store';
import type { KeyPredicate, QoraClient } from '../core/client.js';
import { keyStartsWith, type KeyInput, type KeyParts } from '../core/key.js';
import { checkClient } from '../core/is-client.js';
import { shippedFetchCount } from './as-shipped.js';
import { endIfTakenDown, getQoraClient } from './context.svelte.js';
import { inBrowser } from './env.js';
import { runUntracked } from './readable-input.js';

/**
 * A store of how many queries are fetching (`client.isFetching(match)`): all of
 * them, or those `match` selects (a predicate over the normalized key parts, or a
 * key prefix). A fetch paused for the connection does not count. During server
 * rendering it shows what the browser's first render will at that point of the
 * page: the queries rendered before it that fetch on mount (not the server's own
 * fetches, which do not run in the browser).
 *
 * @param client defaults to {@link getQoraClient}, so call this while a
 *   component initialises or pass the client.
 */
export function createIsFetching(match?: KeyPredicate | KeyInput, client: QoraClient = getQoraClient()): Readable<number> {
	checkClient(client, 'createIsFetching(match, client)');
	const store = client.watchIsFetching(match, 'createIsFetching'); // an invalid prefix throws here, on both sides
	if (inBrowser()) return endedIfTakenDown(store);
	const test = match === undefined ? null : typeof match === 'function' ? match : (parts: KeyParts) => keyStartsWith(parts, match);
	return shippedFetchCount(client, test);
}

/**
 * A store of how many mutations are in flight (`client.isMutating(match)`): each
 * counts from its `mutate` call until its `onSettled` has returned, paused ones
 * included. All of them, or those whose `key` option `match` selects (a key
 * prefix or a predicate over its normalized parts).
 *
 * @param client defaults to {@link getQoraClient}, so call this while a
 *   component initialises or pass the client.
 */
export function createIsMutating(match?: KeyPredicate | KeyInput, client: QoraClient = getQoraClient()): Readable<number> {
	checkClient(client, 'createIsMutating(match, client)');
	return endedIfTakenDown(client.watchIsMutating(match, 'createIsMutating'));
}

/** `store`, whose subscriptions all end if the component creating it is taken down while it initialises ({@link endIfTakenDown}). */
function endedIfTakenDown<T>(store: Readable<T>): Readable<T> {
	const stops = new Set<() => void>();
	endIfTakenDown(() => stops.forEach((stop) => stop()));
	return {
		subscribe(run, invalidate) {
			// Untracked: a count a template or `$derived` changed (`{await client.fetchQuery(…)}` starting a
			// fetch) reaches a `$store` there, which Svelte otherwise refuses (state_unsafe_mutation).
			const unsubscribe = store.subscribe((value) => runUntracked(run, value), invalidate);
			const stop = () => {
				if (stops.delete(stop)) unsubscribe();
			};
			stops.add(stop);
			return stop;
		}
	};
}
