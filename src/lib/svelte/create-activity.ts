/** `createIsFetching` and `createIsMutating`: stores of how busy the client is, for global indicators. */
import type { Readable } from 'svelte/store';
import type { KeyPredicate, QoraClient } from '../core/client.js';
import { keyStartsWith, type KeyInput, type KeyParts } from '../core/key.js';
import { checkClient } from '../core/is-client.js';
import { shippedFetchCount } from './as-shipped.js';
import { getQoraClient } from './context.svelte.js';
import { inBrowser } from './env.js';

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
	const store = client.watchIsFetching(match); // an invalid prefix throws here, on both sides
	if (inBrowser()) return store;
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
	return client.watchIsMutating(match);
}
