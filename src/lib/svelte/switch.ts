/** Following one core store at a time, for stores whose key can change. */
import type { QoraReadable } from '../core/client.js';

export interface Switch<V> {
	/** Unsubscribes from the store followed so far, then subscribes to `store`. */
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
			stop();
			const link = { stop: () => {} };
			active = link;
			const unsubscribe = store.subscribe((value) => {
				if (active === link) onValue(value);
			});
			if (active === link) link.stop = unsubscribe;
			else unsubscribe();
		},
		stop
	};
}
