/** `subscribe` for a store whose subscribers may throw. */
import type { Readable } from 'svelte/store';
import { kindOf } from '../core/errors.js';

/**
 * `store.subscribe(run, invalidate)`, where a `run` that throws breaks nothing. Out of
 * svelte/store's `set`, a throw would leave the queue svelte/store shares between
 * all stores half-run (no store of the app would notify again) and would stop
 * whatever called `set` (a mutation's callbacks, its retries). So a later throw
 * goes to `report`; a throw from the first call is the `subscribe`'s own: the
 * subscription is ended, as it got no unsubscriber, and the error rethrown.
 *
 * Also takes any store the store contract allows: an `{ unsubscribe }` object (RxJS
 * interop) is turned into the function that ends the subscription; a store that returns
 * neither is a TypeError, and nothing it sends is followed.
 */
export function guardedSubscribe<T>(
	store: Readable<T>,
	run: (value: T) => void,
	report: (error: unknown) => void,
	invalidate?: () => void
): () => void {
	let subscribing = true;
	/** Set once the first call threw, or the unsubscriber was missing: nothing more reaches `run`. (Typed by a cast: TypeScript's narrowing does not see it set in the callback.) */
	let failure = null as { error: unknown } | null;
	const subscription: unknown = store.subscribe((value) => {
		if (failure !== null) return;
		try {
			run(value);
		} catch (error) {
			if (subscribing) failure = { error };
			else report(error);
		}
	}, invalidate);
	/** The function that ends the subscription: what `subscribe` returned, or its `unsubscribe` method (RxJS). */
	let stop: () => void;
	try {
		if (typeof subscription === 'function') {
			stop = subscription as () => void;
		} else {
			const method = (subscription as { unsubscribe?: unknown } | null)?.unsubscribe;
			// Nothing could end this subscription: a store that forgot to return its unsubscriber.
			if (typeof method !== 'function') {
				throw new TypeError(`a store's subscribe must return a function that unsubscribes (or { unsubscribe }), got ${kindOf(subscription)}`);
			}
			stop = () => method.call(subscription);
		}
	} catch (error) {
		failure = { error }; // it cannot be ended: at least nothing it sends is followed
		throw error;
	}
	subscribing = false;
	if (failure === null) return stop;
	stop();
	throw failure.error;
}
