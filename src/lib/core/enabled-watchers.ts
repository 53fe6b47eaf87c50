/**
 * The enabled watchers of one entry, which decide how it runs: the newest one's
 * fetcher and retry settings, the shortest `staleTime` among them (the data is
 * stale as soon as one of them would call it stale), the shortest
 * `refetchInterval` (polling), and the longest `gcTime` any of them asked for
 * since the first of them joined. Joining and leaving cost O(1) for a value
 * already held and O(log n) in the number of distinct values otherwise.
 */
import type { EntryConfig, Listener } from './entry.js';
import { heapAdd, heapRemove, type HeapItem } from './heap.js';

/** A listener of an enabled watcher: it has a config. */
type EnabledListener = Listener & { readonly config: EntryConfig };

/** One distinct value of a {@link Smallest}: how many times it is held, and its place in the heap. */
interface Held extends HeapItem {
	count: number;
}

/**
 * The smallest of a multiset of numbers: a count per distinct value, and the
 * distinct values in a min-heap, so that taking out the smallest costs O(log n)
 * rather than a scan of the values left (watchers with computed `staleTime`s
 * leaving shortest first made that quadratic).
 */
class Smallest {
	readonly #held = new Map<number, Held>();
	readonly #heap: Held[] = [];

	get value(): number {
		const first = this.#heap[0];
		return first === undefined ? Infinity : first.due;
	}

	add(value: number): void {
		const held = this.#held.get(value);
		if (held !== undefined) held.count++;
		else {
			const added: Held = { due: value, slot: -1, count: 1 };
			this.#held.set(value, added);
			heapAdd(this.#heap, added);
		}
	}

	/** Takes out one `value`, which must have been added. */
	remove(value: number): void {
		const held = this.#held.get(value) as Held;
		if (--held.count > 0) return;
		this.#held.delete(value);
		heapRemove(this.#heap, held);
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
