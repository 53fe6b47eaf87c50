/** Inputs that may be a plain value or a store of values. */
import { untrack } from 'svelte';
import type { Readable } from 'svelte/store';

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
