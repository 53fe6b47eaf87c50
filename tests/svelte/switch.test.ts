/** createSwitch: a store switched away from while it subscribes is silent (gap found by mutation testing). */
import { describe, expect, it } from 'vitest';
import { createSwitch } from '../../src/lib/svelte/switch.js';

/** A store that hands each subscriber `values` one after the other, synchronously, while it subscribes. */
function emitsOnSubscribe<V>(...values: V[]) {
	let open = 0;
	return {
		store: {
			subscribe(run: (value: V) => void) {
				open++;
				for (const value of values) run(value);
				return () => void open--;
			}
		},
		open: () => open
	};
}

describe('createSwitch', () => {
	it('ignores what a store emits after a subscriber switched away from it in the middle of its subscribe', () => {
		const seen: string[] = [];
		const b = emitsOnSubscribe('b: pending', 'b: fetching');
		const c = emitsOnSubscribe('c: success');
		const source = createSwitch<string>((value) => {
			seen.push(value);
			// A subscriber that changes the key on the first value it sees.
			if (value === 'b: pending') source.to(c.store);
		});
		source.to(b.store);
		expect(seen).toEqual(['b: pending', 'c: success']);
		expect(b.open()).toBe(0);
		expect(c.open()).toBe(1);
		source.stop();
		expect(c.open()).toBe(0);
	});
});
