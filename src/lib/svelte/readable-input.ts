/** Inputs that may be a plain value or a store of values. */
import { get, type Readable } from 'svelte/store';

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
 * `store`, but its first subscriber checks `input`'s current value first, so a
 * bad value throws from `subscribe` before anything is set up: a store whose
 * start function throws would keep that subscriber, and with it a watch nobody
 * can end.
 */
export function checkedFirst<T, I>(store: Readable<T>, input: Readable<I>, check: (value: I) => void): Readable<T> {
	let subscribers = 0;
	return {
		subscribe(run, invalidate) {
			if (subscribers === 0) check(get(input));
			subscribers++;
			let stop: () => void;
			try {
				stop = store.subscribe(run, invalidate);
			} catch (error) {
				subscribers--;
				throw error;
			}
			let active = true;
			return () => {
				if (!active) return;
				active = false;
				subscribers--;
				stop();
			};
		}
	};
}
