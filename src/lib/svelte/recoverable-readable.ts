/** The store behind `createQuery` and `createQueryState`: a `readable` of an input's values whose start may throw without breaking it, and that only sends news. */
import { readable, type Readable } from 'svelte/store';
import type { QoraClient } from '../core/client.js';
import { endIfTakenDown } from './context.svelte.js';
import { guardedSubscribe } from './guarded-subscribe.js';
import { isReadable, runUntracked } from './readable-input.js';
import { noop } from '../core/errors.js';
import { sameFields } from './same-fields.js';
import { idleState } from './idle.js';
import type { QoraState } from '../core/state.js';

/**
 * A store of a key's state, {@link idleState} until the first is set: svelte/store's `readable`,
 * whose start hands `input` (a config or key), or each value of `input` when it is a store of
 * them, to `onInput`, the first of what `start` returns. That start may throw (an
 * `initialData` function that throws, an invalid config). svelte/store adds the subscriber
 * before calling its start and keeps it when the start throws, so its count of
 * subscribers never returns to 0: the start never runs again and every later
 * subscriber gets the initial value forever. Here the subscriber that made
 * the start throw is removed (its `run` is never called) and the error rethrown
 * from its `subscribe`; the next subscriber starts afresh. A subscriber whose
 * own first call throws is removed the same way: it got no unsubscriber, so
 * nothing could ever end what it started (a watch, polling). A later throw goes to
 * the client's `_report`: out of svelte/store's `set` it would leave the queue svelte/store
 * shares between all stores half-run, and no store of the app would notify again.
 *
 * A store `input` is subscribed as {@link guardedSubscribe} does it (a throw on the first value, an
 * invalid first config or key, ends the subscription and is rethrown; one on a later value is
 * reported; RxJS's `{ unsubscribe }` is taken), except that:
 * - a value sent after the start was undone (while unsubscribing) is not followed;
 * - `onInput` reads nothing on the input's behalf: `toStore` hands on its later
 *   values from inside its effect, which would otherwise start depending on
 *   whatever `onInput` reads (a `$state` object in a key, read while hashing it),
 *   but never on what it read for the first value.
 *
 * `start` must undo whatever it set up before it throws. `cleanup`, the second of what it
 * returns, undoes what `onInput` set up (the watch of a key): it runs when subscribing to
 * `input` throws, so nothing stays subscribed, and after the last subscriber left, once
 * `input` is unsubscribed, even if its unsubscriber throws.
 *
 * The `set` that `start` gets skips a value whose fields all equal the last one set
 * ({@link sameFields}): svelte/store treats every object as changed, and a snapshot
 * rebuilt with the same values is no news.
 *
 * If the component creating the store is taken down while it initialises ({@link endIfTakenDown}),
 * the running start is undone even though subscribers remain: nothing will ever unsubscribe them.
 */
export function recoverableReadable<T, I>(
	input: I | Readable<I>,
	client: QoraClient,
	start: (set: (value: QoraState<T>) => void) => [onInput: (value: I) => void, cleanup: () => void]
): Readable<QoraState<T>> {
	// What a subscriber throws later goes where the client reports errors, as a core listener's would.
	const report = (error: unknown) => client._report(error);
	/** `input` if it is a store (decided once, as the caller decided whether to check it at the call), else null: `input` is the one value. */
	const inputs = isReadable<I>(input) ? input : null;
	/** The error of the start that the `subscribe` in progress ran, if it threw. */
	let failure: { error: unknown } | null = null;
	/** The last value set (kept across subscriptions, as svelte/store keeps it). */
	let shown: QoraState<T> = idleState;
	/** Undoes the start running now, once (see the take-down below). */
	let running: (() => void) | null = null;
	const make = () =>
		readable(shown, (set) => {
			/** Set once the start is undone: a value `input` sends while unsubscribing is not followed. */
			let over = false;
			try {
				const [onInput, cleanup] = start((value) => {
					// svelte/store treats every object as changed; only new values are news.
					if (sameFields(value, shown)) return;
					shown = value;
					set(value);
				});
				let unsubscribe = noop;
				try {
					if (inputs === null) runUntracked(onInput, input as I);
					else
						unsubscribe = guardedSubscribe(
							inputs,
							(value) => {
								if (!over) runUntracked(onInput, value);
							},
							report
						);
				} catch (error) {
					cleanup();
					throw error;
				}
				// Once only: after a take-down, the subscribers it left behind may still leave.
				const stopOnce = () => {
					if (running !== stopOnce) return;
					running = null;
					over = true;
					try {
						unsubscribe();
					} finally {
						cleanup(); // even if the input's unsubscriber throws
					}
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
			// svelte/store calls a subscriber once, right after the start its subscribe ran: a failed start
			// is thrown from that call, which makes the subscribe throw it, as it does a subscriber's own throw.
			const runUnlessStartFailed = (value: QoraState<T>) => {
				const failed = failure;
				// Untracked: news a template or `$derived` caused (`{await client.fetchQuery(…)}` starting a
				// fetch) reaches a `$store` there, which Svelte otherwise refuses (state_unsafe_mutation).
				if (failed === null) return runUntracked(run, value);
				failure = null;
				throw failed.error;
			};
			// A subscriber's own throws: on its first call, its subscribe throws; later, the client reports them.
			return guardedSubscribe(store, runUnlessStartFailed, report, invalidate);
		}
	};
}
