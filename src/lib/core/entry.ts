/**
 * A cache entry: one key's state plus the bookkeeping the client keeps for it.
 *
 * Memory matters at 100,000 entries, so an entry is one flat object: it holds
 * the stored state fields itself (it *is* an {@link EntryState}, which the pure
 * reducer reads and replaces field by field), and is its own gc task in the
 * scheduler. Watcher and fetch bookkeeping live in objects made on demand.
 */
import type { DenseList, Placed } from './dense-list.js';
import type { KeyParts } from './key.js';
import type { ResolvedOptions, RetryOption } from './options.js';
import type { Retryer } from './retry.js';
import type { Task } from './scheduler.js';
import type { EnabledWatchers } from './enabled-watchers.js';
import type { EntryState, QoraFetchStatus, QoraState, QoraStatus } from './state.js';

/** What a fetcher receives: the normalized key and a signal aborted on cancel. */
export interface FetchContext {
	readonly key: KeyParts;
	readonly signal: AbortSignal;
}

/**
 * Loads the data of a key. Throwing and rejecting are the same to Qora. Any thenable (a query builder) is awaited.
 * It must not resolve `undefined` (a missing `return`, or `list.find(…)` finding nothing): that fails the fetch at
 * once, without retries; resolve `null` for "no value". The type does not catch it, so that generic wrappers need no constraint.
 */
export type Fetcher<T> = (context: FetchContext) => T | PromiseLike<T>;

/** How an entry fetches: what its enabled watchers decide (see enabled-watchers.ts), or the last fetchQuery call's. */
export interface EntryConfig {
	readonly options: ResolvedOptions;
	/**
	 * Null only in the client's default config, that of an entry no watcher or fetchQuery call has configured
	 * (a write, a restore, hydration, observeQuery). Every config a `#configure` hands an entry comes from a
	 * validated query config, and an enabled watcher configures its entry as it subscribes or turns enabled:
	 * so an entry with enabled watchers, or one a fetchQuery call configured, has a fetcher while the client lives.
	 */
	readonly fetcher: Fetcher<unknown> | null;
	/** The owning client's gc decision; kept here so entries need no pointer of their own. */
	readonly collect: (entry: Entry, now: number) => void;
}

/** A subscriber of an entry; `last` spares it a repeated emission of the same snapshot. */
export interface Listener extends Placed {
	readonly run: (state: QoraState<unknown>) => void;
	last: QoraState<unknown> | null;
	/** The `refetchInterval` this watcher asked for; 0 for none (or not enabled). */
	interval: number;
	/** What this watcher asked for (new options replace it); `null` for an observer (observeQuery), which never fetches. */
	config: EntryConfig | null;
	/** Neighbours in the entry's list of enabled watchers (see enabled-watchers.ts). */
	older: Listener | null;
	newer: Listener | null;
	readonly entry: Entry;
	/** The watch it joined; `null` once it unsubscribed. */
	watch: WatchState | null;
}

/** `gcAt` of an entry that is never collected: the smallest small integer, far below any real deadline. */
export const NEVER = -0x40000000;

/** When the poll was due at `interval`, before a faster poller joined; `prev`: the same for the interval before that. */
export interface PollBefore extends Task {
	readonly interval: number;
	readonly prev: PollBefore | null;
}

/** Bookkeeping of a watched entry. */
export interface WatchState {
	readonly listeners: DenseList<Listener>;
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
	/**
	 * Scheduled (it runs nothing) while a poll brought forward by a faster poller that joined has
	 * not run: when the poll was due before, so that the poller leaving first puts it back. One per
	 * faster join, newest first (`prev`), so stacked pollers leaving put back each rhythm in turn.
	 */
	pollBefore: PollBefore | null;
	interval: number;
	/** A poll was skipped while the app was in the background: it is made up for as the app comes back. */
	missedPoll: boolean;
	/** Made when the first enabled watcher joins; decides the entry's config while any is left. */
	enabledWatchers: EnabledWatchers | null;
	/** Subscriptions under way: their listener is not in `listeners` yet, but the watch must not end. */
	joining: number;
}

