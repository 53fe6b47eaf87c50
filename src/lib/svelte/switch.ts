/** Following one core store at a time, for stores whose key can change. */
import type { QoraReadable } from '../core/client.js';
import { noop } from '../core/errors.js';

export interface Switch<V> {
	/**
	 * Subscribes to `store`, then unsubscribes from the store followed so far
	 * (silent from the start). If subscribing throws, the old store stays followed, unless a
	 * subscriber switched to another store meanwhile.
	 */
	to(store: QoraReadable<V>): void;
	stop(): void;
}

/**
 * Values of the followed store go to `onValue`; a store switched away from is
 * silent from then on, even if it emits while `to` is still running (a
 * subscriber that changes the key from inside its callback).
 */
export function createSwitch<V>(onValue: (value: V) => void): Switch<V> {
	let active: { stop: () => void } | null = null;
	const stop = () => {
		const link = active;
		active = null;
		link?.stop();
	};
	return {
		to(store) {
			const previous = active;
			const link = { stop: noop };
			active = link;
			let unsubscribe: () => void;
			try {
				unsubscribe = store.subscribe((value) => {
					if (active === link) onValue(value);
				});
			} catch (error) {
				// The old store was never left: its watch (fetch, polling rhythm) goes on untouched.
				if (active === link) active = previous;
				// Unless a subscriber switched on meanwhile: then it is left, as a successful switch leaves it.
				else previous?.stop();
				throw error;
			}
			previous?.stop();
			if (active === link) link.stop = unsubscribe;
			else unsubscribe();
		},
		stop
	};
}
