/** `subscribe` for a store whose subscribers may throw. */
import type { Readable } from 'svelte/store';

/**
 * `store.subscribe`, where a subscriber that throws breaks nothing. Out of
 * svelte/store's `set`, a throw would leave the queue svelte/store shares between
 * all stores half-run (no store of the app would notify again) and would stop
 * whatever called `set` (a mutation's callbacks, its retries). So a later throw
 * goes to `report`; a throw from the first call is the `subscribe`'s own: the
 * subscriber is removed, as it got no unsubscriber, and the error rethrown.
 */
export function guardedSubscribe<T>(store: Readable<T>, report: (error: unknown) => void): Readable<T>['subscribe'] {
	return (run, invalidate) => {
		let subscribing = true;
		let thrown: { error: unknown } | null = null;
		const stop = store.subscribe((value) => {
			if (thrown !== null) return;
			try {
				run(value);
			} catch (error) {
				if (subscribing) thrown = { error };
				else report(error);
			}
		}, invalidate);
		subscribing = false;
		if (thrown === null) return stop;
		stop();
		throw (thrown as { error: unknown }).error;
	};
}
