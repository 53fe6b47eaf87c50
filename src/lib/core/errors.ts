/** Errors Qora produces itself, and the normalisation of whatever a fetcher throws. */

/** Rejects the promises of a fetch that was cancelled (by `cancel`, `remove`, `clear` or `dispose`). */
export class CancelledError extends Error {
	override readonly name = 'CancelledError';
	constructor(message = 'The fetch was cancelled') {
		super(message);
	}
}

/**
 * Errors in state are always `Error` instances, so `state.error.message` is
 * safe to render. A non-Error thrown value is wrapped; the original is `cause`.
 */
export function toError(value: unknown): Error {
	if (value instanceof Error) return value;
	let text: string;
	try {
		text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
	} catch {
		text = Object.prototype.toString.call(value);
	}
	return new Error(`Fetcher threw a non-Error value: ${text}`, { cause: value });
}
