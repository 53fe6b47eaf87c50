/**
 * QoraClient: the cache (a Map from key hash to entry), fetching with
 * deduplication and retries, watchers, invalidation, garbage collection,
 * polling, and the focus/connectivity triggers. State changes go through the
 * pure reducer; deadlines go through the client's one scheduler.
 */
import { createEntry, type Entry, type EntryTasks, type Fetcher, type Listener, type Run } from './entry.js';
import { CancelledError } from './errors.js';
import { hashKey, keyStartsWith, normalizeKey, partsFromHash, type KeyInput, type KeyParts } from './key.js';
import {
	builtinDefaults,
	resolveOptions,
	validateOptions,
	type QoraOptions,
	type QoraSharedOptions,
	type ResolvedOptions
} from './options.js';
import { globalClock, type Clock, type FocusSource, type OnlineSource, type PlatformSources } from './platform.js';
import { reduce, type EntryAction } from './reducer.js';
import { startRetryer } from './retry.js';
import { createScheduler, createTask, type Scheduler } from './scheduler.js';
import { computeIsStale, toQoraState, type EntryState, type QoraState, type QoraStatus } from './state.js';

/** The store contract: `subscribe` calls `run` at once and on every change, and returns an unsubscriber. */
export interface QoraReadable<T> {
	subscribe(this: void, run: (value: T) => void, invalidate?: () => void): () => void;
}

/** What a query is: its key, how to fetch it, and its options. */
export interface QueryConfig<T> {
	key: KeyInput;
	fetcher: Fetcher<T>;
	options?: QoraOptions<T> | undefined;
}

/** Matches entries by their normalized key parts. */
export type KeyPredicate = (parts: KeyParts) => boolean;

export interface QoraClientConfig {
	/** Overrides of the built-in defaults for every query of this client. */
	defaultOptions?: QoraSharedOptions;
	/** Time and timers; defaults to the globals, read at call time. */
	clock?: Clock;
	focus?: FocusSource;
	online?: OnlineSource;
	/** Receives errors thrown by listeners and internal tasks; defaults to `console.error`. */
	onError?: (error: unknown) => void;
}

const noop = () => {};

function reportToConsole(error: unknown): void {
	console.error('[qora] a listener or task threw:', error);
}

function assertFetcher(fetcher: unknown, where: string): void {
	if (typeof fetcher !== 'function') {
		throw new TypeError(`${where}: "fetcher" must be a function ({ key, signal }) => data, got ${typeof fetcher}`);
	}
}

function assertConfig(config: unknown, where: string): asserts config is QueryConfig<unknown> {
	if (typeof config !== 'object' || config === null) {
		throw new TypeError(`${where}: expected { key, fetcher, options? }, got ${config === null ? 'null' : typeof config}`);
	}
}

const statuses: ReadonlySet<QoraStatus> = new Set(['pending', 'success', 'error']);

/**
 * The cache and its machinery. Create one per browser session, and one per
 * request on the server (then call {@link QoraClient.dispose}).
 */
export class QoraClient {
	readonly #entries = new Map<string, Entry>();
	/** Entries with at least one enabled watcher: the ones focus, reconnect and invalidation refetch. */
	readonly #watched = new Set<Entry>();
	/** Entries with a fetch in flight. */
	readonly #fetching = new Set<Entry>();
	readonly #defaults: ResolvedOptions;
	readonly #clock: Clock;
	readonly #scheduler: Scheduler;
	readonly #onlineSources = new Set<OnlineSource>();
	readonly #detachers = new Set<() => void>();
	readonly #reportError: (error: unknown) => void;
	#wasOnline = true;
	#disposed = false;

