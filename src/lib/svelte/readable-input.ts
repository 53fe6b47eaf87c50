/** Inputs that may be a plain value or a store of values. */
import { untrack } from 'svelte';
import type { Readable } from 'svelte/store';
import { kindOf } from '../core/errors.js';

/** Whether `value` follows the store contract (has a `subscribe` function). */
export function isReadable<T>(value: unknown): value is Readable<T> {
	return typeof value === 'object' && value !== null && typeof (value as { subscribe?: unknown }).subscribe === 'function';
}

/** A store that holds `value` forever. */
export function constant<T>(value: T): Readable<T> {
	return {
		subscribe(run) {
			run(value);
			return () => {};
		}
	};
}

/**
 * `input.subscribe(run)`, except that:
 * - when `run` throws on a value `input` hands it while subscribing (an invalid
 *   first config or key), the subscription is ended and the error rethrown. A
 *   plain `subscribe` would throw from inside the input's own `subscribe`, which
 *   keeps the subscriber without returning a way to end it;
 * - what `run` throws on a later value goes to `onLaterError` instead: thrown
 *   from inside a svelte/store `set`, it would leave svelte/store's module-wide
 *   queue stuck, and no store of the app would update again;
 * - an `{ unsubscribe }` object (RxJS interop, which the store contract allows)
 *   is turned into the function that ends the subscription;
 * - `run` reads nothing on the input's behalf: `toStore` hands on its later
 *   values from inside its effect, which would otherwise start depending on
 *   whatever `run` reads (a `$state` object in a key, read while hashing it),
 *   but never on what it read for the first value.
 */
export function subscribeOrThrow<I>(input: Readable<I>, run: (value: I) => void, onLaterError: (error: unknown) => void): () => void {
	let subscribing = true;
	let over = false;
	let failure: { error: unknown } | null = null;
	const subscription: unknown = input.subscribe((value) => {
		// Over: ended, or failed while subscribing. A value sent while unsubscribing is not followed.
		if (over) return;
		try {
			untrack(() => run(value));
		} catch (error) {
			if (!subscribing) onLaterError(error);
			else {
				failure = { error };
				over = true;
			}
		}
	});
	let unsubscribe: () => void;
	try {
		unsubscribe = unsubscriberOf(subscription);
	} catch (error) {
		over = true; // it cannot be ended: at least nothing it sends is followed
		throw error;
	}
	const stop = () => {
		over = true;
		unsubscribe();
	};
	subscribing = false;
	const failed = failure as { error: unknown } | null;
	if (failed === null) return stop;
	stop();
	throw failed.error;
}

/** The function that ends a store subscription: what `subscribe` returned, or its `unsubscribe` method (RxJS). */
function unsubscriberOf(subscription: unknown): () => void {
	if (typeof subscription === 'function') return subscription as () => void;
	const method = (subscription as { unsubscribe?: unknown } | null)?.unsubscribe;
	if (typeof method === 'function') return () => method.call(subscription);
	// Nothing could end this subscription: a store that forgot to return its unsubscriber.
	throw new TypeError(`a store's subscribe must return a function that unsubscribes (or { unsubscribe }), got ${kindOf(subscription)}`);
}
