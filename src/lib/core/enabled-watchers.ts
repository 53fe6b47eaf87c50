/**
 * The enabled watchers of one entry, which decide the config it runs with: the
 * newest one's fetcher and retry settings, the shortest `staleTime` among them
 * (the data is stale as soon as one of them would call it stale) and the longest
 * `gcTime` any of them asked for since the first of them joined. Joining and
 * leaving are O(1) (a linked list, and a count per distinct `staleTime`), so
 * 10,000 watchers cost no more per join or leave than one.
 */
import type { EntryConfig, Listener } from './entry.js';

/** A listener of an enabled watcher: it has a config. */
type EnabledListener = Listener & { readonly config: EntryConfig };

export class EnabledWatchers {
	/** The newest enabled watcher; the older ones are reached through `older`. */
	newest: EnabledListener | null = null;
	/** The shortest `staleTime` among the enabled watchers. */
	staleTime = Infinity;
	/** The longest `gcTime` any enabled watcher asked for since the first of them joined. */
	gcTime = 0;
	readonly #staleTimeCounts = new Map<number, number>();

	join(listener: EnabledListener): void {
		const { staleTime, gcTime } = listener.config.options;
		if (this.newest === null) {
			this.staleTime = Infinity;
			this.gcTime = 0;
		}
		this.#staleTimeCounts.set(staleTime, (this.#staleTimeCounts.get(staleTime) ?? 0) + 1);
		if (staleTime < this.staleTime) this.staleTime = staleTime;
		if (gcTime > this.gcTime) this.gcTime = gcTime;
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
		const { staleTime } = listener.config.options;
		const left = (this.#staleTimeCounts.get(staleTime) ?? 1) - 1;
		if (left > 0) {
			this.#staleTimeCounts.set(staleTime, left);
			return;
		}
		this.#staleTimeCounts.delete(staleTime);
		if (staleTime !== this.staleTime) return;
		this.staleTime = Infinity;
		for (const other of this.#staleTimeCounts.keys()) if (other < this.staleTime) this.staleTime = other;
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
