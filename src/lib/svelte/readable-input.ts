/** Inputs that may be a plain value or a store of values. */
import type { Readable } from 'svelte/store';

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
 * `input.subscribe(run)`, except that when `run` throws on a value `input`
 * hands it while subscribing (an invalid first config or key), the subscription
 * is ended and the error rethrown. A plain `subscribe` would throw from inside
 * the input's own `subscribe`, which keeps the subscriber without returning a
 * way to end it: it would go on receiving every later value.
 */
export function subscribeOrThrow<I>(input: Readable<I>, run: (value: I) => void): () => void {
	let subscribing = true;
	let failure: { error: unknown } | null = null;
	const stop = input.subscribe((value) => {
		if (!subscribing) return run(value);
		if (failure !== null) return; // this subscription is over
		try {
			run(value);
		} catch (error) {
			failure = { error };
		}
	});
	subscribing = false;
	const failed = failure as { error: unknown } | null;
	if (failed === null) return stop;
	stop();
	throw failed.error;
}
