/** A `readable` whose start function may throw without breaking the store, and that only sends news. */
import { readable, type Readable, type Unsubscriber } from 'svelte/store';
import { endIfTakenDown } from './context.svelte.js';
import { guardedSubscribe } from './guarded-subscribe.js';
import { runUntracked } from './readable-input.js';
import { sameFields } from './same-fields.js';

/**
 * svelte/store's `readable`, for a `start` that may throw (an `initialData`
 * function that throws, an invalid config). svelte/store adds the subscriber
 * before calling `start` and keeps it when `start` throws, so its count of
 * subscribers never returns to 0: `start` never runs again and every later
 * subscriber gets the initial value forever. Here the subscriber that made
 * `start` throw is removed (its `run` is never called) and the error rethrown
 * from its `subscribe`; the next subscriber starts afresh. A subscriber whose
 * own first call throws is removed the same way: it got no unsubscriber, so
 * nothing could ever end what it started (a watch, polling). A later throw goes to
 * `report`: out of svelte/store's `set` it would leave the queue svelte/store
 * shares between all stores half-run, and no store of the app would notify again.
 *
 * `start` must undo whatever it set up before it throws.
 *
 * The `set` that `start` gets skips a value whose fields all equal the last one set
 * ({@link sameFields}): svelte/store treats every object as changed, and a snapshot
 * rebuilt with the same values is no news.
 *
 * If the component creating the store is taken down while it initialises ({@link endIfTakenDown}),
 * the running `start` is undone even though subscribers remain: nothing will ever unsubscribe them.
 */
export function recoverableReadable<T extends object>(
	initial: T,
	start: (set: (value: T) => void) => Unsubscriber,
	report: (error: unknown) => void
): Readable<T> {
	/** The error of the `start` that the `subscribe` in progress ran, if it threw. */
	let failure: { error: unknown } | null = null;
	/** The last value set (kept across subscriptions, as svelte/store keeps it). */
	let shown = initial;
	/** Undoes the `start` running now, once (see `end`). */
	let running: (() => void) | null = null;
	const make = () =>
		readable(shown, (set) => {
			try {
				const stop = start((value) => {
					// svelte/store treats every object as changed; only new values are news.
					if (sameFields(value, shown)) return;
					shown = value;
					set(value);
				});
				// Once only: after a take-down, the subscribers it left behind may still leave.
				const stopOnce = () => {
					if (running !== stopOnce) return;
					running = null;
					stop();
				};
				return (running = stopOnce);
			} catch (error) {
				failure = { error };
				return undefined;
			}
		});
	let store = make();
	// The subscribers left hear nothing more; the next subscriber starts afresh, on a store of its own.
	endIfTakenDown(() => {
		if (running === null) return;
		store = make();
		running();
	});
	return {
		subscribe(run, invalidate) {
			// svelte/store calls a subscriber once, right after the `start` its subscribe ran: a failed start
			// is thrown from that call, which makes the subscribe throw it, as it does a subscriber's own throw.
			const runUnlessStartFailed = (value: T) => {
				const failed = failure;
				// Untracked: news a template or `$derived` caused (`{await client.fetchQuery(…)}` starting a
				// fetch) reaches a `$store` there, which Svelte otherwise refuses (state_unsafe_mutation).
				if (failed === null) return runUntracked(run, value);
				failure = null;
				throw failed.error;
			};
			// A subscriber's own throws: on its first call, its subscribe throws; later, `report` hears of them.
			return guardedSubscribe(store, runUnlessStartFailed, report, invalidate);
		}
	};
}
