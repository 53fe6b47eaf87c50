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

/** A store whose subscribe throws, after handing the subscriber `values` if any. */
function failsToSubscribe<V>(...values: V[]) {
	return {
		subscribe(run: (value: V) => void): () => void {
			for (const value of values) run(value);
			throw new Error('cannot subscribe');
		}
	};
}

describe('createSwitch when subscribing to the next store throws', () => {
	it('keeps following the store before it', () => {
		const seen: string[] = [];
		let emit: (value: string) => void = () => {};
		let open = 0;
		const a = {
			subscribe(run: (value: string) => void) {
				open++;
				emit = run;
				run('a: 1');
				return () => void open--;
			}
		};
		const source = createSwitch<string>((value) => seen.push(value));
		source.to(a);
		expect(() => source.to(failsToSubscribe<string>())).toThrow('cannot subscribe');
		emit('a: 2');
		expect(seen).toEqual(['a: 1', 'a: 2']);
		source.stop();
		expect(open).toBe(0);
	});

	it('keeps following a store a subscriber switched to while the failing store was subscribing', () => {
		const seen: string[] = [];
		const a = emitsOnSubscribe('a: 1');
		const c = emitsOnSubscribe('c: 1');
		const source = createSwitch<string>((value) => {
			seen.push(value);
			if (value === 'b: 1') source.to(c.store);
		});
		source.to(a.store);
		expect(() => source.to(failsToSubscribe('b: 1'))).toThrow('cannot subscribe');
		expect(seen).toEqual(['a: 1', 'b: 1', 'c: 1']);
		expect(a.open()).toBe(0);
		expect(c.open()).toBe(1);
		source.stop();
		expect(c.open()).toBe(0);
	});

	it('does so for the very first store too, throwing the store’s own error', () => {
		const seen: string[] = [];
		const c = emitsOnSubscribe('c: 1');
		const source = createSwitch<string>((value) => {
			seen.push(value);
			if (value === 'b: 1') source.to(c.store);
		});
		expect(() => source.to(failsToSubscribe('b: 1'))).toThrow(/^cannot subscribe$/);
		expect(seen).toEqual(['b: 1', 'c: 1']);
		source.stop();
		expect(c.open()).toBe(0);
	});
});
