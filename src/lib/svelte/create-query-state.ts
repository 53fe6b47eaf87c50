/** `createQueryState`: a store of a key's state that never fetches. */
import type { Readable } from 'svelte/store';
import type { QoraClient } from '../core/client.js';
import { hashKey, type DataOfKey, type KeyInput, type KeyData } from '../core/key.js';
import type { QoraState } from '../core/state.js';
import { getQoraClient } from './context.svelte.js';
import { shippedView } from './as-shipped.js';
import { inBrowser } from './env.js';
import { isReadable } from './readable-input.js';
import { recoverableReadable } from './recoverable-readable.js';
import { createSwitch } from './switch.js';
import { checkClient } from '../core/is-client.js';

/**
 * A store of the state of `key` (or of the key a store holds) that never
 * fetches: it shows what is cached and follows every change made by queries,
 * `setQueryData`, hydration or invalidation elsewhere. A key with no entry
 * reads as pending and idle. During server rendering it shows the key as the
 * browser's first render will: as the page ships it (a failed query reads as
 * pending, and its error is never rendered), idle and stale by the entry's options
 * (a universal load's, which the browser's rerun of the load sets too, or the client's
 * defaults), or as a query of the key rendered before it on the page left it
 * (fetching on mount, or seeded with its `initialData`).
 *
 * @param client defaults to {@link getQoraClient}, so call this while a
 *   component initialises or pass the client.
 */
export function createQueryState<T>(key: (KeyInput & KeyData<T>) | Readable<KeyInput & KeyData<T>>, client?: QoraClient): Readable<QoraState<T>>;
/** `createQueryState` of a key whose type is a union of keys typed differently: the union of their states. */
export function createQueryState<K extends KeyInput>(key: K & KeyData<unknown>, client?: QoraClient): Readable<QoraState<DataOfKey<K>>>;
/** `createQueryState` of a store of such keys. */
export function createQueryState<K extends KeyInput>(key: Readable<K & KeyData<unknown>>, client?: QoraClient): Readable<QoraState<DataOfKey<K>>>;
export function createQueryState<T>(key: KeyInput | Readable<KeyInput>, client: QoraClient = getQoraClient()): Readable<QoraState<T>> {
	checkClient(client, 'createQueryState(key, client)');
	if (!isReadable(key)) hashKey(key); // an invalid key throws here, at the call that made it
	return recoverableReadable<T, KeyInput>(key, client, (set) => {
		const source = createSwitch<QoraState<T>>(set);
		let hash: string | null = null;
		// The first key throws if invalid: nothing may stay subscribed then.
		// A later key that is invalid keeps the current one; the client reports why.
		return [
			(next) => {
				const nextHash = hashKey(next);
				if (nextHash === hash) return;
				const observed = client.observeQuery<T>(next); // throws for an invalid key, before anything changed
				const store = inBrowser() ? observed : shippedView(observed, client, nextHash);
				hash = nextHash; // before the first emission, in which a subscriber may change the key again
				source.to(store);
			},
			source.stop
		];
	});
}
