/** A cache entry: one key's state plus the bookkeeping the client keeps for it. */
import type { KeyParts } from './key.js';
import type { ResolvedOptions } from './options.js';
import type { Retryer } from './retry.js';
import type { Task } from './scheduler.js';
import { initialEntryState, type EntryState, type QoraState } from './state.js';

/** What a fetcher receives: the normalized key and a signal aborted on cancel. */
export interface FetchContext {
	readonly key: KeyParts;
	readonly signal: AbortSignal;
}

/** Loads the data of a key. Throwing and rejecting are the same to Qora. */
export type Fetcher<T> = (context: FetchContext) => T | Promise<T>;

/** A subscriber of an entry; `last` spares it a repeated emission of the same snapshot. */
export interface Listener {
	readonly run: (state: QoraState<unknown>) => void;
	last: QoraState<unknown> | null;
}

/** The one in-flight fetch of an entry, shared by every caller (deduplication). */
export interface Run {
	retryer: Retryer<unknown>;
	controller: AbortController | null;
	/** The entry's state before this fetch (or the one it replaced) began; a cancel returns to it. */
	readonly before: EntryState;
	/** Direct writes and invalidations counted when the fetch began, to tell what happened meanwhile. */
	readonly writeSeq: number;
	readonly invalidateSeq: number;
	/** What callers await; forwarded to a replacing fetch so nobody sees a spurious rejection. */
	readonly promise: Promise<unknown>;
	resolve(value: unknown): void;
	reject(error: Error): void;
}

/** Deadlines of an entry, created on first need so an idle entry carries none. */
export interface EntryTasks {
	gc: Task;
	stale: Task;
	poll: Task;
}

export interface Entry {
	readonly hash: string;
	readonly parts: KeyParts;
	state: EntryState;
	/** The snapshot last built from `state`, reset on every change. */
	snapshot: QoraState<unknown> | null;
	options: ResolvedOptions;
	fetcher: Fetcher<unknown> | null;
	listeners: Set<Listener> | null;
	/** Listeners that may fetch (watchers with `enabled`); refetch triggers need at least one. */
	enabledWatchers: number;
	run: Run | null;
	writeSeq: number;
	invalidateSeq: number;
	/** Bumped per notification, so a nested notification can cut an outdated outer one short. */
	notifySeq: number;
	tasks: EntryTasks | null;
}

export function createEntry(hash: string, parts: KeyParts, options: ResolvedOptions): Entry {
	return {
		hash,
		parts,
		state: initialEntryState,
		snapshot: null,
		options,
		fetcher: null,
		listeners: null,
		enabledWatchers: 0,
		run: null,
		writeSeq: 0,
		invalidateSeq: 0,
		notifySeq: 0,
		tasks: null
	};
}