	constructor(config: QoraClientConfig = {}) {
		if (typeof config !== 'object' || config === null) {
			throw new TypeError('new QoraClient(config): config must be an object or omitted');
		}
		validateOptions(config.defaultOptions, 'new QoraClient({ defaultOptions })', false);
		this.#defaults = Object.freeze(resolveOptions(builtinDefaults, config.defaultOptions));
		this.#clock = config.clock ?? globalClock;
		this.#reportError = config.onError ?? reportToConsole;
		this.#scheduler = createScheduler(this.#clock, (error) => this.#reportError(error));
		if (config.focus || config.online) {
			const sources: PlatformSources = {};
			if (config.focus) sources.focus = config.focus;
			if (config.online) sources.online = config.online;
			this.mount(sources);
		}
	}

	/** The resolved default options of this client. */
	get defaultOptions(): Readonly<ResolvedOptions> {
		return this.#defaults;
	}

	/** Whether every attached online source reports a connection. */
	isOnline(): boolean {
		for (const source of this.#onlineSources) if (!source.isOnline()) return false;
		return true;
	}

	/**
	 * Attaches focus and connectivity sources (the Svelte layer mounts the
	 * browser's). Returns a function that detaches them again.
	 */
	mount(sources: PlatformSources): () => void {
		const detach: (() => void)[] = [];
		const { focus, online } = sources;
		if (focus) detach.push(focus.subscribe(() => this.#onFocus()));
		if (online) {
			this.#onlineSources.add(online);
			detach.push(online.subscribe(() => this.#onConnectivityChange()));
			detach.push(() => this.#onlineSources.delete(online));
		}
		this.#onConnectivityChange();
		let attached = true;
		const detachAll = () => {
			if (!attached) return;
			attached = false;
			this.#detachers.delete(detachAll);
			for (const undo of detach) undo();
			this.#onConnectivityChange();
		};
		this.#detachers.add(detachAll);
		return detachAll;
	}

	/**
	 * Resolves with the key's data. A fresh entry resolves from the cache with no
	 * fetcher call; a stale one resolves with cached data at once and refetches in
	 * the background; an empty one fetches (with retries) and rejects with the last
	 * error if every attempt fails. Concurrent calls share one fetcher call.
	 */
	fetchQuery<T>(config: QueryConfig<T>): Promise<T> {
		const entry = this.#entryFor(config, 'fetchQuery');
		const { data } = entry.state;
		if (data !== undefined) {
			if (this.#isStale(entry, this.#clock.now())) this.#fetch(entry, false).catch(noop);
			return Promise.resolve(data as T);
		}
		return this.#fetch(entry, false) as Promise<T>;
	}

	/** Like {@link QoraClient.fetchQuery}, but never rejects: for `load` functions. */
	prefetchQuery<T>(config: QueryConfig<T>): Promise<void> {
		return this.fetchQuery(config).then(noop, noop);
	}

	/**
	 * A store of the key's state. Subscribing watches the entry: the first
	 * subscription fetches when there is no data or it is stale, later ones share
	 * that fetch. The last unsubscribe lets the entry be collected after `gcTime`.
	 */
	watchQuery<T>(config: QueryConfig<T>): QoraReadable<QoraState<T>> {
		assertConfig(config, 'watchQuery');
		assertFetcher(config.fetcher, 'watchQuery');
		validateOptions(config.options, 'watchQuery');
		const hash = hashKey(config.key);
		const options = resolveOptions(this.#defaults, config.options);
		const fetcher = config.fetcher as Fetcher<unknown>;
		return {
			subscribe: (run) =>
				this.#subscribe(hash, run as (state: QoraState<unknown>) => void, fetcher, options)
		};
	}

	/** A store of the key's state that never fetches; a key with no entry reads as pending/idle. */
	observeQuery<T>(key: KeyInput): QoraReadable<QoraState<T>> {
		const hash = hashKey(key);
		return {
			subscribe: (run) => this.#subscribe(hash, run as (state: QoraState<unknown>) => void, null, null)
		};
	}

	/** The key's current state, or `undefined` when the cache has no entry for it. */
	getState<T>(key: KeyInput): QoraState<T> | undefined {
		const entry = this.#entries.get(hashKey(key));
		return entry ? (this.#snapshot(entry, this.#clock.now()) as QoraState<T>) : undefined;
	}

	/** The key's cached data, or `undefined`. */
	getQueryData<T>(key: KeyInput): T | undefined {
		return this.#entries.get(hashKey(key))?.state.data as T | undefined;
	}

	/**
	 * Writes data (or `updater(previous)`) to the key: status success,
	 * `dataUpdatedAt` now, watchers notified. `undefined` leaves the entry
	 * unchanged. A write made while a fetch is in flight wins over that fetch's
	 * result, which may predate it.
	 */
	setQueryData<T>(key: KeyInput, dataOrUpdater: T | ((previous: T | undefined) => T | undefined)): T | undefined {
		const hash = hashKey(key);
		let entry = this.#entries.get(hash);
		const previous = entry?.state.data as T | undefined;
		const data =
			typeof dataOrUpdater === 'function'
				? (dataOrUpdater as (previous: T | undefined) => T | undefined)(previous)
				: dataOrUpdater;
		if (data === undefined) return previous;
		entry ??= this.#create(hash, this.#defaults);
		this.#write(entry, { type: 'write', data, at: this.#clock.now() });
		return data;
	}

	/**
	 * Puts back the data side of a snapshot taken with {@link QoraClient.getState}
	 * (status, data, error, timestamps); a fetch in flight keeps running. A
	 * snapshot of `undefined` removes the entry, as it did not exist then.
	 */
	restoreQueryData<T>(key: KeyInput, snapshot: QoraState<T> | undefined): void {
		if (snapshot === undefined) {
			this.remove(key);
			return;
		}
		if (typeof snapshot !== 'object' || snapshot === null || !statuses.has(snapshot.status)) {
			throw new TypeError('restoreQueryData: snapshot must be a state returned by getState, or undefined');
		}
		const hash = hashKey(key);
		const entry = this.#entries.get(hash) ?? this.#create(hash, this.#defaults);
		this.#write(entry, { type: 'restore', snapshot: snapshot as EntryState<unknown> });
	}

	/**
	 * Marks the exact key stale. If it is watched it refetches now (a fetch in
	 * flight is replaced, since it may predate the change). Resolves when that
	 * refetch settles; never rejects.
	 */
	invalidate(key: KeyInput): Promise<void> {
		const entry = this.#entries.get(hashKey(key));
		return entry ? this.#invalidateAll([entry]) : Promise.resolve();
	}

	/**
	 * {@link QoraClient.invalidate} for every entry whose key matches: a predicate
	 * over the normalized parts, or a key prefix (`['users']` matches `['users', 1]`).
	 */
	invalidateWhere(match: KeyPredicate | KeyInput): Promise<void> {
		const predicate = this.#predicate(match, 'invalidateWhere');
		// Match everything first, so a throwing predicate leaves the cache untouched.
		const matched: Entry[] = [];
		for (const entry of this.#entries.values()) if (predicate(entry.parts)) matched.push(entry);
		return this.#invalidateAll(matched);
	}

	/** Aborts the key's fetch in flight: its signal aborts, its callers get a `CancelledError`, and the state returns to what it was. */
	cancel(key: KeyInput): void {
		const entry = this.#entries.get(hashKey(key));
		if (entry) this.#cancel(entry, new CancelledError());
	}

	/** Removes the key's entry (a fetch in flight is cancelled). A watched entry is reset to pending instead, and its watchers see that. */
	remove(key: KeyInput): void {
		const entry = this.#entries.get(hashKey(key));
		if (entry) this.#remove(entry);
	}

	/** Removes every entry, as {@link QoraClient.remove} does for one. */
	clear(): void {
		for (const entry of [...this.#entries.values()]) this.#remove(entry);
	}

	/** How many entries the cache holds. */
	get size(): number {
		return this.#entries.size;
	}

	/** The normalized keys of every entry, in insertion order. */
	keys(): KeyParts[] {
		return Array.from(this.#entries.values(), (entry) => entry.parts);
	}

	/**
	 * Cancels every fetch, drops every entry, timer and platform source. Use it
	 * on the server when a request is done. Fetching from a disposed client throws.
	 */
	dispose(): void {
		if (this.#disposed) return;
		this.#disposed = true;
		for (const detach of [...this.#detachers]) detach();
		for (const entry of [...this.#fetching]) this.#cancel(entry, new CancelledError('The QoraClient was disposed'));
		this.#scheduler.dispose();
		this.#entries.clear();
		this.#watched.clear();
	}

	/** Whether {@link QoraClient.dispose} was called. */
	get isDisposed(): boolean {
		return this.#disposed;
	}

	// ---- internals shared with hydration (not part of the public surface) ----

	/** @internal Every entry, for dehydrate. */
	_entries(): IterableIterator<Entry> {
		return this.#entries.values();
	}

	/**
	 * @internal Merges one validated record: the client's entry wins when it is
	 * newer. A server timestamp ahead of this clock counts as now, so hydrated
	 * data is never fresh for longer than `staleTime` after it arrives.
	 */
	_hydrateEntry(hash: string, status: QoraStatus, data: unknown, updatedAt: number, error: Error | null): void {
		const at = Math.min(updatedAt, this.#clock.now());
		const entry = this.#entries.get(hash);
		if (status === 'success') {
			if (entry && entry.state.data !== undefined && entry.state.dataUpdatedAt >= at) return;
			this.#write(entry ?? this.#create(hash, this.#defaults), { type: 'write', data, at });
		} else if (status === 'error' && error) {
			// An error only fills an entry that has nothing better: no data and no newer error.
			if (entry && (entry.state.data !== undefined || entry.state.errorUpdatedAt >= at)) return;
			const target = entry ?? this.#create(hash, this.#defaults);
			const snapshot: EntryState = { ...target.state, status: 'error', error, errorUpdatedAt: at, failureReason: error };
			this.#write(target, { type: 'restore', snapshot });
		}
	}

	// ---- entries ----

	#entryFor(config: QueryConfig<unknown>, where: string): Entry {
		assertConfig(config, where);
		assertFetcher(config.fetcher, where);
		validateOptions(config.options, where);
		this.#assertAlive(where);
		const hash = hashKey(config.key);
		const options = resolveOptions(this.#defaults, config.options);
		const entry = this.#entries.get(hash) ?? this.#create(hash, options);
		entry.options = options;
		entry.fetcher = config.fetcher;
		this.#applyInitialData(entry);
		return entry;
	}

	#create(hash: string, options: ResolvedOptions): Entry {
		const entry = createEntry(hash, partsFromHash(hash), options);
		this.#entries.set(hash, entry);
		return entry;
	}

	#assertAlive(where: string): void {
		if (this.#disposed) throw new Error(`${where}: this QoraClient was disposed; create a new one`);
	}

	#applyInitialData(entry: Entry): void {
		const { initialData, initialDataUpdatedAt } = entry.options;
		if (initialData === undefined || entry.state.data !== undefined || entry.run) return;
		const data = typeof initialData === 'function' ? (initialData as () => unknown)() : initialData;
		if (data === undefined) return;
		this.#write(entry, { type: 'write', data, at: initialDataUpdatedAt ?? this.#clock.now() });
	}

	#isStale(entry: Entry, now: number): boolean {
		return computeIsStale(entry.state, entry.options.staleTime, now);
	}

	#snapshot(entry: Entry, now: number): QoraState<unknown> {
		const isStale = this.#isStale(entry, now);
		let snapshot = entry.snapshot;
		if (snapshot === null || snapshot.isStale !== isStale) {
			snapshot = toQoraState(entry.state, isStale);
			entry.snapshot = snapshot;
		}
		return snapshot;
	}

	#tasks(entry: Entry): EntryTasks {
		return (entry.tasks ??= {
			gc: createTask(() => this.#collect(entry)),
			stale: createTask(() => this.#notify(entry)),
			poll: createTask(() => this.#poll(entry))
		});
	}

	/** Applies an action; watchers hear of it only if the state really changed. */
	#dispatch(entry: Entry, action: EntryAction<unknown>): boolean {
		const next = reduce(entry.state, action);
		if (next === entry.state) return false;
		entry.state = next;
		entry.snapshot = null;
		this.#notify(entry);
		return true;
	}

	/** A direct write: counts against fetches in flight, and moves the entry's deadlines. */
	#write(entry: Entry, action: EntryAction<unknown>): void {
		entry.writeSeq++;
		this.#dispatch(entry, action);
		this.#afterDataChange(entry);
	}

	#notify(entry: Entry): void {
		const listeners = entry.listeners;
		if (listeners === null || listeners.size === 0) return;
		const snapshot = this.#snapshot(entry, this.#clock.now());
		const seq = ++entry.notifySeq;
		for (const listener of listeners) {
			// A listener that changed the entry already delivered a newer snapshot to everyone.
			if (entry.notifySeq !== seq) return;
			if (listener.last === snapshot) continue;
			listener.last = snapshot;
			try {
				listener.run(snapshot);
			} catch (error) {
				this.#reportError(error);
			}
		}
	}

	/** Keeps the gc and staleness deadlines in step with the entry. */
	#afterDataChange(entry: Entry): void {
		if (this.#disposed) return;
		const watched = entry.listeners !== null && entry.listeners.size > 0;
		if (!watched) {
			this.#scheduleGc(entry);
			return;
		}
		const { state } = entry;
		const { staleTime } = entry.options;
		const tasks = this.#tasks(entry);
		if (state.data === undefined || state.isInvalidated || staleTime === Infinity) {
			this.#scheduler.cancel(tasks.stale);
		} else {
			this.#scheduler.schedule(tasks.stale, state.dataUpdatedAt + staleTime);
		}
	}

	#scheduleGc(entry: Entry): void {
		const { gcTime } = entry.options;
		if (gcTime === Infinity) {
			if (entry.tasks) this.#scheduler.cancel(entry.tasks.gc);
			return;
		}
		this.#scheduler.schedule(this.#tasks(entry).gc, this.#clock.now() + gcTime);
	}

	#collect(entry: Entry): void {
		// A watcher or a fetch in flight keeps the entry; both reschedule gc when they end.
		if ((entry.listeners !== null && entry.listeners.size > 0) || entry.run) return;
		this.#delete(entry);
	}

	#delete(entry: Entry): void {
		if (this.#entries.get(entry.hash) === entry) this.#entries.delete(entry.hash);
		if (entry.tasks) {
			this.#scheduler.cancel(entry.tasks.gc);
			this.#scheduler.cancel(entry.tasks.stale);
			this.#scheduler.cancel(entry.tasks.poll);
		}
	}

	#remove(entry: Entry): void {
		this.#cancel(entry, new CancelledError('The query was removed'));
		if (entry.listeners !== null && entry.listeners.size > 0) {
			this.#write(entry, { type: 'reset' });
		} else {
			this.#delete(entry);
		}
	}

	// ---- watchers ----

	#subscribe(
		hash: string,
		run: (state: QoraState<unknown>) => void,
		fetcher: Fetcher<unknown> | null,
		options: ResolvedOptions | null
	): () => void {
		if (fetcher) this.#assertAlive('watchQuery');
		const entry = this.#entries.get(hash) ?? this.#create(hash, options ?? this.#defaults);
		const enabled = fetcher !== null && options !== null && options.enabled;
		if (fetcher && options) {
			entry.options = options;
			entry.fetcher = fetcher;
			this.#applyInitialData(entry);
		}
		const listeners = (entry.listeners ??= new Set());
		const listener: Listener = { run, last: null };
		listeners.add(listener);
		if (listeners.size === 1) {
			if (entry.tasks) this.#scheduler.cancel(entry.tasks.gc);
			this.#afterDataChange(entry);
		}
		if (enabled) {
			if (++entry.enabledWatchers === 1) {
				this.#watched.add(entry);
				this.#schedulePoll(entry);
			}
			if (!entry.run && this.#isStale(entry, this.#clock.now())) this.#fetch(entry, false).catch(noop);
		}
		// The fetch above already started, so the first emission shows it.
		const snapshot = this.#snapshot(entry, this.#clock.now());
		if (listener.last !== snapshot && listeners.has(listener)) {
			listener.last = snapshot;
			run(snapshot);
		}

		let subscribed = true;
		return () => {
			if (!subscribed) return;
			subscribed = false;
			listeners.delete(listener);
			if (enabled && --entry.enabledWatchers === 0) {
				this.#watched.delete(entry);
				if (entry.tasks) this.#scheduler.cancel(entry.tasks.poll);
			}
			if (listeners.size === 0 && !this.#disposed && this.#entries.get(entry.hash) === entry) {
				if (entry.tasks) this.#scheduler.cancel(entry.tasks.stale);
				this.#scheduleGc(entry);
			}
		};
	}

	#schedulePoll(entry: Entry): void {
		const interval = entry.options.refetchInterval;
		if (!interval) return;
		this.#scheduler.schedule(this.#tasks(entry).poll, this.#clock.now() + interval);
	}

	#poll(entry: Entry): void {
		if (entry.enabledWatchers === 0 || this.#entries.get(entry.hash) !== entry) return;
		if (!entry.run) this.#fetch(entry, false).catch(noop);
		this.#schedulePoll(entry);
	}

	// ---- fetching ----

	/** Starts (or joins) the entry's fetch. `replace` aborts one in flight and starts anew. */
	#fetch(entry: Entry, replace: boolean): Promise<unknown> {
		const current = entry.run;
		if (current && !replace) return current.promise;
		const fetcher = entry.fetcher;
		if (!fetcher) return Promise.resolve(entry.state.data);

		let resolve!: (value: unknown) => void;
		let reject!: (error: Error) => void;
		const promise = new Promise<unknown>((res, rej) => {
			resolve = res;
			reject = rej;
		});
		promise.catch(noop);
		const run: Run = {
			retryer: null as unknown as Run['retryer'],
			controller: null,
			before: current ? current.before : entry.state,
			writeSeq: entry.writeSeq,
			invalidateSeq: entry.invalidateSeq,
			promise,
			resolve,
			reject
		};
		if (current) {
			entry.run = null;
			this.#abort(current, new CancelledError('Replaced by a newer fetch'));
			current.resolve(promise);
		}
		entry.run = run;
		this.#fetching.add(entry);
		this.#dispatch(entry, { type: 'fetch', paused: !this.isOnline() });

		const context = {
			key: entry.parts,
			get signal(): AbortSignal {
				return (run.controller ??= new AbortController()).signal;
			}
		};
		const options = entry.options;
		run.retryer = startRetryer<unknown>({
			attempt: () => checkDefined(fetcher(context), entry.hash),
			retry: options.retry,
			retryDelay: options.retryDelay,
			scheduler: this.#scheduler,
			now: () => this.#clock.now(),
			isOnline: () => this.isOnline(),
			onFailure: (failureCount, error) => {
				if (entry.run === run) this.#dispatch(entry, { type: 'failed', failureCount, error });
			},
			onPause: () => {
				if (entry.run === run) this.#dispatch(entry, { type: 'pause' });
			},
			onContinue: () => {
				if (entry.run === run) this.#dispatch(entry, { type: 'continue' });
			}
		});
		run.retryer.promise.then(
			(data) => this.#settle(entry, run, data, null),
			(error: Error) => this.#settle(entry, run, undefined, error)
		);
		return promise;
	}

	#settle(entry: Entry, run: Run, data: unknown, error: Error | null): void {
		if (entry.run !== run) return; // cancelled or replaced: its outcome no longer matters
		entry.run = null;
		this.#fetching.delete(entry);
		if (entry.writeSeq !== run.writeSeq) {
			// A direct write landed during the fetch; it is newer than anything the fetch saw.
			this.#dispatch(entry, { type: 'settle' });
			run.resolve(entry.state.data);
		} else if (error) {
			this.#dispatch(entry, {
				type: 'error',
				error,
				at: this.#clock.now(),
				failureCount: run.retryer.failureCount
			});
			run.reject(error);
		} else {
			this.#dispatch(entry, {
				type: 'success',
				data,
				at: this.#clock.now(),
				stillInvalidated: entry.invalidateSeq !== run.invalidateSeq
			});
			run.resolve(data);
		}
		this.#afterDataChange(entry);
	}

	#abort(run: Run, error: Error): void {
		run.retryer.cancel(error);
		run.controller?.abort(error);
	}

	#cancel(entry: Entry, error: Error): void {
		const run = entry.run;
		if (!run) return;
		entry.run = null;
		this.#fetching.delete(entry);
		this.#abort(run, error);
		this.#dispatch(entry, { type: 'cancel', before: run.before });
		run.reject(error);
		this.#afterDataChange(entry);
	}

	#invalidateAll(entries: Entry[]): Promise<void> {
		const refetches: Promise<unknown>[] = [];
		for (const entry of entries) {
			entry.invalidateSeq++;
			if (this.#dispatch(entry, { type: 'invalidate' })) this.#afterDataChange(entry);
			if (entry.enabledWatchers > 0 && entry.fetcher && !this.#disposed) refetches.push(this.#fetch(entry, true));
		}
		return refetches.length === 0 ? Promise.resolve() : Promise.allSettled(refetches).then(noop);
	}

	#predicate(match: KeyPredicate | KeyInput, where: string): KeyPredicate {
		if (typeof match === 'function') return match;
		let prefix: KeyParts;
		try {
			prefix = normalizeKey(match);
		} catch (error) {
			throw new TypeError(`${where}: expected a predicate (parts) => boolean or a key prefix. ${(error as Error).message}`);
		}
		return (parts) => keyStartsWith(parts, prefix);
	}

	// ---- focus and connectivity ----

	#onFocus(): void {
		const now = this.#clock.now();
		for (const entry of this.#watched) {
			if (entry.options.refetchOnFocus && !entry.run && this.#isStale(entry, now)) this.#fetch(entry, false).catch(noop);
		}
	}

	#onConnectivityChange(): void {
		const online = this.isOnline();
		const cameBack = online && !this.#wasOnline;
		this.#wasOnline = online;
		if (!cameBack || this.#disposed) return;
		for (const entry of [...this.#fetching]) entry.run?.retryer.resume();
		const now = this.#clock.now();
		for (const entry of this.#watched) {
			if (entry.options.refetchOnReconnect && !entry.run && this.#isStale(entry, now)) this.#fetch(entry, false).catch(noop);
		}
	}
}

/** `undefined` means "no data" in the cache, so a fetcher may not resolve with it. */
function checkDefined(result: unknown, hash: string): unknown {
	const fail = () => {
		throw new TypeError(`The fetcher of query ${hash} resolved undefined; resolve null for "no value"`);
	};
	if (result !== null && typeof (result as PromiseLike<unknown>)?.then === 'function') {
		return Promise.resolve(result).then((value) => (value === undefined ? fail() : value));
	}
	return result === undefined ? fail() : result;
}
