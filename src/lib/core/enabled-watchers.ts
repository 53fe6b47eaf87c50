/**
 * The enabled watchers of one entry, which decide how it runs: the newest one's
 * fetcher and retry settings, the shortest `staleTime` among them (the data is
 * stale as soon as one of them would call it stale), the shortest
 * `refetchInterval` (polling), and the longest `gcTime` any of them asked for
 * since the first of them joined. Joining is O(1). Leaving is O(1), except when
 * the last watcher with the shortest `staleTime` or interval leaves: then the
 * distinct values left are scanned (a handful in practice: they are constants
 * in code), never the watchers.
 */
import type { EntryConfig, Listener } from './entry.js';

/** A listener of an enabled watcher: it has a config. */
type EnabledListener = Listener & { readonly config: EntryConfig };

/** The smallest of a multiset of numbers, kept as a count per distinct value. */
class Smallest {
	value = Infinity;
	readonly #counts = new Map<number, number>();

	add(value: number): void {
		this.#counts.set(value, (this.#counts.get(value) ?? 0) + 1);
		if (value < this.value) this.value = value;
	}

	remove(value: number): void {
		const left = (this.#counts.get(value) ?? 1) - 1;
		if (left > 0) {
			this.#counts.set(value, left);
			return;
		}
		this.#counts.delete(value);
		if (value !== this.value) return;
		this.value = Infinity;
		for (const other of this.#counts.keys()) if (other < this.value) this.value = other;
	}
}

export class EnabledWatchers {
	/** The newest enabled watcher; the older ones are reached through `older`. */
	newest: EnabledListener | null = null;
	/** The longest `gcTime` any enabled watcher asked for since the first of them joined. */
	gcTime = 0;
	readonly #staleTimes = new Smallest();
	/** The `refetchInterval`s of the watchers that poll. */
	readonly #intervals = new Smallest();

	/** The shortest `staleTime` among the enabled watchers (Infinity when none). */
	get staleTime(): number {
		return this.#staleTimes.value;
	}

	/** The shortest `refetchInterval` among the enabled watchers that poll; 0 when none does. */
	get interval(): number {
		const shortest = this.#intervals.value;
		return shortest === Infinity ? 0 : shortest;
	}

	join(listener: EnabledListener): void {
		const { staleTime, gcTime } = listener.config.options;
		if (this.newest === null) this.gcTime = 0;
		if (gcTime > this.gcTime) this.gcTime = gcTime;
		this.#staleTimes.add(staleTime);
		if (listener.interval > 0) this.#intervals.add(listener.interval);
		listener.older = this.newest;
		if (this.newest !== null) this.newest.newer = listener;
		this.newest = listener;
	}

	leave(listener: EnabledListener): void {
		const { older, newer } = listener;
		if (older !== null) older.newer = newer;
		if (newer !== null) newer.older = older;
		else this.newest = older as EnabledListener | null;
		listener.older = listener.newer = null;
		this.#staleTimes.remove(listener.config.options.staleTime);
		if (listener.interval > 0) this.#intervals.remove(listener.interval);
	}

	/** The config the entry runs with, or `null` when no enabled watcher is left. */
	config(): EntryConfig | null {
		const newest = this.newest;
		if (newest === null) return null;
		const base = newest.config;
		const { staleTime, gcTime } = this;
		if (base.options.staleTime === staleTime && base.options.gcTime === gcTime) return base;
		return { ...base, options: { ...base.options, staleTime, gcTime } };
	}
}
