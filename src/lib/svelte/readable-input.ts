/** Inputs that may be a plain value or a store of values. */
import { untrack } from 'svelte';
import type { Readable } from 'svelte/store';
import { guardedSubscribe } from './guarded-subscribe.js';
import { noop } from '../core/errors.js';

/** Whether `value` follows the store contract (has a `subscribe` function). */
export function isReadable<T>(value: unknown): value is Readable<T> {
	return typeof value === 'object' && value !== null && typeof (value as { subscribe?: unknown }).subscribe === 'function';
}

/**
 * `run(value)`, reading nothing on the caller's behalf: a store's news handed on from inside a
 * reaction (an effect, a template, `$derived`) does not make it depend on what `run` reads, nor
 * write to state where Svelte refuses it (state_unsafe_mutation).
 */
export function runUntracked<T>(run: (value: T) => void, value: T): void {
	untrack(() => run(value));
}

/** A store that holds `value` forever. */
export function constant<T>(value: T): Readable<T> {
	return {
		subscribe(run) {
			run(value);
			return noop;
		}
	};
}

/**
 * `input.subscribe(run)` as {@link guardedSubscribe} makes it (a throw on the first
 * value, an invalid first config or key, ends the subscription and is rethrown; one
 * on a later value goes to `onLaterError`; RxJS's `{ unsubscribe }` is taken), except that:
 * - a value sent after the returned function was called (while unsubscribing) is not followed;
 * - `run` reads nothing on the input's behalf: `toStore` hands on its later
 *   values from inside its effect, which would otherwise start depending on
 *   whatever `run` reads (a `$state` object in a key, read while hashing it),
 *   but never on what it read for the first value.
 *
 * `cleanup` undoes what `run` set up (the watch of a key): it runs when subscribing
 * throws, so nothing stays subscribed, and after the returned function unsubscribed
 * from the input, even if the input's unsubscriber throws.
 */
export function subscribeOrThrow<I>(
	input: Readable<I>,
	run: (value: I) => void,
	onLaterError: (error: unknown) => void,
	cleanup: () => void
): () => void {
	let over = false;
	let unsubscribe: () => void;
	try {
		unsubscribe = guardedSubscribe(
			input,
			(value) => {
				if (!over) runUntracked(run, value);
			},
			onLaterError
		);
	} catch (error) {
		cleanup();
		throw error;
	}
	return () => {
		over = true;
		try {
			unsubscribe();
		} finally {
			cleanup(); // even if the input's unsubscriber throws
		}
	};
}
