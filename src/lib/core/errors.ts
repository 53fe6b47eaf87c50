/** Errors Qora produces itself, and the normalisation of whatever a fetcher throws. */

/** Rejects the promises of a fetch that was cancelled (by `cancel`, `remove`, `clear` or `dispose`). */
export class CancelledError extends Error {
	override readonly name = 'CancelledError';
	constructor(message = 'The fetch was cancelled') {
		super(message);
	}
}

/** Errors no retry can fix (a programming mistake): the retryer gives up at once. */
const permanent = new WeakSet<Error>();

/** @internal Marks `error` as one retrying cannot fix. */
export function permanentError<E extends Error>(error: E): E {
	permanent.add(error);
	return error;
}

/** @internal Whether `error` was marked by {@link permanentError}. */
export function isPermanent(error: Error): boolean {
	return permanent.has(error);
}

/** Errors made by {@link toError} around a thrown value that was not one. */
const wrappers = new WeakSet<Error>();

/**
 * Errors in state are always `Error` instances, so `state.error.message` is
 * safe to render. A non-Error thrown value is wrapped; the original is `cause`.
 */
export function toError(value: unknown): Error {
	// Total on purpose: even a revoked Proxy (which throws on every inspection)
	// must become an Error, or the fetch that rejected with it would never settle.
	let wrapper: Error;
	try {
		if (value instanceof Error) return value;
		const text = textOf(value, true);
		// JSON shows a Response, an Event or a Map as {}: their kind says more ([object Response]); an Error of another
		// realm (an iframe's, node:vm's), its own text ("TypeError: Failed to fetch"). A string is itself ("{}" too).
		const kind = Object.prototype.toString.call(value);
		wrapper = new Error(`A non-Error value was thrown: ${typeof value === 'string' ? value : text === '{}' ? (kind == '[object Error]' ? String(value) : kind) : text}`, { cause: value });
	} catch {
		wrapper = new Error('A value that cannot be inspected was thrown', { cause: value });
	}
	wrappers.add(wrapper);
	return wrapper;
}

/** @internal What was thrown: the value {@link toError} wrapped, or `error` itself. */
export function thrownValueOf(error: Error): unknown {
	return wrappers.has(error) ? error.cause : error;
}

/** Whether `value` is a promise or another thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
	return typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
}

/** @internal Does nothing: a handler that ignores what it is given. */
export const noop = (): void => {};

/**
 * @internal Whether `value` is a promise, which is then refused where a value goes: it is handled, so if it
 * rejects, the app hears of the TypeError that refuses it alone, not of an unhandled rejection too.
 */
export function isRefusedPromise(value: unknown): value is PromiseLike<unknown> {
	return isThenable(value) && (value.then(noop, noop), true);
}

/**
 * What kind of value `value` is, for a message refusing it: `null`, `an array`, `a promise` (handled, as
 * {@link isRefusedPromise} does: an async function given where a value goes), or its `typeof`.
 */
export function kindOf(value: unknown): string {
	return value === null ? 'null' : Array.isArray(value) ? 'an array' : isRefusedPromise(value) ? 'a promise' : typeof value;
}

/** What callers of a fetch get when `dispose()` (or a disposed client) stops it. */
export function disposedError(): CancelledError {
	return new CancelledError('The QoraClient was disposed');
}

/**
 * A value as text for a message (as JSON when `json`), whatever it is: a BigInt,
 * an object whose `toString` throws, a revoked Proxy. Cut to 100 characters: a
 * payload's megabyte string makes no megabyte message.
 */
export function textOf(value: unknown, json: boolean): string {
	try {
		const text = json ? (JSON.stringify(value) ?? String(value)) : String(value);
		// Never half an emoji (a high surrogate at the cut): a lone half shows as U+FFFD, and encodeURIComponent throws on it.
		return text.length > 100 ? `${text.slice(0, text.charCodeAt(99) >> 10 === 54 ? 99 : 100)}...` : text;
	} catch {
		try {
			return Object.prototype.toString.call(value);
		} catch {
			return '(a value that cannot be shown)';
		}
	}
}
