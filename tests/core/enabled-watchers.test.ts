/** EnabledWatchers: the settings an entry runs with, as its enabled watchers join and leave. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntryConfig, Listener } from '../../src/lib/core/entry.js';
import { EnabledWatchers } from '../../src/lib/core/enabled-watchers.js';

type Watcher = Listener & { config: EntryConfig; id: number };

function watcher(id: number, staleTime: number, interval = 0, gcTime = 1000): Watcher {
	const config = { key: ['k'], fetcher: () => id, options: { staleTime, gcTime } } as unknown as EntryConfig;
	return { id, config, interval, older: null, newer: null } as unknown as Watcher;
}

/** The reference: the same settings computed from scratch over the watchers present. */
function expected(present: Watcher[]) {
	const staleTimes = present.map((w) => w.config.options.staleTime);
	const intervals = present.map((w) => w.interval).filter((i) => i > 0);
	return {
		staleTime: Math.min(Infinity, ...staleTimes),
		interval: intervals.length > 0 ? Math.min(...intervals) : 0,
		newest: present.length > 0 ? (present[present.length - 1] as Watcher).id : null
	};
}

function actual(watchers: EnabledWatchers) {
	return { staleTime: watchers.staleTime, interval: watchers.interval, newest: (watchers.newest as Watcher | null)?.id ?? null };
}

describe('EnabledWatchers', () => {
	it('keeps the shortest staleTime and interval and the newest watcher through any order of joins and leaves', () => {
		// Values from a small pool repeat (counts per value); a large pool makes most of them distinct.
		const valueArb = fc.oneof(fc.constantFrom(0, 5, 5, 60_000, Infinity), fc.integer({ min: 1, max: 1_000_000 }));
		const opArb = fc.oneof(
			fc.record({ join: fc.constant(true), staleTime: valueArb, interval: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 })) }),
			fc.record({ join: fc.constant(false), pick: fc.nat(10_000) })
		);
		fc.assert(
			fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
				const watchers = new EnabledWatchers();
				const present: Watcher[] = [];
				let id = 0;
				for (const op of ops) {
					if (op.join) {
						const w = watcher(id++, op.staleTime, op.interval);
						watchers.join(w);
						present.push(w);
					} else if (present.length > 0) {
						const [w] = present.splice(op.pick % present.length, 1);
						watchers.leave(w as Watcher);
					}
					expect(actual(watchers)).toEqual(expected(present));
				}
			}),
			{ numRuns: 200 }
		);
	});

	it('finds each next shortest staleTime as thousands of distinct ones leave shortest first', () => {
		const watchers = new EnabledWatchers();
		const all = Array.from({ length: 5000 }, (_, i) => watcher(i, 5000 - i));
		for (const w of all) watchers.join(w);
		expect(watchers.staleTime).toBe(1);
		for (let i = all.length - 1; i > 0; i--) {
			watchers.leave(all[i] as Watcher);
			expect(watchers.staleTime).toBe(5000 - i + 1);
		}
		watchers.leave(all[0] as Watcher);
		expect(watchers.staleTime).toBe(Infinity);
	});

	it('keeps the shortest staleTime of a watcher that stays while thousands of others come and go', () => {
		const watchers = new EnabledWatchers();
		watchers.join(watcher(-1, 50));
		for (let i = 0; i < 5000; i++) {
			const staleTime = i % 2 === 0 ? 10 + i : 100 + i;
			const w = watcher(i, staleTime);
			watchers.join(w);
			expect(watchers.staleTime).toBe(Math.min(50, staleTime));
			watchers.leave(w);
			expect(watchers.staleTime).toBe(50);
		}
	});

	it('keeps the shortest of the watchers that stay, whichever joined first, while many longer ones come and go', () => {
		const watchers = new EnabledWatchers();
		const long = watcher(-2, 1000);
		const short = watcher(-1, 5);
		watchers.join(long);
		watchers.join(short);
		for (let i = 0; i < 200; i++) {
			const w = watcher(i, 2000 + i);
			watchers.join(w);
			watchers.leave(w);
			expect(watchers.staleTime).toBe(5);
		}
		watchers.leave(short);
		expect(watchers.staleTime).toBe(1000);
	});

	it('counts a value again after it left and came back', () => {
		const watchers = new EnabledWatchers();
		const long = watcher(0, 1000);
		const short = watcher(1, 10);
		watchers.join(long);
		watchers.join(short);
		watchers.leave(short);
		expect(watchers.staleTime).toBe(1000);
		const again = watcher(2, 10);
		watchers.join(again);
		expect(watchers.staleTime).toBe(10);
		watchers.leave(long);
		expect(watchers.staleTime).toBe(10);
		watchers.leave(again);
		expect(watchers.staleTime).toBe(Infinity);
	});

	it('runs with the newest watcher config, with the shortest staleTime and the longest gcTime asked since the first joined', () => {
		const watchers = new EnabledWatchers();
		expect(watchers.config()).toBeNull();
		const first = watcher(0, 100, 0, 5000);
		const second = watcher(1, 500, 0, 10);
		watchers.join(first);
		expect(watchers.config()).toBe(first.config);
		watchers.join(second);
		expect(watchers.config()).toMatchObject({ fetcher: second.config.fetcher, options: { staleTime: 100, gcTime: 5000 } });
		watchers.leave(first);
		// gcTime stays the longest asked for until every watcher has left.
		expect(watchers.config()).toMatchObject({ options: { staleTime: 500, gcTime: 5000 } });
		watchers.leave(second);
		expect(watchers.config()).toBeNull();
		const third = watcher(2, 7, 0, 10);
		watchers.join(third);
		expect(watchers.config()).toBe(third.config);
	});
});