/** The one in-flight fetch of an entry, shared by every caller (deduplication). */
export interface Run {
	/** `null` until the first attempt starts (listeners hear of the fetch just before). */
	retryer: Retryer<unknown> | null;
	controller: AbortController | null;
	/**
	 * The entry's state before this fetch (or the one it replaced) began; a cancel returns to it.
	 * `null` once the fetch has settled, been cancelled or been replaced: the failure it holds would
	 * otherwise be kept by the next one's stack (which reaches this fetch), each keeping the one before.
	 */
	before: EntryState | null;
	/** When its latest attempt started (the clock's ms): data written later from an older source does not override it. */
	startedAt: number;
	/** A fetchQuery call awaits it: back online it goes at once, not held for resumed writes (one may be awaiting it). */
	awaited: boolean;
	/** The oldest data time among the writes counted in `writes`: a rollback to data older than that undoes them all. */
	oldestWrite: number;
	/** Direct writes that landed during the run: after one, a final failure does not hide it behind an error. */
	writes: number;
	/** `writes` when the latest attempt's request went out: a write since may postdate its result, which is dropped. */
	writesAtAttempt: number;
	/** An invalidation landed since the latest attempt's request went out: its result may predate it, so the entry stays invalidated. */
	invalidated: boolean;
	/** The fetcher is running (its synchronous part): an invalidation of the key now is one it made itself. */
	sending: boolean;
	/**
	 * It replaced a fetch, or follows one up: an invalidation now lets it land and then refetches
	 * (`followUp`), instead of replacing it again, so invalidations coming faster than the server
	 * answers still let data through. 0: neither; 1: it replaced a fetch; 2: it follows one up.
	 */
	readonly successor: number;
	/** An invalidation came since its latest attempt's request went out: once it lands, a refetch takes over its callers. */
	followUp: boolean;
	/** An enabled watcher joined it after it started: the watchers' retry settings decide from then on. */
	joined: boolean;
	/** prefetchQuery and invalidate calls waiting on it: each stops when the fetch pauses, or fails past its own `retry`. */
	waiters: { readonly retry: RetryOption; readonly release: () => void }[] | null;
	/** What invalidate calls await: settled, or paused offline. One for the fetch and every fetch replacing it. */
	idle: Promise<void> | null;
	/** What callers await; a replacing fetch takes it over, so nobody sees a spurious rejection. */
	readonly promise: Promise<unknown>;
	resolve(value: unknown): void;
	reject(reason: unknown): void;
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
 * The fields of every entry. One class for every client, so all entries share
 * one hidden class (fast property access, no megamorphic sites); fields are
 * assigned in the constructor because V8 defines class fields more slowly.
 */
export class Entry implements EntryState, Task {
	declare status: QoraStatus;
	declare fetchStatus: QoraFetchStatus;
	declare data: unknown;
	declare error: Error | null;
	declare dataUpdatedAt: number;
	declare errorUpdatedAt: number;
	declare failureCount: number;
	declare failureReason: Error | null;
	declare isInvalidated: boolean;
	/**
	 * When it was last invalidated, in ms since the client was created (small, so inline);
	 * NEVER until `invalidate` sets it, so an invalidation a restored snapshot brings, of
	 * unknown time, counts as older than any data.
	 */
	declare invalidatedAt: number;
	/**
	 * How long before `dataUpdatedAt` the request behind the data went out: set for data from a
	 * fetch or a payload, `dataUpdatedAt` itself for an undated initialData seed (of unknown age),
	 * 0 for written data (a rollback puts back that of the data it restores). Hydration weighs data
	 * by that time; dehydrate ships it (`requestedAt`).
	 */
	declare requestLead: number;
	declare watch: WatchState | null;
	declare inflight: Run | null;
	/**
	 * When the entry may be collected, in ms since the client was created, or
	 * {@link NEVER} (relative, so it stays a small integer stored inline; negative
	 * when the clock stepped back). The scheduled `due` may be earlier: the entry
	 * re-checks when it fires.
	 */
	declare gcAt: number;
	declare due: number;
	declare slot: number;
	/** The key's structural code (see key-code.ts). */
	declare readonly code: number;
	declare readonly parts: KeyParts;
	declare position: number;
	declare config: EntryConfig;

	constructor(code: number, parts: KeyParts, config: EntryConfig) {
		this.status = 'pending';
		this.fetchStatus = 'idle';
		this.data = undefined;
		this.error = null;
		this.dataUpdatedAt = 0;
		this.errorUpdatedAt = 0;
		this.failureCount = 0;
		this.failureReason = null;
		this.isInvalidated = false;
		this.invalidatedAt = NEVER;
		this.requestLead = 0;
		this.watch = null;
		this.inflight = null;
		this.gcAt = NEVER;
		this.due = 0;
		this.slot = -1;
		(this as { code: number }).code = code;
		(this as { parts: KeyParts }).parts = parts;
		this.position = -1;
		this.config = config;
	}

	/** The gc deadline came: the owning client decides (through the config, which every entry already points to). */
	run(now: number): void {
		this.config.collect(this, now);
	}
}
