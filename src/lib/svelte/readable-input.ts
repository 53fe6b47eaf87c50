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
