/**
 * The outside world reaches the client through these small interfaces, so
 * tests drive time, focus and connectivity deterministically.
 */

/** Time and timers. The default reads the globals at call time, so fake timers apply. */
export interface Clock {
	/** Wall-clock time in ms since the epoch: what timestamps (`dataUpdatedAt`…) are. */
	now(): number;
	/**
	 * Optional: ms that only ever move forward at the pace of real time (`performance.now`).
	 * With it, durations (polling, retry backoff) keep their length when the wall clock is
	 * stepped; without it (absent or `undefined`), every deadline follows `now()`.
	 */
	monotonic?: (() => number) | undefined;
	/**
	 * `keepAlive`: the timer waits for work someone awaits (a retry's backoff,
	 * polling), so in Node it should keep the process running; other timers
	 * (gc, staleness) should not. A clock may ignore it.
	 */
	setTimeout(run: () => void, ms: number, keepAlive?: boolean): unknown;
	clearTimeout(handle: unknown): void;
}

/** Tells the client when the app regains focus (window focus, tab visible, app resumed). */
export interface FocusSource {
	subscribe(onFocus: () => void): () => void;
	/**
	 * Optional: whether the app is in the foreground now (its tab visible). While it is not, polling
	 * pauses (see `refetchIntervalInBackground`); without it, the app always counts as in the foreground.
	 */
	isFocused?: (() => boolean) | undefined;
}

/** Tells the client whether the network is reachable, and when that changes. */
export interface OnlineSource {
	/** `true` or `false`; anything else (a throw, `undefined`, a promise) is reported and counts as online. */
	isOnline(): boolean;
	subscribe(onChange: (online: boolean) => void): () => void;
}

/** Platform sources attached to a client with `client.mount`. */
export interface PlatformSources {
	focus?: FocusSource | undefined;
	online?: OnlineSource | undefined;
}

/**
 * Reads `Date.now`/`setTimeout` at call time. In Node, only `keepAlive` timers
 * keep the process running: a script awaiting a retried fetch gets its answer,
 * and one that forgot `dispose()` still exits without waiting out `gcTime`.
 */
export const globalClock: Clock = {
	now: () => Date.now(),
	monotonic: () => performance.now(),
	setTimeout(run, ms, keepAlive) {
		// Node's timers have unref; a browser's handle is a number.
		const handle = setTimeout(run, ms) as unknown as { unref?: () => void } | undefined;
		if (!keepAlive) handle?.unref?.();
		return handle;
	},
	clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0])
};
