/**
 * A cache entry: one key's state plus the bookkeeping the client keeps for it.
 *
 * Memory matters at 100,000 entries, so an entry is one flat object: it holds
 * the stored state fields itself (it *is* an {@link EntryState}, which the pure
 * reducer reads and replaces field by field), and is its own gc task in the
 * scheduler. Watcher and fetch bookkeeping live in objects made on demand.
 */
import type { KeyParts } from './key.js';
import type { ResolvedOptions } from './options.js';
import type { Retryer } from './retry.js';
import type { Task } from './scheduler.js';
import type { EntryState, QoraFetchStatus, QoraState, QoraStatus } from './state.js';

/** What a fetcher receives: the normalized key and a signal aborted on cancel. */
export interface FetchContext {
	readonly key: KeyParts;
	readonly signal: AbortSignal;
}

/** Loads the data of a key. Throwing and rejecting are the same to Qora. */
export type Fetcher<T> = (context: FetchContext) => T | Promise<T>;

/** How an entry fetches: the options and fetcher of its latest watcher or fetchQuery call. */
export interface EntryConfig {
	readonly options: ResolvedOptions;
	readonly fetcher: Fetcher<unknown> | null;
}

/** A subscriber of an entry; `last` spares it a repeated emission of the same snapshot. */
export interface Listener {
	readonly run: (state: QoraState<unknown>) => void;
	last: QoraState<unknown> | null;
	/** The `refetchInterval` this watcher asked for; 0 for none (or not enabled). */
	readonly interval: number;
}

/** Bookkeeping of a watched entry. */
export interface WatchState {
	readonly listeners: Set<Listener>;
	/** Listeners that may fetch (watchers with `enabled`); refetch triggers need at least one. */
	enabled: number;
	/** Bumped per notification, so a nested notification can cut an outdated outer one short. */
	notifySeq: number;
	/** The snapshot last built for the watchers, reset on every change. */
	snapshot: QoraState<unknown> | null;
	/** Flips `isStale` for watchers when the data ages past `staleTime`. */
	readonly stale: Task;
	/** `refetchInterval` polling, at the shortest interval an enabled watcher asked for (0: off). */
	readonly poll: Task;
	interval: number;
}

/** The one in-flight fetch of an entry, shared by every caller (deduplication). */
export interface Run {
	retryer: Retryer<unknown>;
	controller: AbortController | null;
	/** The entry's state before this fetch (or the one it replaced) began; a cancel returns to it. */
	readonly before: EntryState;
	/** A direct write landed meanwhile: the fetch's result may predate it and is dropped. */
	overwritten: boolean;
	/** An invalidation landed meanwhile: the result may predate it, so the entry stays invalidated. */
	invalidated: boolean;
	/** What callers await; forwarded to a replacing fetch so nobody sees a spurious rejection. */
	readonly promise: Promise<unknown>;
	resolve(value: unknown): void;
	reject(error: Error): void;
}

/** Copies the stored state fields out of an entry (for snapshots that must not change with it). */
export function stateOf(entry: EntryState): EntryState {
	return {
		status: entry.status,
		fetchStatus: entry.fetchStatus,
		data: entry.data,
		error: entry.error,
		dataUpdatedAt: entry.dataUpdatedAt,
		errorUpdatedAt: entry.errorUpdatedAt,
		failureCount: entry.failureCount,
		failureReason: entry.failureReason,
		isInvalidated: entry.isInvalidated
	};
}

/**
 * The fields of every entry. The client subclasses it once per instance to add
 * the gc callback `run` on the prototype, so entries carry no per-entry closure.
 */
export abstract class Entry implements EntryState, Task {
	status: QoraStatus = 'pending';
	fetchStatus: QoraFetchStatus = 'idle';
	data: unknown = undefined;
	error: Error | null = null;
	dataUpdatedAt = 0;
	errorUpdatedAt = 0;
	failureCount = 0;
	failureReason: Error | null = null;
	isInvalidated = false;
	watch: WatchState | null = null;
	inflight: Run | null = null;
	/**
	 * When the entry may be collected, in ms since the client was created, or -1
	 * for never (relative, so it stays a small integer stored inline). The
	 * scheduled `due` may be earlier: the entry re-checks when it fires.
	 */
	gcAt = -1;
	due = 0;
	slot = -1;

	constructor(
		readonly hash: string,
		readonly parts: KeyParts,
		public config: EntryConfig
	) {}

	/** Replaces the stored state fields with those of a new state. */
	assign(next: EntryState): void {
		this.status = next.status;
		this.fetchStatus = next.fetchStatus;
		this.data = next.data;
		this.error = next.error;
		this.dataUpdatedAt = next.dataUpdatedAt;
		this.errorUpdatedAt = next.errorUpdatedAt;
		this.failureCount = next.failureCount;
		this.failureReason = next.failureReason;
		this.isInvalidated = next.isInvalidated;
	}

	abstract run(now: number): void;
}
