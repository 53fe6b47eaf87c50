/**
 * The retry loop of one fetch: attempt, wait with backoff, pause while offline,
 * stop when cancelled. It knows nothing of the cache; the client listens to it.
 */
import { CancelledError, isPermanent, noop, toError } from './errors.js';
import { retryDelayFor, shouldRetry, type RetryDelayOption, type RetryOption } from './options.js';
import { createTask, type Scheduler } from './scheduler.js';

export interface RetryerConfig<T> {
	/** One attempt. May throw synchronously; that counts as a rejection. */
	attempt: () => T | PromiseLike<T>;
	retry: RetryOption;
	retryDelay: RetryDelayOption;
	scheduler: Scheduler;
	now: () => number;
	isOnline: () => boolean;
	/** Optional: whether a failure is final whatever `retry` says (control flow a fetcher throws on purpose). */
	isFinal?: (error: Error) => boolean;
	/** An attempt failed and another will follow. */
	onFailure: (failureCount: number, error: Error) => void;
	/** The next attempt waits for the connection. */
	onPause: () => void;
	/** A paused retryer continues. */
	onContinue: () => void;
	/** Where a `retry` or `retryDelay` policy's exception goes: the attempt's error stays the failure's. */
	report: (error: unknown) => void;
}

export interface Retryer<T> {
	/** Settles once: the data, the last error, or a {@link CancelledError}. */
	readonly promise: Promise<T>;
	/** Failed attempts so far. */
	readonly failureCount: number;
	readonly isPaused: boolean;
	/** Stops at once, even if the current attempt never settles. */
	cancel(error?: Error): void;
	/** Runs the next attempt if waiting for the connection and now online. */
	resume(): void;
}

export function startRetryer<T>(config: RetryerConfig<T>): Retryer<T> {
	let settled = false;
	let paused = false;
	let failureCount = 0;
	let resolvePromise!: (value: T) => void;
	let rejectPromise!: (error: Error) => void;
	const promise = new Promise<T>((resolve, reject) => {
		resolvePromise = resolve;
		rejectPromise = reject;
	});
	// Whoever needs the outcome attaches their own handlers; this one keeps an ignored
	// background fetch from surfacing as an unhandled rejection.
	promise.catch(noop);

	// Someone awaits the outcome: in Node, the wait keeps the process running.
	const backoff = createTask(() => tryNext(), true);

	function tryNext(): void {
		if (settled) return;
		// Never reached while paused: only resume() attempts again then, and it unpauses first.
		if (!config.isOnline()) {
			paused = true;
			config.onPause();
			return;
		}
		let result: T | PromiseLike<T>;
		try {
			result = config.attempt();
		} catch (error) {
			result = Promise.reject(error);
		}
		Promise.resolve(result).then(
			(data) => {
				if (settled) return;
				settled = true;
				resolvePromise(data);
			},
			(thrown: unknown) => {
				if (settled) return;
				failureCount++;
				const error = toError(thrown); // total: never throws, so the retryer always settles
				let again: boolean;
				try {
					again = !isPermanent(error) && config.isFinal?.(error) !== true && shouldRetry(config.retry, failureCount, error);
				} catch (policyError) {
					config.report(policyError);
					again = false;
				}
				if (!again) {
					settle(error);
					return;
				}
				config.onFailure(failureCount, error);
				// Offline, the failure was most likely the connection: the next attempt waits for it, not for
				// a backoff, and goes out as soon as it is back (a mutation's retry before a paused refetch).
				if (!settled && !config.isOnline()) return tryNext();
				let delay: number;
				try {
					delay = retryDelayFor(config.retryDelay, failureCount, error);
				} catch (policyError) {
					config.report(policyError);
					settle(error);
					return;
				}
				// The app's code just ran (listeners, the delay policy) and may have cancelled this retryer.
				if (!settled) config.scheduler.schedule(backoff, config.now() + delay);
			}
		);
	}

	function settle(error: Error): void {
		settled = true;
		config.scheduler.cancel(backoff);
		rejectPromise(error);
	}

	tryNext();

	return {
		promise,
		get failureCount() {
			return failureCount;
		},
		get isPaused() {
			return paused;
		},
		// Once settled, settling again changes nothing: the promise keeps its outcome.
		cancel(error = new CancelledError()) {
			settle(error);
		},
		resume() {
			if (settled || !paused || !config.isOnline()) return;
			paused = false;
			try {
				config.onContinue();
			} finally {
				// A throwing listener must not leave the retryer stuck: no longer paused, yet not attempting.
				tryNext();
			}
		}
	};
}
