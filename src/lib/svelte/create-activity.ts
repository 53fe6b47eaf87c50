/** `createIsFetching` and `createIsMutating`: stores of how busy the client is, for global indicators. */
import type { Readable } from 'svelte/store';
import type { KeyPredicate, QoraClient } from '../core/client.js';
import type { KeyInput } from '../core/key.js';
import { checkClient } from '../core/is-client.js';
import { getQoraClient } from './context.svelte.js';

/**
 * A store of how many queries are fetching (`client.isFetching(match)`): all of
 * them, or those `match` selects (a predicate over the normalized key parts, or a
 * key prefix). A fetch paused for the connection does not count. During server
 * rendering it counts the request client's fetches, usually none: queries do not
 * fetch there, and loads await their prefetches.
 *
 * @param client defaults to {@link getQoraClient}, so call this while a
 *   component initialises or pass the client.
 */
export function createIsFetching(match?: KeyPredicate | KeyInput, client: QoraClient = getQoraClient()): Readable<number> {
	checkClient(client, 'createIsFetching(match, client)');
	return client.watchIsFetching(match);
}

/**
 * A store of how many mutations are in flight (`client.isMutating(match)`): each
 * counts from its `mutate` call until its `onSettled` has run, paused ones
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
