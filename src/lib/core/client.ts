/**
 * QoraClient: the cache (entries indexed by their key's structural code), fetching with
 * deduplication and retries, watchers, invalidation, garbage collection,
 * polling, and the focus/connectivity triggers. State changes go through the
 * pure reducer; deadlines go through the client's one scheduler.
 */
// Not alphabetical: a bundler lays out the modules hydration.ts has not loaded yet in this import order,
// which gzips smallest (about 20 B of `npm run size`; it changes nothing else).
import { Entry, NEVER, stateOf, type EntryConfig, type Fetcher, type Listener, type Run, type WatchState } from './entry.js';
import { transition, type EntryAction } from './reducer.js';
import { KeyMap } from './key-map.js';
import { createScheduler, createTask, small, type Scheduler } from './scheduler.js';
import { DenseList } from './dense-list.js';
import { EnabledWatchers } from './enabled-watchers.js';
import { globalClock, type Clock, type FocusSource, type OnlineSource, type PlatformSources } from './platform.js';
import { startRetryer } from './retry.js';
import { CancelledError, disposedError, isPermanent, isRefusedPromise, isThenable, kindOf, noop, permanentError, textOf, thrownValueOf } from './errors.js';
import { keyCode } from './key-code.js';
import { copyValidKey, normalizeKey, partsStartWith, type DataOfKey, type KeyInput, type KeyData, type KeyParts, type TypedKey } from './key.js';
import {
	builtinDefaults,
	checkFields,
	readInitialData,
	resolveOptions,
	shouldRetry,
	validateOptions,
	refuseSeed,
	type QoraOptions,
	type InitialData,
	type QoraSharedOptions,
	type ResolvedOptions,
	type RetryOption,
	type Uninferred
} from './options.js';
import { computeIsStale, invalidStateField, isStaleAtAnyAge, toQoraState, type EntryState, type QoraState, type QoraStatus } from './state.js';

/** The store contract: `subscribe` calls `run` at once and on every change, and returns an unsubscriber. */
export interface QoraReadable<T> {
	subscribe(this: void, run: (value: T) => void, invalidate?: () => void): () => void;
}

/** What a query is: its key, how to fetch it, and its options. */
export interface QueryConfig<T> {
	/** Typed by `T` (see {@link KeyData}), so reads of this key are typed. */
	key: TypedKey<T>;
	fetcher: Fetcher<T>;
	options?: QoraOptions<T> | undefined;
}

/** @internal One validated entry of a dehydrated payload. */
export interface HydrationRecord {
	readonly key: KeyInput;
	readonly code: number;
	readonly status: QoraStatus;
	readonly data: unknown;
	readonly dataUpdatedAt: number;
	/** When the request behind the data went out (`dataUpdatedAt` when unknown): the data is at least that new. */
	readonly requestedAt: number;
	readonly errorUpdatedAt: number;
	/** Set exactly when the status is 'error' (validated). */
	readonly error: Error | null;
	/** The sender had invalidated the data: it arrives stale. */
	readonly invalidated: boolean;
}

/** What `setQueryData` writes: the data, or an updater of the previous data; `undefined` writes nothing. */
export type DataWrite<T> = T | undefined | ((previous: T | undefined) => T | undefined);

/** Matches entries by their normalized key parts. */
export type KeyPredicate = (parts: KeyParts) => boolean;

/** What `new QoraClient(config)` takes; every field is optional, and an unknown one throws a TypeError. */
export interface QoraClientConfig {
	/** Overrides of the built-in defaults for every query of this client (shared options only: no `initialData` or `placeholderData`). */
	defaultOptions?: QoraSharedOptions | undefined;
	/** Time and timers; defaults to the globals, read at call time. */
	clock?: Clock | undefined;
	/** A focus source to attach at once, as {@link QoraClient.mount} would (the Svelte layer mounts the browser's). */
	focus?: FocusSource | undefined;
	/** A connectivity source to attach at once, as {@link QoraClient.mount} would. */
	online?: OnlineSource | undefined;
	/**
	 * Receives errors thrown by listeners, internal tasks and `retry`/`retryDelay` policies (the fetch
	 * keeps its own error); defaults to `console.error`.
	 */
	onError?: ((error: unknown) => void) | undefined;
	/**
	 * Called when a query's fetch fails for good (after its retries) and its state shows the error,
	 * with the error and the key: one place for error toasts, or to follow a SvelteKit `redirect()` a
	 * fetcher threw in the browser (the error's `cause`). Not called for a cancelled fetch, nor for a
	 * failure a write made meanwhile or a refetch following it hides. What it throws goes to `onError`.
	 */
	onQueryError?: ((error: Error, key: KeyParts) => void) | undefined;
}

function reportToConsole(error: unknown): void {
	console.error('[qora] a listener or task threw:', error);
}

/** Validates a query config's fields, fetcher and options (not its key), naming `where` in errors. */
function checkQueryFields(config: unknown, where: string): asserts config is QueryConfig<unknown> {
	// An array is most likely a key passed where the config goes (other libraries' fetchQuery(key, fn)).
	if (typeof config !== 'object' || config === null || Array.isArray(config)) {
		throw new TypeError(`${where}: expected { key, fetcher, options? }, got ${kindOf(config)}`);
	}
	checkFields(config, queryFields, where, 'options', true);
	const { fetcher } = config as QueryConfig<unknown>;
	if (typeof fetcher !== 'function') {
		throw new TypeError(`${where}: "fetcher" must be a function ({ key, signal }) => data, got ${typeof fetcher}`);
	}
	validateOptions((config as QueryConfig<unknown>).options, where);
	refuseSeed((config as QueryConfig<unknown>).options?.initialData, where);
}

const queryFields = ['key', 'fetcher', 'options'];

/**
 * A clock has the functions the client calls, and reads finite times: one reading NaN would make
 * every deadline NaN, so no retry, gc or poll would ever run. Checked before anything uses it;
 * returns its `now()` reading (the client's epoch).
 */
function checkClock(clock: Clock): number {
	const where = 'new QoraClient(config): clock';
	for (const name of ['now', 'setTimeout', 'clearTimeout'] as const) {
		if (typeof clock[name] !== 'function') throw new TypeError(`${where}.${name} must be a function`);
	}
	if (clock.monotonic !== undefined && typeof clock.monotonic !== 'function') throw new TypeError(`${where}.monotonic must be a function or absent`);
	const finite = (name: 'now' | 'monotonic', read: number): number => {
		if (!Number.isFinite(read)) throw new TypeError(`${where}.${name}() must return a finite number of ms, got ${read}`);
		return read;
	};
	const now = finite('now', clock.now());
	if (clock.monotonic) finite('monotonic', clock.monotonic());
	return now;
}

/** Rejects a misspelt or mistyped client setting, which would otherwise be silently ignored. */
function checkClientConfig(config: unknown): asserts config is QoraClientConfig {
	const where = 'new QoraClient(config)';
	if (typeof config !== 'object' || config === null) throw new TypeError(`${where}: config must be an object or omitted`);
	const callbacks = ['onError', 'onQueryError'] as const;
	checkFields(config, ['defaultOptions', 'clock', 'focus', 'online', ...callbacks], where, 'defaultOptions', false);
	// A wrong clock or source fails at once anyway (the constructor calls it); a wrong callback only at the first error.
	for (const name of callbacks) {
		const callback = (config as QoraClientConfig)[name];
		if (callback !== undefined && typeof callback !== 'function') throw new TypeError(`${where}: "${name}" must be a function`);
	}
}

/**
 * The cache and its machinery. Create one per browser session, and one per
 * request on the server (then call {@link QoraClient.dispose}).
 */
export class QoraClient {
	readonly #entries = new KeyMap<Entry>();
	/** Entries with at least one enabled watcher: the ones focus, reconnect and invalidation refetch. */
	readonly #watched = new Set<Entry>();
	/** Entries with a fetch in flight. */
	readonly #fetching = new Set<Entry>();
	#defaults!: ResolvedOptions;
	/** Shared by every entry that no watcher or fetchQuery call configured. */
	#defaultConfig!: EntryConfig;
	/** Whether the app chose a default `retry` (a request client then keeps it). */
	readonly #retryChosen: boolean;
	readonly #clock: Clock;
	readonly #scheduler: Scheduler;
	/** One item per mount: a source mounted twice stays until both mounts are detached. */
	readonly #onlineSources: OnlineSource[] = [];
	readonly #focusSources: FocusSource[] = [];
	readonly #detachers = new Set<() => void>();
	readonly #reportError: (error: unknown) => void;
	readonly #onQueryError: QoraClientConfig['onQueryError'];
	/** The gc callback every entry reaches through its config. */
	readonly #collectEntry = (entry: Entry, now: number): void => {
		// A watcher or a fetch in flight keeps the entry; both reschedule gc when they end.
		if (entry.watch !== null || entry.inflight || entry.gcAt === NEVER) return;
		const gcAt = this.#epoch + entry.gcAt;
		if (now < gcAt) this.#scheduler.schedule(entry, gcAt, now);
		else {
			this.#entries.delete(entry);
			this.#scheduler.cancel(entry);
		}
	};
	/** Origin of the entries' relative gc deadlines. */
	readonly #epoch: number;
	/** Told of every entry remove/clear drops or resets (qora/svelte: a placeholder must not outlive its data). */
	readonly #removalListeners = new Set<(parts: KeyParts) => void>();
	/** Fetches on subscribe held (see _holdFetches): each entry with the shortest staleTime of its subscribers. */
	readonly #heldFetches = new Map<Entry, number>();
	/** Told of each entry that starts or stops fetching, and of each write that starts or ends: the count stores. */
	readonly #fetchListeners = new Set<(entry: Entry) => void>();
	readonly #writeListeners = new Set<(write: { parts: KeyParts | null }) => void>();
	/** Writes in flight (qora/svelte's mutations, see _startWrite): each one's key, or null. */
	readonly #writes = new Set<{ parts: KeyParts | null }>();
	/** The entry a fetch is settling: its fetch listeners hear once it has settled, so a follow-up's hand-over is no 1 → 0 → 1. */
	#settling: Entry | null = null;
	/** Whether an entry counts for isFetching: its fetcher runs (a fetch paused for the connection does not). */
	readonly #isFetchingNow = (entry: Entry): boolean => entry.fetchStatus === 'fetching' && this.#fetching.has(entry);
	readonly #isWriting = (write: { parts: KeyParts | null }): boolean => this.#writes.has(write);
	/** See _deferRevalidation: stale data fetchQuery/prefetchQuery return is not refetched meanwhile (2: and the page answers fetches). */
	#revalidationDeferred: boolean | 2 = false;
	/** Entries whose stale data fetchQuery/prefetchQuery returned unrefetched while deferred: revalidated when it ends. */
	readonly #deferredEntries = new Set<Entry>();
	/**
	 * Entries fetchQuery/prefetchQuery fetched while deferred (nothing cached: data the payload cannot carry).
	 * SvelteKit answers that fetch from the page's inlined response too: if the page is old (its payload's
	 * newest data is stale by their staleTime), they are refetched when the deferral ends.
	 */
	readonly #fetchedWhileDeferred = new Map<Entry, Run | null>();
	/** When the page was rendered (by this clock), given as the deferral began: what SvelteKit replays to the loads is as old. */
	#deferredAt = 0;
	/** Unreleased _holdFetches holds; while above 0, a subscribing watcher's fetch goes into #heldFetches. */
	#holdCount = 0;
	/** Told when work waiting for the connection should look again (qora/svelte: paused mutations). */
	readonly #resumeListeners = new Set<(writes: Promise<unknown>[]) => void>();
	/** Paused writes a reconnect resumed that are still out: paused fetches wait for them. */
	readonly #resumedWrites = new Set<Promise<unknown>>();
	#wasOnline = true;
	/** Whether a wait for the resumed writes is out, and whether the reconnect refetches follow it (undefined: none out). */
	#writesWait: boolean | undefined;
	/** Entries fetched since the last resumed write's request ended (its onSettled's refetch, normally) while that wait is out: the reconnect refetches after it skip them. Those fetched before it ended may predate the write: _writeSent marks them stale. */
	readonly #fetchedInWait = new Set<Entry>();
	#disposed = false;
	/** While a payload is applied (see _hydrate): the entries whose watchers hear of it once it is all in. */
	#told: Set<Entry> | null = null;
	#clears = 0;
	/** The count of clears when each snapshot was made: data from before a clear (a logout) is not put back. */
	readonly #snapshotClears = new WeakMap<object, number>();
	/** Lives for one server request: no gc timers (see _scopeToRequest). */
	#requestScoped = false;
	#passesThrough: ((thrown: unknown) => boolean) | null = null;
	/** The refetches the last invalidation of several entries waited for, and that wait (see #invalidateAll). */
	#waits: Promise<void>[] = [];
	#wait!: Promise<void>;

	constructor(config: QoraClientConfig = {}) {
		checkClientConfig(config);
		validateOptions(config.defaultOptions, 'new QoraClient({ defaultOptions })', false);
		this.#retryChosen = config.defaultOptions?.retry !== undefined;
		this.#setDefaults(resolveOptions(builtinDefaults, config.defaultOptions));
		this.#clock = config.clock ?? globalClock;
		this.#epoch = checkClock(this.#clock);
		const onError = config.onError ?? reportToConsole;
		// A reporter that throws must not take the notification (and the fetch settling behind it) down;
		// nor may one whose promise rejects (an async reporter) be an unhandled rejection. Called at once.
		this.#reportError = (error) => void new Promise((resolve) => resolve(onError(error))).catch(reportToConsole);
		this.#onQueryError = config.onQueryError;
		this.#scheduler = createScheduler(this.#clock, this.#reportError);
		if (config.focus || config.online) this.mount({ focus: config.focus, online: config.online });
	}

	#setDefaults(defaults: ResolvedOptions): void {
		this.#defaults = Object.freeze(defaults);
		this.#defaultConfig = { options: this.#defaults, fetcher: null, collect: this.#collectEntry };
	}

	/** The resolved default options of this client. */
	get defaultOptions(): Readonly<ResolvedOptions> {
		return this.#defaults;
	}

	/** @internal Reports an error the app's code threw where nobody awaits it (qora/svelte's mutation callbacks), as listeners' errors are. */
	_report(error: unknown): void {
		this.#reportError(error);
	}

	/**
	 * How many queries are fetching now (`fetchStatus: 'fetching'`; a fetch paused
	 * for the connection does not count): all of them, or those `match` selects,
	 * a predicate over the normalized parts or a key prefix, as in
	 * {@link QoraClient.invalidateWhere}. For a global loading indicator.
	 */
	isFetching(match?: KeyPredicate | KeyInput): number {
		return selectActive(this.#fetching, this.#isFetchingNow, match === undefined ? null : this.#matcher(match, 'isFetching'), 'isFetching').size;
	}

	/**
	 * How many writes are in flight: qora/svelte's mutations count from the
	 * `mutate` call until their `onSettled` has returned, paused ones included. All of
	 * them, or those whose `key` `match` selects (a key prefix or a predicate over
	 * its normalized parts; a mutation without a key matches neither). So in
	 * `onSettled`, `isMutating(['todos']) === 1` means no other write of that kind
	 * is still out: a refetch started now cannot miss what the others change.
	 */
	isMutating(match?: KeyPredicate | KeyInput): number {
		return selectActive(this.#writes, this.#isWriting, match === undefined ? null : this.#matcher(match, 'isMutating'), 'isMutating').size;
	}

	/** A store of {@link QoraClient.isFetching}: it calls back at once, then whenever the count changes. */
	watchIsFetching(match?: KeyPredicate | KeyInput): QoraReadable<number>;
	/** @internal `where`: the caller its errors name (qora/svelte's createIsFetching). */
	watchIsFetching(match: KeyPredicate | KeyInput | undefined, where: string): QoraReadable<number>;
	watchIsFetching(match?: KeyPredicate | KeyInput, where = 'watchIsFetching'): QoraReadable<number> {
		const test = match === undefined ? null : this.#matcher(match, where);
		return this.#activityStore<Entry>(this.#fetchListeners, this.#isFetchingNow, this.#fetching, test, where);
	}

	/** A store of {@link QoraClient.isMutating}: it calls back at once, then whenever the count changes. */
	watchIsMutating(match?: KeyPredicate | KeyInput): QoraReadable<number>;
	/** @internal `where`: the caller its errors name (qora/svelte's createIsMutating). */
	watchIsMutating(match: KeyPredicate | KeyInput | undefined, where: string): QoraReadable<number>;
	watchIsMutating(match?: KeyPredicate | KeyInput, where = 'watchIsMutating'): QoraReadable<number> {
		const test = match === undefined ? null : this.#matcher(match, where);
		return this.#activityStore<{ parts: KeyParts | null }>(this.#writeListeners, this.#isWriting, this.#writes, test, where);
	}

	/**
	 * Each subscription keeps the set of items it counts, told of one item at a time: O(1) per change.
	 * Level-triggered (an item is looked at as it is now, not applied as a +1/-1), so the order in which
	 * nested changes are told, a subscriber joining mid-notification, or a predicate that throws or changes
	 * its mind cannot skew it: the predicate is asked once, when an item starts.
	 */
	#activityStore<I extends { parts: KeyParts | null }>(
		listeners: Set<(item: I) => void>,
		isOn: (item: I) => boolean,
		all: Set<I>,
		test: KeyPredicate | null,
		where: string
	): QoraReadable<number> {
		return {
			subscribe: (run) => {
				checkRun(run, 'count');
				let counted = selectActive(all, isOn, test, where);
				const first = counted.size;
				// An item it counts from now on, or no longer: the count the subscriber has moves by one.
				const listener = (item: I) => {
					if (isOn(item)) {
						if (counted.has(item) || !selects(item, test, where)) return;
						counted.add(item);
					} else if (!counted.delete(item)) return;
					run(counted.size);
				};
				run(first);
				// The first call may have started or ended work: count again, then follow the changes.
				counted = selectActive(all, isOn, test, where);
				listeners.add(listener);
				if (counted.size !== first) {
					try {
						run(counted.size);
					} catch (error) {
						this.#reportError(error);
					}
				}
				return () => listeners.delete(listener);
			}
		};
	}

	/** @internal Counts a write in flight, of the normalized key `parts` (or none), for {@link QoraClient.isMutating} until the returned function is first called. */
	_startWrite(parts: KeyParts | null): () => void {
		const write = { parts };
		this.#writes.add(write);
		this.#tell(this.#writeListeners, write);
		return () => {
			if (this.#writes.delete(write)) this.#tell(this.#writeListeners, write);
		};
	}

	/**
	 * @internal While `deferred` (until a watcher that fetches subscribes, or this is called with
	 * `false`), `fetchQuery` and `prefetchQuery` return stale data without refetching it: the
	 * watchers that mount revalidate it, and ending the deferral refetches what is still stale. For
	 * qora/sveltekit in the browser, while the first page's universal loads run again on the
	 * page's payload: SvelteKit would answer their `fetch` with the response inlined in the page,
	 * as old as the page (a document from the HTTP cache, a prerendered one), and that old data
	 * would then count as fetched now. `pageAt`: when the page was rendered (0 when unknown: a page
	 * rendered in the browser), which dates those responses. `deferred` 2: the page carries such
	 * responses, which SvelteKit gives the loads offline too (a page a service worker cached): until
	 * the next online source is mounted (the provider's, once the loads are done), each fetch's first
	 * attempt goes out whatever the connection; one that fails while still offline waits for it,
	 * whatever `retry` says.
	 */
	_deferRevalidation(deferred: boolean | 2, pageAt = 0): void {
		this.#revalidationDeferred = deferred;
		if (deferred) {
			// No time (a page rendered in the browser, or loadQoraClient first called on a later page): nothing was replayed.
			this.#deferredAt = Math.min(pageAt, this.#clock.now()) || Infinity;
			return;
		}
		const replayed = this.#fetchedWhileDeferred;
		const now = this.#clock.now();
		// What the deferral left stale is revalidated now, watched or not (a state-only store shows it).
		for (const entry of new Set([...this.#deferredEntries, ...replayed.keys()])) {
			const run = entry.inflight;
			// No fetcher: a listener told of fetchQuery's seed dropped the key and wrote it afresh, an entry nobody configured.
			// (A disposed client holds no entry; while dispose() is still under way, #fetch refuses.)
			if (!this.#entries.has(entry) || !entry.config.fetcher) continue;
			const { staleTime } = entry.config.options;
			// A fetch in flight revalidates, unless it is the replayed one, still out: its answer is as old as the page, so it lands stale (a watcher refetches it).
			if (replayed.has(entry) ? now - this.#deferredAt >= staleTime : computeIsStale(entry, staleTime, now)) {
				if (!run) this.#refetch(entry);
				else if (replayed.get(entry) === run) {
					run.invalidated = true;
					// Landed stale with no query to refetch it (a state-only store shows it), and still cached: refetched then, as above.
					run.promise.then(() => entry.inflight || !entry.isInvalidated || !this.#entries.has(entry) || this.#refetch(entry), noop);
				}
			}
		}
		this.#deferredEntries.clear();
		replayed.clear();
	}

	/** @internal Calls `listener` with the key of each `remove` call and of each entry `clear` drops or resets; returns an unsubscriber. */
	_onRemove(listener: (parts: KeyParts) => void): () => void {
		this.#removalListeners.add(listener);
		return () => this.#removalListeners.delete(listener);
	}

	/**
	 * @internal Calls `listener` whenever something waiting for the connection
	 * should look again: on connectivity news, and once when the client is disposed
	 * (whatever waits must then give up). Returns an unsubscriber. For
	 * qora/svelte's mutations, which pause offline as fetches do: one that
	 * resumes a paused write adds its promise to `writes`, and the paused
	 * fetches and reconnect refetches wait for those writes to settle.
	 */
	_onResume(listener: (writes: Promise<unknown>[]) => void): () => void {
		this.#resumeListeners.add(listener);
		return () => this.#resumeListeners.delete(listener);
	}

	/** @internal A resumed write's request has ended: a refetch an invalidation sent before may predate it, so the release refetches its key again. */
	_writeSent(): void {
		// Its answer may be fresh, or still out at the release (which asks only stale keys not fetching): it lands stale and is refetched.
		for (const entry of this.#fetchedInWait) {
			if (entry.inflight) entry.inflight.invalidated = true;
			else this.#dispatch(entry, { type: 'invalidate' });
		}
		this.#fetchedInWait.clear();
	}

	/** Calls each of `listeners` with `arg`; one that throws is reported and stops none of the others. */
	#tell<A>(listeners: Set<(arg: A) => void>, arg: A): void {
		// No copy of an empty set: most are, and a fetch settling tells one (a hot path).
		if (listeners.size === 0) return;
		for (const listener of [...listeners]) {
			// One that left meanwhile (unsubscribed, or told of a dispose by a listener before it) hears nothing more.
			if (!listeners.has(listener)) continue;
			try {
				listener(arg);
			} catch (error) {
				this.#reportError(error);
			}
		}
	}

	/**
	 * @internal Whether fetches on subscribe are held (see _holdFetches). A server render
	 * (qora/svelte) then shows its queries idle, as the browser's first render, held the
	 * same way while a streamed payload is on its way, shows them.
	 */
	get _holdsFetches(): boolean {
		return this.#holdCount > 0;
	}

	/**
	 * @internal Holds the fetch a new watcher starts when it subscribes, until
	 * the returned function is called (once per hold; holds nest). Then each
	 * held entry still watched fetches if its data is stale by its subscribers'
	 * `staleTime`. qora/sveltekit holds while a streamed payload that may have
	 * arrived already is applied, a microtask after the page subscribed.
	 */
	_holdFetches(): () => void {
		this.#holdCount++;
		let released = false;
		return () => {
			if (released) return;
			released = true;
			if (--this.#holdCount > 0) return;
			const held = [...this.#heldFetches];
			this.#heldFetches.clear();
			const now = this.#clock.now();
			// Not by a subscriber that left or was disabled meanwhile: the entry's staleTime is the shortest of those left.
			for (const [entry, staleTime] of held) if (entry.watch?.enabled) this.#fetchIfStale(entry, Math.max(staleTime, entry.config.options.staleTime), now);
		};
	}

	/** @internal How many times `clear` ran: a payload still on its way when it did (qora/sveltekit) is older than the clear. */
	get _clears(): number {
		return this.#clears;
	}

	/** @internal The client's clock: mutations (qora/svelte) time their retries with it too. */
	get _clock(): Clock {
		return this.#clock;
	}

	/** @internal The client's scheduler: mutations (qora/svelte) queue their retries' backoff on its one timer. */
	get _scheduler(): Scheduler {
		return this.#scheduler;
	}

	/** Whether every attached online source reports a connection (one that throws is reported and counts as online). */
	isOnline(): boolean {
		return this.#allSay(this.#onlineSources, (source) => source.isOnline(), 'isOnline');
	}

	/** Whether the app is in the foreground: every attached focus source that can tell says so (one that throws is reported and counts as yes). */
	#inForeground(): boolean {
		// A source without isFocused cannot tell: it says yes.
		return this.#allSay(this.#focusSources, (source) => source.isFocused?.() ?? true, 'isFocused');
	}

	#allSay<S>(sources: S[], says: (source: S) => boolean, name: string): boolean {
		for (const source of sources) {
			try {
				const answer = says(source);
				// No boolean (a promise, truthy whatever it resolves to; undefined, a missing return, which would pause
				// every query for good): reported (a promise handled), it counts as yes, as a throw does.
				if (typeof answer != 'boolean') throw new TypeError(`${name}() returned ${kindOf(answer)}, not a boolean`);
				if (!answer) return false;
			} catch (error) {
				this.#reportError(error);
			}
		}
		return true;
	}

	/**
	 * Attaches focus and connectivity sources (the Svelte layer mounts the
	 * browser's). Returns a function that detaches them again.
	 */
	mount(sources: PlatformSources): () => void {
		const where = 'mount(sources)';
		if (typeof sources !== 'object' || sources === null) throw new TypeError(`${where}: expected { focus?, online? }, got ${kindOf(sources)}`);
		checkFields(sources, ['focus', 'online'], where, '', false);
		// Nothing would ever detach them: dispose() has run.
		if (this.#disposed) return noop;
		const { focus, online } = sources;
		checkSource(focus, 'focus');
		checkSource(online, 'online');
		const detach: (() => void)[] = [];
		// Each undo runs even if one before it throws (the app's code): dispose must finish.
		const undoAll = () => {
			for (const undo of detach.splice(0)) {
				try {
					undo();
				} catch (error) {
					this.#reportError(error);
				}
			}
		};
		// All or nothing: a source that fails to subscribe leaves nothing of this mount behind. The listeners
		// it handed out go quiet once it is undone (a source that returned no unsubscriber still holds one).
		let attached = true;
		try {
			if (focus) {
				attachSource(this.#focusSources, focus, 'focus', () => attached && this.#refetchStaleWatched('refetchOnFocus'), detach);
			}
			if (online) {
				attachSource(this.#onlineSources, online, 'online', () => attached && this.#onConnectivityChange(), detach);
				// The app's connectivity (the provider's, once the first page's loads are done) decides now: see _deferRevalidation.
				// Only once attached: a source whose subscribe threw leaves the deferral as it was.
				this.#revalidationDeferred &&= true;
			}
		} catch (error) {
			attached = false;
			undoAll();
			throw error;
		}
		this.#onConnectivityChange();
		const detachAll = () => {
			if (!attached) return;
			attached = false;
			this.#detachers.delete(detachAll);
			undoAll();
			this.#onConnectivityChange();
		};
		this.#detachers.add(detachAll);
		return detachAll;
	}

	/** Refuses the calls below that would start work on a disposed client (fetchQuery, prefetchQuery, watchQuery). */
	#assertAlive(where: string): void {
		if (this.#disposed) throw new Error(`${where}: this QoraClient was disposed; create a new one`);
	}

	/**
	 * Resolves with the key's data. A fresh entry resolves from the cache with no
	 * fetcher call; a stale one resolves with cached data at once and refetches in
	 * the background; an empty one fetches (with retries) and rejects with the last
	 * error if every attempt fails (an `Error`; a thrown non-Error is wrapped, except
	 * the control flow qora/sveltekit's clients pass on as itself: SvelteKit's
	 * `error()` and `redirect()`). Concurrent calls share one fetcher call.
	 */
	fetchQuery<T>(config: QueryConfig<T>): Promise<T> {
		return this.#fetchQuery(config, 'fetchQuery').promise as Promise<T>;
	}

	/**
	 * Fills the cache like {@link QoraClient.fetchQuery}, but never rejects, and
	 * made for `load` functions, which hold the navigation until it resolves. The
	 * fetch is the same (shared, retried as usual), but the prefetch stops waiting:
	 * - after the first failed attempt, unless the query's own options set `retry`
	 *   (then once that policy would give up): retries would hold a failing page
	 *   for 1 + 2 + 4 s, while the page's queries show them as they happen;
	 * - when the fetch pauses for the connection: offline, the page renders and
	 *   its queries show `paused` instead of the navigation hanging.
	 *
	 * An invalid config, a disposed client or an `initialData` function that
	 * throws still throws at the call.
	 */
	prefetchQuery<T>(config: QueryConfig<T>): Promise<void> {
		const { promise, entry, cached } = this.#fetchQuery(config, 'prefetchQuery');
		if (cached) return promise.then(noop);
		// A default retry is for whoever shows the query; the load waits by its query's own.
		return waitForFetch(entry, promise, config.options?.retry ?? 0);
	}

	/** Validates a query config once and resolves its options. */
	#configFor(
		config: QueryConfig<unknown>,
		where: string
	): { code: number; parts: KeyParts; config: EntryConfig; entry: Entry | undefined } {
		checkQueryFields(config, where);
		const recent = this.#entries.recent(config.key);
		const code = recent ? recent.code : keyCode(config.key);
		const options = resolveOptions(this.#defaults, config.options);
		// The live entry's frozen parts serve as well as a fresh copy, and cost nothing.
		const entry = recent ?? this.#entries.find(config.key, code);
		const parts = entry?.parts ?? copyValidKey(config.key);
		// Components watching a key with the same fetcher and options share the entry's config object.
		const current = entry?.config;
		const entryConfig =
			current !== undefined && current.fetcher === config.fetcher && current.options === options
				? current
				: { options, fetcher: config.fetcher, collect: this.#collectEntry };
		return { code, parts, config: entryConfig, entry };
	}

	/** `cached`: answered from the cache, with no fetch to wait for (one may run in the background). */
	#fetchQuery(config: QueryConfig<unknown>, where: string): { promise: Promise<unknown>; entry: Entry; cached: boolean } {
		this.#assertAlive(where);
		const query = this.#configFor(config, where);
		let found = query.entry;
		let initial: InitialData | undefined;
		if (query.config.options.initialData !== undefined) {
			initial = this.#initialDataFor(found, query.config, where);
			found = this.#entries.find(query.parts, query.code);
		}
		let entry = found ?? this.#create(query.code, query.parts, query.config);
		// Enabled watchers configure the entries they watch; a one-off call only configures the others.
		if (!entry.watch?.enabled) this.#configure(entry, query.config);
		this.#applyInitialData(entry, initial);
		// Both may have told listeners, which may have removed the entry: fetch into the one the cache holds.
		if (!this.#entries.has(entry) && !this.#disposed) {
			entry = this.#entries.find(query.parts, query.code) ?? this.#create(query.code, query.parts, query.config);
		}
		const { data } = entry;
		if (data !== undefined) {
			if (computeIsStale(entry, query.config.options.staleTime, this.#clock.now())) {
				// Not one more handler on a fetch in flight per call: they would pile up while it hangs.
				if (this.#revalidationDeferred) this.#deferredEntries.add(entry);
				else if (!entry.inflight) {
					this.#fetch(entry, false, query.config).catch(noop);
					// Awaited by nobody: the enabled watchers it refreshes decide its retries, as for a fetch they joined.
					// (Cast: #fetch set it, which TypeScript, narrowed by the test above, does not know.)
					if (entry.watch?.enabled && entry.inflight) (entry.inflight as Run).joined = true;
				}
			} else if (entry.watch === null) {
				// A use of an unwatched entry, as a fetch would be: its gc countdown starts again, by this call's gcTime.
				// The cache holds the entry (see above) unless the client was disposed, whose scheduler arms nothing.
				this.#scheduleGc(entry);
			}
			return { promise: Promise.resolve(data), entry, cached: true };
		}
		const promise = this.#fetch(entry, false, query.config);
		const run = entry.inflight;
		if (this.#revalidationDeferred) this.#fetchedWhileDeferred.set(entry, run);
		// A prefetch stops waiting once the fetch pauses: nobody awaits it then, and a resumed write holds it as any other.
		if (run && where === 'fetchQuery') {
			run.awaited = true;
			// Held back for resumed writes while the connection is back: it goes now (see #onConnectivityChange).
			run.retryer?.resume();
		}
		return { promise, entry, cached: false };
	}

	/** @internal Checks a query config as watchQuery would, for a caller that names itself (`createQuery`). */
	_checkQuery(config: unknown, where: string): void {
		checkQueryFields(config, where);
		keyCode(config.key);
	}

	/**
	 * A store of the key's state. Subscribing watches the entry: a subscription
	 * fetches when there is no data or it is stale, concurrent ones share that
	 * fetch. The last unsubscribe lets the entry be collected after `gcTime`.
	 */
	watchQuery<T>(config: QueryConfig<T>): QoraReadable<QoraState<T>> {
		const query = this.#configFor(config, 'watchQuery');
		return this.#store(query.code, query.parts, query.config);
	}

	/**
	 * @internal {@link QoraClient.watchQuery} for a subscriber whose options may
	 * change (createQuery's config store): `update` gives the same watch new
	 * options and fetcher for the same key. It fetches only when the watcher
	 * turns enabled and finds the data stale, and polling keeps its rhythm
	 * unless the shortest interval changes.
	 */
	_watch<T>(
		config: QueryConfig<T>,
		run: (state: QoraState<T>) => void
	): { stop: () => void; update: (config: QueryConfig<T>) => void } {
		const query = this.#configFor(config, 'watchQuery');
		const listener = this.#subscribe(query.code, query.parts, run as (state: QoraState<unknown>) => void, query.config);
		return {
			stop: () => this.#unsubscribe(listener),
			update: (next) => this.#update(listener, this.#configFor(next, 'watchQuery').config)
		};
	}

	/** A store of the key's state that never fetches; a key with no entry reads as pending/idle. */
	observeQuery<T>(key: KeyInput & KeyData<T>): QoraReadable<QoraState<T>>;
	/** `observeQuery` of a key whose type is a union of keys typed differently: the union of their states. */
	observeQuery<K extends KeyInput>(key: K & KeyData<unknown>): QoraReadable<QoraState<DataOfKey<K>>>;
	observeQuery<T>(key: KeyInput): QoraReadable<QoraState<T>> {
		const recent = this.#entries.recent(key);
		const code = recent ? recent.code : keyCode(key);
		const parts = (recent ?? this.#entries.find(key, code))?.parts ?? copyValidKey(key);
		return this.#store(code, parts, null);
	}

	/** The key's current state, or `undefined` when the cache has no entry for it. */
	getState<T>(key: KeyInput & KeyData<T>): QoraState<T> | undefined;
	/** `getState` of a key whose type is a union of keys typed differently: the union of their states. */
	getState<K extends KeyInput>(key: K & KeyData<unknown>): QoraState<DataOfKey<K>> | undefined;
	getState<T>(key: KeyInput): QoraState<T> | undefined {
		const entry = this.#find(key);
		if (!entry) return undefined;
		return this.#snapshot(entry, this.#clock.now()) as QoraState<T>;
	}

	/** The key's cached data, or `undefined`. */
	getQueryData<T>(key: KeyInput & KeyData<T>): T | undefined;
	/** `getQueryData` of a key whose type is a union of keys typed differently: the union of their data types. */
	getQueryData<K extends KeyInput>(key: K & KeyData<unknown>): DataOfKey<K> | undefined;
	getQueryData<T>(key: KeyInput): T | undefined {
		return this.#find(key)?.data as T | undefined;
	}

	/**
	 * Writes data (or `updater(previous)`) to the key: status success,
	 * `dataUpdatedAt` now, watchers notified. `undefined` (given, or returned by
	 * the updater) leaves the entry unchanged, so `setQueryData<Todo>(key,
	 * todos.find(…))` writes only what it found; so does an updater handing back
	 * the data it was given (the data keeps its time; an invalidation or a failed
	 * refetch still marks it stale). A write made while a request is in flight
	 * wins over that request's result, which may predate it (a retry sent later
	 * may not). A plain key (an array, a `QoraKey`) takes the type argument, or the
	 * data's type; through a typed key (a `QueryConfig<T>`'s), the data must be a `T`.
	 *
	 * @returns the key's data after the call (`undefined` when it has none).
	 * @throws TypeError for an invalid key, or data that is a promise (an async updater).
	 */
	setQueryData<T>(key: KeyInput & KeyData<undefined>, dataOrUpdater: DataWrite<T>): T | undefined;
	/**
	 * `setQueryData` through a typed key (see {@link KeyData}): the data is checked against the key's type, never widens it.
	 * (`never` for a plain key: what the first form refused, an updater that cannot take `undefined`, is refused here too.)
	 */
	setQueryData<T = never>(key: KeyInput & KeyData<T>, dataOrUpdater: DataWrite<Uninferred<T>>): T | undefined;
	setQueryData<T>(key: KeyInput, dataOrUpdater: DataWrite<T>): T | undefined {
		const code = keyCode(key);
		let entry = this.#entries.find(key, code);
		const previous = entry?.data as T | undefined;
		let data = dataOrUpdater as T | undefined;
		let parts: KeyParts | undefined;
		if (typeof dataOrUpdater === 'function') {
			// The updater is the app's code: it may change the key object, so the key is copied first,
			// and it may have used the cache, so the entry is looked up again.
			parts = entry?.parts ?? copyValidKey(key);
			data = (dataOrUpdater as (previous: T | undefined) => T | undefined)(previous);
			entry = this.#entries.find(parts, code);
			// Handed back unchanged (a guarded "add unless present"): nothing changed, so nothing is written. The
			// data keeps its time, and an invalidation or a failed refetch still says it is outdated.
			if (data === previous && entry?.data === data) return data;
		}
		if (data === undefined) return entry?.data as T | undefined;
		// An async updater (or a fetch's promise passed as data) would store the promise itself.
		if (isRefusedPromise(data)) throw new TypeError('setQueryData: the data is a promise (an async updater?); await it and pass the value');
		const now = this.#clock.now();
		if (entry) this.#write(entry, { type: 'write', data, at: now }, now);
		else this.#createWithData(code, parts ?? copyValidKey(key), data, now, now);
		return data;
	}

	/**
	 * Puts back the data side of a snapshot taken with {@link QoraClient.getState}, or
	 * of a state a store of the key delivered (status, data, error, timestamps); a
	 * fetch in flight keeps running. A snapshot of `undefined` removes the entry, as
	 * it did not exist then.
	 *
	 * A rollback is as old as the request behind the snapshot's data: a fetch sent
	 * after that request still lands over it, and an invalidation made since that
	 * data still stands (the data goes back stale). A snapshot with data or an error taken
	 * before a `clear()` (a logout) puts nothing back.
	 */
	restoreQueryData<T>(key: KeyInput & KeyData<T>, snapshot: QoraState<Uninferred<T>> | undefined): void {
		if (snapshot === undefined) {
			this.remove(key);
			return;
		}
		const refused = (why: string) => new TypeError(`restoreQueryData: snapshot must be a state returned by getState, or undefined (${why})`);
		if (typeof snapshot !== 'object' || snapshot === null) throw refused(`got ${kindOf(snapshot)}`);
		// A store's placeholder (keepPrevious) is the key's pending state dressed with another key's data: put back that state.
		if (snapshot.isPlaceholderData === true) snapshot = { ...snapshot, status: 'pending', data: undefined } as never;
		const bad = invalidStateField(snapshot as never);
		if (bad !== null) throw refused(`its "${bad}" field is invalid`);
		const code = keyCode(key);
		// Data or an error from before a clear (a logout): the clear is newer than the rollback, so it stays out.
		// (A pending snapshot carries neither; a reset entry hands out one such object before and after a clear.)
		if (snapshot.status !== 'pending' && (this.#snapshotClears.get(snapshot) ?? this.#clears) < this.#clears) return;
		const entry = this.#entries.find(key, code) ?? this.#create(code, copyValidKey(key), this.#defaultConfig);
		const at = snapshot.dataUpdatedAt;
		// Data older than an invalidation may lack the change it was made for: it goes back stale.
		const invalidatedSince = snapshot.data !== undefined && entry.invalidatedAt !== NEVER && this.#epoch + entry.invalidatedAt > at;
		const restored = (invalidatedSince ? { ...snapshot, isInvalidated: true } : snapshot) as EntryState<unknown>;
		const action = { type: 'restore', snapshot: restored } as const;
		// As old as the request behind the snapshot's data (the rolled-back write reset it): a fetch sent since may be newer, and still lands.
		const lead = snapshotLeads.get(snapshot) ?? 0;
		const loaded = entry.status !== 'pending';
		this.#writeDated(entry, action, at - lead, this.#clock.now());
		if (lead) noteRequest(entry, snapshot.data, at, at - lead);
		// Put back to pending (a first load rolled back) with no fetch going: a query on screen loads it again, as after
		// invalidate. (One a remove or clear left pending stays so, as they do.)
		if (loaded && entry.status === 'pending' && entry.watch?.enabled && !entry.inflight) this.#fetchIfStale(entry, 0);
	}

	/**
	 * Marks the exact key stale. If it is watched it refetches now (a fetch in
	 * flight is replaced, since it may predate the change; one that replaced a
	 * fetch already lands first, then a refetch follows). Resolves when that
	 * refetch settles, or pauses for the connection (offline); never rejects.
	 */
	invalidate(key: KeyInput): Promise<void> {
		const entry = this.#find(key);
		return entry ? this.#invalidateAll([entry]) : Promise.resolve();
	}

	/**
	 * {@link QoraClient.invalidate} for every entry whose key matches: a predicate
	 * over the normalized parts, or a key prefix (`['users']` matches `['users', 1]`).
	 */
	invalidateWhere(match: KeyPredicate | KeyInput): Promise<void> {
		// Match everything first, so a throwing predicate leaves the cache untouched.
		return this.#invalidateAll(this.#entries.filter(this.#matcher(match, 'invalidateWhere'), (answer) => refusePromise(answer, 'invalidateWhere')));
	}

	/** Aborts the key's fetch in flight: its signal aborts, its callers get a `CancelledError`, and the state returns to what it was. */
	cancel(key: KeyInput): void {
		const entry = this.#find(key);
		if (entry) this.#cancel(entry, new CancelledError());
	}

	/** Removes the key's entry (a fetch in flight is cancelled). A watched entry is reset to pending instead, and its watchers see that. */
	remove(key: KeyInput): void {
		const entry = this.#find(key);
		if (entry) this.#remove(entry);
		// Nothing to drop, but what waits to fill the key (a streamed payload) must hear of it too.
		else if (this.#removalListeners.size > 0) this.#tell(this.#removalListeners, copyValidKey(key));
	}

	#remove(entry: Entry): void {
		this.#cancel(entry, new CancelledError('The query was removed'));
		// After the cancel, whose notification still shows the data: a listener must hear of the removal last.
		this.#tell(this.#removalListeners, entry.parts);
		// Decided after the app's code above ran: a fetch it started keeps the entry, as a watcher does.
		if (entry.watch !== null || entry.inflight !== null) {
			this.#write(entry, { type: 'reset' });
		} else {
			this.#entries.delete(entry);
			this.#scheduler.cancel(entry);
		}
	}

	/** Removes every entry, as {@link QoraClient.remove} does for one. */
	clear(): void {
		this.#clears++;
		// Removal listeners are the app's code: an entry they removed meanwhile is not removed twice.
		for (const entry of this.#entries.toArray()) if (this.#entries.has(entry)) this.#remove(entry);
	}

	/** How many entries the cache holds. */
	get size(): number {
		return this.#entries.size;
	}

	/** The normalized keys of every entry, in insertion order. */
	keys(): KeyParts[] {
		return this.#entries.toArray().map((entry) => entry.parts);
	}

	/**
	 * Cancels every fetch, drops every entry, timer and platform source. Use it
	 * on the server when a request is done. Fetching from a disposed client throws;
	 * a late write or observer is harmless: it keeps no entry and arms no timer.
	 */
	dispose(): void {
		if (this.#disposed) return;
		this.#disposed = true;
		for (const detach of [...this.#detachers]) detach();
		for (const entry of [...this.#fetching]) this.#cancel(entry, disposedError());
		this.#scheduler.dispose();
		this.#entries.clear();
		this.#watched.clear();
		this.#tell(this.#resumeListeners, []);
		this.#resumeListeners.clear();
		this.#heldFetches.clear();
	}

	/** Whether {@link QoraClient.dispose} was called. */
	get isDisposed(): boolean {
		return this.#disposed;
	}

	// ---- internals shared with hydration (not part of the public surface) ----

	/**
	 * @internal Values a fetcher throws that `test` accepts are control flow, not
	 * failures (qora/sveltekit passes SvelteKit's `error()` and `redirect()`): they
	 * are not retried, and callers of the fetch reject with the value itself, so a
	 * load that awaits the fetch throws it on. The state still holds an Error.
	 */
	_passThrough(test: (thrown: unknown) => boolean): void {
		this.#passesThrough = test;
	}

	/** @internal Whether `thrown` is control flow by the {@link QoraClient._passThrough} test (qora/svelte's mutations ask too). */
	_isControlFlow(thrown: unknown): boolean {
		if (this.#passesThrough === null) return false;
		try {
			return this.#passesThrough(thrown) === true;
		} catch (error) {
			this.#reportError(error);
			return false;
		}
	}

	/**
	 * @internal For a client that lives for one server request (loadQoraClient,
	 * prefetchOnServer):
	 * - its entries are never collected on a timer, since they all go with the
	 *   client. Without gc timers nothing keeps a client alive that was never
	 *   disposed (a load threw `redirect()` before the render), so it is garbage
	 *   as soon as the request is;
	 * - unless the app chose a default `retry`, queries do not retry: a failing
	 *   API would hold the response through every backoff (1 + 2 + 4 s), and the
	 *   browser fetches again, with retries, what the server could not.
	 */
	_scopeToRequest(): void {
		this.#requestScoped = true;
		if (!this.#retryChosen) this.#setDefaults({ ...this.#defaults, retry: 0 });
		for (const entry of this.#entries.toArray()) {
			entry.gcAt = NEVER;
			this.#scheduler.cancel(entry);
		}
	}

	/** @internal Every entry, for dehydrate. */
	_entries(): Entry[] {
		return this.#entries.toArray();
	}

	/**
	 * @internal Merges validated records: the client's entry wins when it is
	 * newer. A server timestamp ahead of this clock counts as now, so hydrated
	 * data is never fresh for longer than `staleTime` after it arrives (see
	 * #hydrateEntry for what such a record does not override).
	 */
	_hydrate(records: readonly HydrationRecord[]): void {
		const now = this.#clock.now();
		// The payload goes in as a whole, then watchers hear of it: one told of a key (a dependent query it
		// mounts, a read) finds the payload's other keys in too, not before it (and fetches none of them).
		const told = (this.#told = new Set());
		try {
			for (const record of records) this.#hydrateEntry(record, now);
		} finally {
			this.#told = null;
		}
		for (const entry of told) if (entry.watch) this.#notify(entry, entry.watch);
	}

	#hydrateEntry(record: HydrationRecord, now: number): void {
		const dataAt = Math.min(record.dataUpdatedAt, now);
		// The data is at least as new as its request: a slow server fetch that went out before the
		// browser wrote or fetched (a save and its refetch while a streamed payload was on its way)
		// does not replace what the browser has, though it finished later.
		const since = Math.min(record.requestedAt, dataAt);
		// A server clock ahead of this one hides when the server really had the data. It counts
		// as now against older data and for staleness (a payload a navigation brings is, nearly
		// always, newer than what the browser has), but undoes no invalidation and discards no fetch
		// in flight: kept wrongly, those cost a refetch; undone wrongly, stale data shows as fresh.
		const knownAt = record.dataUpdatedAt > now ? -Infinity : since;
		const entry = this.#entries.find(record.key, record.code);
		if (record.status === 'pending') return;
		// A record fills only what it is newer than (no data, or older data; a success record always has data): an error
		// record's data comes in, and its error too unless the entry has a newer one. Request time against request
		// time: the entry's data is as new as the request behind it too.
		const withData = record.data !== undefined;
		if (entry?.data !== undefined && (!withData || entry.dataUpdatedAt - entry.requestLead >= since)) {
			if (record.invalidated) this.#invalidateKept(entry, now);
			return;
		}
		if (!entry && record.status === 'success') {
			noteRequest(this.#createWithData(record.code, copyValidKey(record.key), record.data, dataAt, now, record.invalidated), record.data, dataAt, since);
			return;
		}
		const target = entry ?? this.#create(record.code, copyValidKey(record.key), this.#defaultConfig);
		let action: EntryAction<unknown>;
		if (record.status === 'success') {
			// The payload's time says when the server had this data: an invalidation since is newer than it.
			const invalidated = record.invalidated || (target.isInvalidated && this.#epoch + target.invalidatedAt > knownAt);
			action = { type: 'write', data: record.data, at: dataAt, invalidated };
		} else {
			const errorAt = Math.min(record.errorUpdatedAt, now);
			// The failure fields stay this client's own attempts': the payload counts none. (A record without data
			// reaches here only for an entry without data: see above.)
			const merged: EntryState = {
				...stateOf(target),
				data: record.data,
				dataUpdatedAt: withData ? dataAt : target.dataUpdatedAt,
				isInvalidated: target.isInvalidated || record.invalidated
			};
			const hasNewerError = target.error !== null && target.errorUpdatedAt >= errorAt;
			action = { type: 'restore', snapshot: hasNewerError ? merged : { ...merged, status: 'error', error: record.error, errorUpdatedAt: errorAt } };
		}
		if (record.invalidated) this.#stampInvalidation(target, now);
		// An error brings no newer data, so unless it carries data a fetch in flight may still land.
		if (withData) {
			this.#writeDated(target, action, knownAt, now);
			noteRequest(target, record.data, dataAt, since);
		} else if (this.#dispatch(target, action)) this.#afterDataChange(target, now);
		if (record.invalidated) this.#refetchInvalidated(target);
	}

	/**
	 * The server invalidated data, and the browser keeps its own (by request time, as new or newer):
	 * when the server invalidated is unknown, so the browser's data may predate it and goes stale
	 * too (at worst one refetch), as a fetch in flight would.
	 */
	#invalidateKept(entry: Entry, now: number): void {
		this.#stampInvalidation(entry, now);
		if (this.#dispatch(entry, { type: 'invalidate' }) && entry.watch !== null) this.#afterDataChange(entry, now);
		this.#refetchInvalidated(entry);
	}

	/**
	 * Data that arrived invalidated (the server invalidated it after fetching) is refetched for a
	 * query on screen, as after invalidate() here: now, or once the fetch in flight has settled.
	 * When the server invalidated is unknown, so that fetch may predate it: at worst one refetch.
	 */
	#refetchInvalidated(entry: Entry): void {
		const run = entry.inflight;
		if (run !== null) run.invalidated = true;
		else if (entry.watch?.enabled) this.#fetchIfStale(entry, 0);
	}

	/**
	 * A write of data its source had at `at` (a hydrated record): it overrides a
	 * fetch in flight only if that fetch started no later; a later fetch still lands.
	 */
	#writeDated(entry: Entry, action: EntryAction<unknown>, at: number, now: number): void {
		const inflight = entry.inflight;
		if (inflight === null || inflight.startedAt <= at) this.#write(entry, action, now);
		else if (this.#dispatch(entry, action)) {
			// A rollback to data older than the request undid what was written since: the request's answer
			// lands over it. Data older than every write of the fetch leaves none to stand over its failure
			// either. (Hydrated data here is of an unknown age, not older: what was written before it stands.)
			if (action.type === 'restore') {
				if (at < inflight.oldestWrite) inflight.writes = 0;
				inflight.writesAtAttempt = inflight.writes;
			}
			this.#afterDataChange(entry, now);
		}
	}

	// ---- entries ----

	#create(code: number, parts: KeyParts, config: EntryConfig): Entry {
		const entry = new Entry(code, parts, config);
		// A disposed client keeps nothing: a late write or observer gets an entry of its own, then garbage.
		if (!this.#disposed) this.#entries.add(entry);
		return entry;
	}

	/**
	 * A new entry that starts out holding data: what a write to a missing key
	 * amounts to, without the diffing a write to a live entry needs (a new entry
	 * has no watcher to notify and no fetch to override).
	 */
	#createWithData(code: number, parts: KeyParts, data: unknown, at: number, now: number, invalidated?: boolean): Entry {
		const entry = this.#create(code, parts, this.#defaultConfig);
		entry.status = 'success';
		entry.data = data;
		entry.dataUpdatedAt = at;
		if (invalidated) {
			this.#stampInvalidation(entry, now);
			entry.isInvalidated = true;
		}
		this.#afterDataChange(entry, now);
		return entry;
	}

	/**
	 * An invalidation that arrived with hydrated data counts from now: the latest the server can
	 * have made it. It overtakes one the entry had: dated by that earlier one, a later payload
	 * with data the server had in between would clear it, and stale data would show as fresh.
	 */
	#stampInvalidation(entry: Entry, now: number): void {
		entry.invalidatedAt = small(now - this.#epoch);
	}

	#find(key: KeyInput): Entry | undefined {
		return this.#entries.recent(key) ?? this.#entries.find(key, keyCode(key));
	}

	/**
	 * What `initialData` gives an entry that has no data and no fetch. It is the
	 * app's code and may have used the cache, so callers look the entry up again
	 * after it. Called before the cache changes at all, so an `initialData` that
	 * throws leaves it as it was.
	 */
	#initialDataFor(entry: Entry | undefined, config: EntryConfig, where: string): InitialData | undefined {
		if (entry !== undefined && (entry.data !== undefined || entry.inflight)) return undefined;
		return readInitialData(config.options, this.#clock, where);
	}

	#applyInitialData(entry: Entry, initial: InitialData | undefined): void {
		// A listener may have written meanwhile; initial data never overrides anything.
		if (initial === undefined || entry.data !== undefined || entry.inflight) return;
		// A seed answers no failed fetch, nor an invalidation (it is older than any request): over one it goes
		// in stale, so the next watcher or fetch tries again.
		this.#write(entry, { type: 'write', data: initial.data, at: initial.at, invalidated: entry.isInvalidated || entry.status === 'error' });
		// A seed stands in for the key's data (often a summary from a list, dated by the list's answer, not by
		// when the list's request went out): server data of the key hydrated over it (a streamed payload) is newer.
		noteRequest(entry, initial.data, initial.at, 0);
	}

	/** Watched entries keep their snapshot until the next change; others build one per call. */
	#snapshot(entry: Entry, now: number): QoraState<unknown> {
		const isStale = computeIsStale(entry, entry.config.options.staleTime, now);
		const watch = entry.watch;
		let snapshot = watch?.snapshot ?? null;
		if (snapshot === null || snapshot.isStale !== isStale) {
			snapshot = toQoraState(entry, isStale);
			// Whoever gets it (getState, a store's subscriber) may hand it to restoreQueryData.
			this.#snapshotClears.set(snapshot, this.#clears);
			snapshotLeads.set(snapshot, entry.requestLead);
			if (watch !== null) {
				watch.snapshot = snapshot;
				// Fresh again after its flip ran (the wall clock stepped back): the flip must come again.
				if (!isStale && watch.stale.slot < 0) this.#afterDataChange(entry, now);
			}
		}
		return snapshot;
	}

	/** Applies an action; watchers hear of it only if the state really changed. */
	#dispatch(entry: Entry, action: EntryAction<unknown>): boolean {
		const patch = transition<unknown>(entry, action);
		if (patch === null) return false;
		// New data from anywhere but a fetch (#settle sets it) or a payload (#hydrateEntry) is as new as
		// its time; the very data written again (as a value: an updater handing it back writes nothing) keeps its request time.
		const at = patch.dataUpdatedAt;
		if (at !== undefined) entry.requestLead = patch.data === entry.data ? small(Math.max(entry.requestLead + at - entry.dataUpdatedAt, 0)) : 0;
		const fetchStatus = entry.fetchStatus;
		Object.assign(entry, patch);
		const watch = entry.watch;
		if (watch !== null) {
			watch.snapshot = null;
			if (this.#told) this.#told.add(entry);
			else this.#notify(entry, watch);
		}
		if (entry !== this.#settling && (entry.fetchStatus === 'fetching') !== (fetchStatus === 'fetching')) {
			this.#tell(this.#fetchListeners, entry);
		}
		return true;
	}

	/** A direct write: it wins over a fetch in flight, and moves the entry's deadlines. */
	#write(entry: Entry, action: EntryAction<unknown>, now?: number): void {
		const inflight = entry.inflight;
		// Putting back exactly what is there (a restore that changes nothing, an updater that returns
		// the data it was given) changes nothing, so it overrides nothing either.
		const sameData = action.type === 'write' && action.data === entry.data;
		if ((this.#dispatch(entry, action) || action.type !== 'restore') && inflight && !sameData) {
			inflight.writes++;
			inflight.oldestWrite = Math.min(inflight.oldestWrite, entry.dataUpdatedAt);
		}
		this.#afterDataChange(entry, now);
	}

	#notify(entry: Entry, watch: WatchState): void {
		const snapshot = this.#snapshot(entry, this.#clock.now());
		const seq = ++watch.notifySeq;
		watch.listeners.walk((listener) => {
			// A listener that changed the entry already delivered a newer snapshot to everyone.
			if (watch.notifySeq !== seq) return true;
			this.#deliver(listener, snapshot);
		});
	}

	/** Hands the listener the snapshot, unless it has it already. */
	#deliver(listener: Listener, snapshot: QoraState<unknown>): void {
		if (listener.last === snapshot) return;
		listener.last = snapshot;
		try {
			listener.run(snapshot);
		} catch (error) {
			this.#reportError(error);
		}
	}

	/** Keeps the gc and staleness deadlines in step with the entry. */
	#afterDataChange(entry: Entry, now?: number): void {
		// dispose() cancels its fetches (which come here) before it stops the scheduler: nothing to queue.
		if (this.#disposed) return;
		const watch = entry.watch;
		if (watch === null) {
			this.#scheduleGc(entry, now);
			return;
		}
		// A request's client renders once: a staleness flip has nobody to tell, and its timer would hold the client.
		if (isStaleAtAnyAge(entry) || this.#requestScoped) {
			this.#scheduler.cancel(watch.stale);
		} else {
			// Whole ms: the flip's re-check at the due time must find the data stale. (staleTime
			// Infinity makes the due Infinity, which unschedules the flip.)
			// With the caller's `now`: the flip's re-check found the data fresh at that very time,
			// so the new due is later than it even if the wall clock moved on meanwhile.
			this.#scheduler.schedule(watch.stale, entry.dataUpdatedAt + Math.ceil(entry.config.options.staleTime), now);
		}
	}

	#scheduleGc(entry: Entry, now = this.#clock.now()): void {
		// Whole ms: gcAt stays an inline small integer, and the re-check at the due time finds it passed.
		const gcTime = Math.ceil(entry.config.options.gcTime);
		if (gcTime === Infinity || this.#requestScoped) {
			entry.gcAt = NEVER;
			this.#scheduler.cancel(entry);
			return;
		}
		// A clock stepped back far enough makes a deadline below NEVER: a double, but collected on time.
		const gcAt = small(now - this.#epoch + gcTime);
		entry.gcAt = gcAt === NEVER ? NEVER + 1 : gcAt;
		// An earlier deadline already queued re-checks gcAt when it fires, so the
		// common "written again later" costs no heap work.
		if (now + gcTime < this.#scheduler.dueOf(entry, now)) this.#scheduler.schedule(entry, now + gcTime, now);
	}

	// ---- watchers ----

	#store<T>(code: number, parts: KeyParts, config: EntryConfig | null): QoraReadable<QoraState<T>> {
		return {
			subscribe: (run) => {
				checkRun(run, 'state');
				const listener = this.#subscribe(code, parts, run as (state: QoraState<unknown>) => void, config);
				return () => this.#unsubscribe(listener);
			}
		};
	}

	#subscribe(code: number, parts: KeyParts, run: (state: QoraState<unknown>) => void, config: EntryConfig | null): Listener {
		if (config) this.#assertAlive('watchQuery');
		// A fetching watcher: the page renders. (A state-only store, e.g. observeQuery in a load, is not the page.)
		// What it left stale is revalidated by the provider once the page has mounted (_deferRevalidation(false)).
		if (config) this.#revalidationDeferred = false;
		let found = this.#entries.find(parts, code);
		let initial: InitialData | undefined;
		// Checked here, not inside: most watchers have no initialData, and subscribing is a hot path.
		if (config !== null && config.options.initialData !== undefined) {
			initial = this.#initialDataFor(found, config, 'watchQuery');
			found = this.#entries.find(parts, code);
		}
		const entry = found ?? this.#create(code, parts, config ?? this.#defaultConfig);
		const enabled = config !== null && config.options.enabled;
		const watch = entry.watch ?? this.#startWatching(entry);
		const interval = enabled ? config.options.refetchInterval || 0 : 0;
		const listener: Listener = { run, last: null, interval, config, older: null, newer: null, entry, watch, position: -1 };
		let stalenessFlipped = false;
		// Until this listener is in the list, a listener leaving during the writes below must not end the watch.
		watch.joining++;
		if (enabled) {
			const watchers = (watch.enabledWatchers ??= new EnabledWatchers());
			watchers.join(listener as Listener & { config: EntryConfig });
			stalenessFlipped = this.#configure(entry, watchers.config() as EntryConfig, true);
		} else if (config && watch.enabled === 0) {
			// With no enabled watcher to decide, a disabled one configures the entry.
			stalenessFlipped = this.#configure(entry, config, true);
		}
		this.#applyInitialData(entry, initial);
		const now = this.#clock.now();
		watch.listeners.add(listener);
		watch.joining--;
		if (enabled) {
			if (++watch.enabled === 1) this.#watched.add(entry);
			if (interval > 0) this.#updatePolling(watch);
			// Whether to fetch on subscribe is this watcher's call, by its own staleTime.
			this.#fetchIfStale(entry, config.options.staleTime, now);
		}
		// Unless the fetch above told them, the other watchers learn of the new staleness now.
		if (stalenessFlipped) this.#notify(entry, watch);
		// The fetch above already started, so the first emission shows it.
		const snapshot = this.#snapshot(entry, now);
		if (watch.listeners.has(listener)) this.#deliver(listener, snapshot);
		return listener;
	}

	#unsubscribe(listener: Listener): void {
		const { entry, watch } = listener;
		if (watch === null) return;
		listener.watch = null;
		watch.listeners.delete(listener);
		if (isEnabled(listener)) {
			// The enabled watchers left decide the entry's config now. When the last one leaves the config
			// stays, so gc keeps the longest gcTime asked for.
			const watchers = watch.enabledWatchers as EnabledWatchers;
			watchers.leave(listener);
			if (--watch.enabled === 0) this.#watched.delete(entry);
			else this.#configure(entry, watchers.config() as EntryConfig);
		}
		if (listener.interval > 0) this.#updatePolling(watch);
		// A listener holding a watch is in it or joining it, so this is the entry's watch: it ends with its last listener.
		// Unless a listener told of the leave ended it already (and a new watch may have begun since).
		if (watch.listeners.size === 0 && watch.joining === 0 && entry.watch === watch) {
			this.#scheduler.cancel(watch.stale);
			entry.watch = null;
			// The gc countdown starts, unless the client is disposed (the only way a watched entry leaves the cache).
			this.#afterDataChange(entry);
		}
	}

	/** New options (and fetcher) for a subscribed watcher: it leaves and joins again without ending the watch. */
	#update(listener: Listener, config: EntryConfig): void {
		const { entry, watch } = listener;
		if (watch === null || listener.config === config || this.#disposed) return;
		const wasEnabled = isEnabled(listener);
		const interval = listener.interval;
		// Made when an enabled watcher first joins: until then (only then), a disabled one configures the entry.
		const watchers = config.options.enabled ? (watch.enabledWatchers ??= new EnabledWatchers()) : watch.enabledWatchers;
		const gcTime = watchers?.gcTime as number;
		// Leave by the old options and join by the new ones, so the counts per value stay right.
		if (wasEnabled) watch.enabled--, (watchers as EnabledWatchers).leave(listener);
		listener.config = config;
		listener.interval = config.options.enabled ? config.options.refetchInterval || 0 : 0;
		if (isEnabled(listener)) watch.enabled++, (watchers as EnabledWatchers).join(listener);
		// Still the same watch: the longest gcTime asked for is not forgotten.
		if (watchers && gcTime > watchers.gcTime) watchers.gcTime = gcTime;
		if (watch.enabled) this.#watched.add(entry);
		else this.#watched.delete(entry);
		// With no enabled watcher left the config stays, as when the last one unsubscribes (the
		// longest gcTime is kept); with none ever, a disabled watcher configures the entry.
		const decided = watchers ? watchers.config() : config;
		if (decided !== null) this.#configure(entry, decided as EntryConfig);
		if (listener.interval !== interval) this.#updatePolling(watch);
		if (!wasEnabled && isEnabled(listener)) this.#fetchIfStale(entry, config.options.staleTime);
	}

	/**
	 * A watcher subscribed or turned enabled: it fetches if it finds the data
	 * stale by its own `staleTime`, unless fetches are held (see _holdFetches),
	 * or joins the fetch in flight.
	 */
	#fetchIfStale(entry: Entry, staleTime: number, now = this.#clock.now()): void {
		if (this.#holdCount > 0) this.#heldFetches.set(entry, Math.min(this.#heldFetches.get(entry) ?? Infinity, staleTime));
		else if (entry.inflight) entry.inflight.joined = true;
		else if (computeIsStale(entry, staleTime, now)) this.#refetch(entry);
	}

	#startWatching(entry: Entry): WatchState {
		const watch: WatchState = (entry.watch = {
			listeners: new DenseList(),
			enabled: 0,
			notifySeq: 0,
			snapshot: null,
			interval: 0,
			// Cancelled when the watch ends: it runs only while this is the entry's watch.
			stale: createTask((now) => {
				// Not stale yet by the clock (it stepped back since): wait for it.
				if (computeIsStale(entry, entry.config.options.staleTime, now)) this.#notify(entry, watch);
				else this.#afterDataChange(entry, now);
			}),
			// Like setInterval, polling keeps a Node process running while someone watches.
			poll: createTask(() => {
				// Runs only while polling: the interval dropping to 0 cancels it, which happens before the
				// watch can end (its last poller left) and dispose stops the scheduler. So this is the entry's watch.
				const polled = entry.watch as WatchState;
				// The poll a faster poller brought forward has run: nothing to put back.
				this.#dropBefore(polled);
				// Not one more handler on a fetch in flight per poll: they would pile up while it hangs.
				if (!entry.inflight) {
					// Skipped in the background, unless an enabled watcher polls with `refetchIntervalInBackground`.
					polled.missedPoll = !(this.#inForeground() || someEnabledWatcher(polled, (watcher, options) => watcher.interval > 0 && options.refetchIntervalInBackground));
					if (!polled.missedPoll) this.#refetch(entry);
				}
				// Listeners told of the fetch may have ended its polling (or the watch, which ends polling first).
				if (polled.interval > 0) this.#schedulePoll(polled);
			}, true),
			pollBefore: null,
			missedPoll: false,
			enabledWatchers: null,
			joining: 0
		});
		this.#scheduler.cancel(entry);
		this.#afterDataChange(entry);
		return watch;
	}

	/**
	 * Gives the entry a new config. When that changes whether the data is stale
	 * (a watcher with a shorter staleTime came or went), the staleness deadline
	 * moves and the watchers hear of it (at once, or when `deferNotify`, from the
	 * caller, which may be about to start a fetch that tells them anyway). Returns
	 * whether staleness flipped.
	 */
	#configure(entry: Entry, config: EntryConfig, deferNotify?: boolean): boolean {
		const previous = entry.config;
		if (config === previous || this.#disposed) return false;
		entry.config = config;
		const watch = entry.watch;
		if (watch === null || config.options.staleTime === previous.options.staleTime) return false;
		this.#afterDataChange(entry);
		const now = this.#clock.now();
		const flipped = computeIsStale(entry, previous.options.staleTime, now) !== computeIsStale(entry, entry.config.options.staleTime, now);
		if (flipped && !deferNotify) this.#notify(entry, watch);
		return flipped;
	}

	/** Polls at the shortest interval any enabled watcher asked for. */
	#updatePolling(watch: WatchState): void {
		// Called for a watcher that polls or polled: it made the list when it joined enabled.
		const shortest = (watch.enabledWatchers as EnabledWatchers).interval;
		const interval = watch.interval;
		if (shortest === interval) return;
		watch.interval = shortest;
		if (shortest === 0) {
			this.#scheduler.cancel(watch.poll);
			this.#dropBefore(watch);
			watch.missedPoll = false;
			return;
		}
		// A faster poller joining never puts off the poll already due, and one leaving before the poll
		// it brought forward puts back the rhythm it found: a tooltip polling every 5 s, shown again and
		// again for a moment, would otherwise keep a list's 30 s polling from ever running. Each faster
		// interval remembers the due of the one it replaced, so a tooltip over a panel over a list puts
		// back the panel's rhythm, and the panel leaving then the list's.
		const now = this.#clock.now();
		let due = Infinity;
		let before = watch.pollBefore;
		if (shortest < interval) {
			due = this.#scheduler.dueOf(watch.poll, now);
			watch.pollBefore = before = { due: 0, slot: -1, run: noop, interval, prev: before };
			this.#scheduler.schedule(before, due, now);
		} else {
			// Back to a slower interval: the due it had (that of the faster ones goes), or that of a slower one still there.
			for (; before && before.interval <= shortest; before = before.prev) {
				due = this.#scheduler.dueOf(before, now);
				this.#scheduler.cancel(before);
			}
			if (before) due = Math.min(due, this.#scheduler.dueOf(before, now));
			watch.pollBefore = before;
		}
		this.#schedulePoll(watch, now, due);
	}

	/** Forgets the dues remembered for faster pollers leaving (a poll ran, or polling stopped). */
	#dropBefore(watch: WatchState): void {
		for (let before = watch.pollBefore; before; before = before.prev) this.#scheduler.cancel(before);
		watch.pollBefore = null;
	}

	/** Polls an interval after `now`, or at `latest` if sooner. */
	#schedulePoll(watch: WatchState, now = this.#clock.now(), latest = Infinity): void {
		// At least 1 ms: a sub-millisecond interval added to a large timestamp would round to now.
		this.#scheduler.schedule(watch.poll, Math.min(now + Math.max(watch.interval, 1), latest), now);
	}

	// ---- fetching ----

	/**
	 * Starts (or joins) the entry's fetch. `replace` aborts one in flight and starts anew.
	 * `own`: the config of a one-off call (fetchQuery) that the fetch keeps unless a watcher
	 * joins it; without it, the fetch is the watchers' and follows their config as it changes.
	 * `landed`: a fetch that just landed and is followed up: the new one takes over its callers,
	 * unless `landed` took them over itself (then they get what it brought, see #followedUp).
	 */
	#fetch(entry: Entry, replace: boolean, own: EntryConfig | null = null, landed: Run | null = null): Promise<unknown> {
		const current = entry.inflight;
		if (current && !replace) return current.promise;
		// Taken over once: invalidations coming faster than answers would hold them through follow-ups for good.
		const previous = current ?? (landed?.successor === 2 ? null : landed);
		const config = own ?? entry.config;
		// The app's code (a listener, initialData) may have disposed the client on the way here.
		if (this.#disposed) return Promise.reject(disposedError());
		// Fetched while resumed writes are out (a resumed write's onSettled, a poll): the reconnect refetch at their release skips it.
		if (this.#writesWait !== undefined) this.#fetchedInWait.add(entry);

		// A replacing fetch settles the promise its callers already hold: a new promise chained to the old
		// one per replacement would grow without bound while invalidations come faster than answers.
		let promise: Promise<unknown>;
		let resolve!: (value: unknown) => void;
		let reject!: (reason: unknown) => void;
		if (previous) ({ promise, resolve, reject } = previous);
		else {
			promise = new Promise<unknown>((res, rej) => {
				resolve = res;
				reject = rej;
			});
			promise.catch(noop);
		}
		const run: Run = {
			retryer: null,
			controller: null,
			// A follow-up's cancel keeps what the fetch before it brought.
			before: current ? current.before : stateOf(entry),
			startedAt: this.#clock.now(),
			oldestWrite: Infinity,
			// A fetchQuery caller of the replaced fetch awaits this one now (the same promise).
			awaited: previous !== null && previous.awaited,
			writes: 0,
			writesAtAttempt: 0,
			invalidated: false,
			sending: false,
			successor: landed ? 2 : current ? 1 : 0,
			followUp: false,
			joined: false,
			// Prefetches waiting on the replaced fetch wait on this one now.
			waiters: previous ? previous.waiters : null,
			idle: previous ? previous.idle : null,
			promise,
			resolve,
			reject
		};
		if (current) {
			entry.inflight = null;
			current.before = null;
			this.#abort(current, new CancelledError('Replaced by a newer fetch'));
		}
		entry.inflight = run;
		this.#fetching.add(entry);
		// A first-page load's fetch, which the page may answer (see _deferRevalidation): 2 until its first attempt goes, which
		// goes out offline too; 1 while that attempt is out (failing while still offline, it waits for the connection
		// whatever `retry` says); 0 from the next attempt on, and for any other fetch.
		let pageAnswer = this.#revalidationDeferred === 2 ? 2 : 0;
		this.#dispatch(entry, { type: 'fetch', paused: !(pageAnswer > 1 || this.isOnline()) });
		// A listener told of the fetch may have cancelled or replaced it already: then it never starts.
		if (entry.inflight !== run) return promise;
		// Or brought the connection back: the fetch shown as paused goes out at once.
		if (entry.fetchStatus === 'paused' && this.isOnline()) {
			this.#dispatch(entry, { type: 'continue' });
			if (entry.inflight !== run) return promise;
		}

		const context = {
			key: entry.parts,
			get signal(): AbortSignal {
				return (run.controller ??= new AbortController()).signal;
			}
		};
		// The fetcher and retry settings are read at each attempt and failure, from the watchers
		// while there are any: one that leaves or changes its options no longer decides. A page's
		// query joining a fetch its load started with `retry: 0` (to fail fast) retries the next
		// failure by its own settings; a fetch started with its own settings while watchers were
		// already there keeps them.
		const live = (): EntryConfig =>
			(own === null || run.joined) && entry.watch?.enabled ? entry.config : config;
		const policy = (): EntryConfig['options'] => live().options;
		const offlineAnswer = (): boolean => pageAnswer === 1 && !this.isOnline();
		const retryer = (run.retryer = startRetryer<unknown>({
			attempt: () => {
				run.startedAt = this.#clock.now();
				// Its result postdates any invalidation made before it goes out (while paused, or in a backoff),
				// so none of those needs a follow-up either. The page's answer goes out once (see above).
				if (pageAnswer > 0) pageAnswer--;
				run.invalidated = run.followUp = false;
				const fetcher = live().fetcher as Fetcher<unknown>;
				run.sending = true;
				try {
					return checkDefined(fetcher(context), entry.parts);
				} finally {
					run.sending = false;
					// A request sent after a write (a retry, a paused fetch resuming, the fetcher's own seed
					// as it runs) may bring newer data than the write.
					run.writesAtAttempt = run.writes;
				}
			},
			get retry() {
				return offlineAnswer() || policy().retry;
			},
			get retryDelay() {
				return policy().retryDelay;
			},
			isFinal: (error) => {
				if (!this._isControlFlow(thrownValueOf(error))) return false;
				// Marked, so #settle hands callers the value itself without asking the test again.
				permanentError(error);
				return true;
			},
			scheduler: this.#scheduler,
			report: this.#reportError,
			now: () => this.#clock.now(),
			isOnline: () => pageAnswer > 1 || this.isOnline(),
			onFailure: (failureCount, error) => {
				if (entry.inflight !== run) return;
				this.#dispatch(entry, { type: 'failed', failureCount, error });
				// Prefetches whose own retry policy gives up here stop waiting; the fetch goes on. A waiter
				// with the fetch's own policy keeps waiting (the retryer just decided to retry) without a
				// second call of it; one added by a policy function meanwhile is kept.
				const waiters = run.waiters;
				if (waiters === null) return;
				const count = waiters.length;
				const kept: typeof waiters = [];
				const retry = policy().retry;
				for (const waiter of waiters.slice(0, count)) {
					if (waiter.retry === retry || keepsWaiting(waiter.retry, failureCount, error)) kept.push(waiter);
					else waiter.release();
				}
				// Still this run's list: only a pause replaces it, and none can come while the retryer handles this failure.
				run.waiters = kept.concat(waiters.slice(count));
			},
			onPause: () => {
				if (entry.inflight !== run) return;
				this.#dispatch(entry, { type: 'pause' });
				const waiters = run.waiters;
				run.waiters = null;
				if (waiters !== null) for (const waiter of waiters) waiter.release();
			},
			// Only #onConnectivityChange resumes a retryer, and only that of the entry's fetch in flight.
			onContinue: () => this.#dispatch(entry, { type: 'continue' })
		}));
		// Cancelled or replaced during its first attempt, which runs at once: #abort found no retryer to stop.
		if (entry.inflight !== run) retryer.cancel();
		retryer.promise.then(
			(data) => this.#settle(entry, run, data, null),
			(error: Error) => this.#settle(entry, run, undefined, error)
		);
		return promise;
	}

	/** Starts (or joins) the entry's fetch for nobody waiting on it. */
	#refetch(entry: Entry): void {
		this.#fetch(entry, false).catch(noop);
	}

	#settle(entry: Entry, run: Run, data: unknown, error: Error | null): void {
		if (entry.inflight !== run) return; // cancelled or replaced: its outcome no longer matters
		this.#settling = entry;
		entry.inflight = null;
		run.before = null;
		this.#fetching.delete(entry);
		if (run.writes > (error ? 0 : run.writesAtAttempt) && entry.data !== undefined) {
			// A direct write landed during the answering attempt: it is newer than anything that attempt saw.
			// And a write at any time during the fetch stands over the fetch's final failure.
			const written = entry.data; // read first: the listeners told of the settle may remove it
			this.#dispatch(entry, { type: 'settle' });
			if (!this.#followedUp(entry, run, written)) {
				run.resolve(written);
				// An invalidation made after that write still stands: a watcher that joined wants fresh data.
				if (run.invalidated && entry.isInvalidated && entry.watch?.enabled) this.#refetch(entry);
			}
		} else if (error) {
			// Followed up, the failure is shown no more than a replaced fetch's would be.
			// Control flow the app's framework throws (see _passThrough) goes on as itself; the state keeps an Error.
			const reason = isPermanent(error) ? thrownValueOf(error) : error;
			if (!this.#followedUp(entry, run, reason, true)) {
				this.#dispatch(entry, { type: 'error', error, at: this.#clock.now(), failureCount: (run.retryer as NonNullable<Run['retryer']>).failureCount });
				// What the hook throws, or the promise it returns rejects with (an async hook, `goto`), goes to onError.
				new Promise((resolve) => resolve(this.#onQueryError?.(error, entry.parts))).catch(this.#reportError);
				run.reject(reason);
			}
		} else {
			const at = this.#clock.now();
			this.#dispatch(entry, { type: 'success', data, at, invalidated: run.invalidated });
			noteRequest(entry, data, at, run.startedAt);
			if (!this.#followedUp(entry, run, data)) {
				run.resolve(data);
				// Invalidated while unwatched, then joined by a watcher: what landed may predate the change it wants.
				if (run.invalidated && entry.watch?.enabled) this.#refetch(entry);
			}
		}
		this.#settling = null;
		this.#tell(this.#fetchListeners, entry);
		this.#afterDataChange(entry);
	}

	/**
	 * A fetch an invalidation let land (see Run.successor) is followed by a refetch that takes over
	 * its callers: while the entry is still watched and invalidated, and no listener told of the
	 * landing has started a fetch of its own.
	 */
	#followedUp(entry: Entry, run: Run, outcome: unknown, failed?: boolean): boolean {
		if (!run.followUp || !entry.isInvalidated || entry.inflight !== null || !entry.watch?.enabled) return false;
		if (this.#disposed) return false;
		void this.#fetch(entry, false, null, run);
		// Callers the refetch did not take over (see #fetch) get what landed; for its failure, which is not shown,
		// the data shown (landed since they called) if there is any.
		if ((entry.inflight as Run | null)?.promise !== run.promise) {
			if (failed && entry.data === undefined) run.reject(outcome);
			else run.resolve(failed ? entry.data : outcome);
		}
		return true;
	}

	#abort(run: Run, error: Error): void {
		run.retryer?.cancel(error);
		// A fetcher may read its signal only after an await: the signal it gets then must be aborted too.
		(run.controller ??= new AbortController()).abort(error);
	}

	#cancel(entry: Entry, error: Error): void {
		// A fetch held back (see _holdFetches) is as good as started: cancelled too.
		this.#heldFetches.delete(entry);
		const run = entry.inflight;
		if (!run) return;
		entry.inflight = null;
		this.#fetching.delete(entry);
		this.#abort(run, error);
		this.#dispatch(entry, { type: 'cancel', before: run.before as EntryState });
		run.before = null;
		run.reject(error);
		this.#afterDataChange(entry);
	}

	#invalidateAll(entries: Entry[]): Promise<void> {
		const refetches: Promise<void>[] = [];
		const at = small(this.#clock.now() - this.#epoch);
		for (const entry of entries) {
			entry.invalidatedAt = at;
			const run = entry.inflight;
			// The fetcher invalidating its own key as it runs: the request it is making answers that. A
			// replacement would call it again, endlessly; a wait for the refetch would wait on itself.
			const sending = run?.sending;
			if (run !== null && !sending) run.invalidated = true;
			// Invalidation is not a write: it moves the staleness deadline of watchers, never the gc deadline.
			if (this.#dispatch(entry, { type: 'invalidate' }) && entry.watch !== null) this.#afterDataChange(entry);
			if (!sending && entry.watch?.enabled && !this.#disposed) {
				const current = entry.inflight;
				// Not through a pause: awaited after a mutation, it would hold the app until the connection is back.
				// One wait per fetch, shared by every invalidate that replaced it, not one more waiter per call.
				if (current === null || !current.successor) refetches.push(idleOf(entry, this.#fetch(entry, true)));
				else {
					// Replaced once already: it lands, and a refetch follows (see Run.successor).
					current.followUp = true;
					refetches.push(idleOf(entry, current.promise));
				}
			}
		}
		// One refetch: its shared wait itself, so repeated invalidate calls allocate nothing that waits.
		if (refetches.length < 2) return refetches[0] ?? Promise.resolve();
		// Calls waiting on the same refetches share one wait too (a prefix invalidated on every push while they are out).
		const last = this.#waits;
		if (last.length === refetches.length && refetches.every((wait, i) => wait === last[i])) return this.#wait;
		this.#waits = refetches;
		return (this.#wait = Promise.all(refetches).then(noop));
	}

	#matcher(match: KeyPredicate | KeyInput, where: string): KeyPredicate {
		if (typeof match === 'function') return match;
		let prefix: KeyParts;
		try {
			prefix = normalizeKey(match);
		} catch (error) {
			throw new TypeError(`${where}: expected a predicate (parts) => boolean or a key prefix. ${(error as Error).message}`);
		}
		return (parts) => partsStartWith(parts, prefix);
	}

	// ---- focus and connectivity ----

	/**
	 * Refetches every watched stale entry whose options ask for it on this trigger. Focus (in the
	 * foreground) also makes up for the polls skipped while the app was in the background.
	 */
	#refetchStaleWatched(trigger: 'refetchOnFocus' | 'refetchOnReconnect'): void {
		const now = this.#clock.now();
		const back = trigger === 'refetchOnFocus' && this.#inForeground();
		for (const entry of this.#watched) {
			const watch = entry.watch as WatchState;
			const missed = back && watch.missedPoll;
			if (missed) {
				watch.missedPoll = false;
				// The made-up poll is a poll that ran: it restarts the rhythm (the one due next would fetch again
				// a moment later), and leaves nothing a faster poller brought forward to put back.
				this.#dropBefore(watch);
				this.#schedulePoll(watch);
			}
			if (
				!entry.inflight &&
				(trigger === 'refetchOnFocus' || !this.#fetchedInWait.has(entry)) &&
				// A made-up poll, or an enabled watcher that asks for refetches on this trigger finds the data stale by its own staleTime.
				(missed || someEnabledWatcher(watch, (_, options) => options[trigger] && computeIsStale(entry, options.staleTime, now)))
			) {
				this.#refetch(entry);
			}
		}
	}

	#onConnectivityChange(): void {
		const online = this.isOnline();
		const cameBack = online && !this.#wasOnline;
		this.#wasOnline = online;
		if (this.#disposed) return;
		// Paused writes first (qora/svelte's mutations), and the paused fetches once those settled: a
		// refetch of what one changes must ask after the write is done, or its older answer would replace
		// the optimistic update. Told offline too (a write still in its onMutate shows it waits again):
		// then none resumes, and resumeFetches stops at once.
		const writes: Promise<unknown>[] = [];
		this.#tell(this.#resumeListeners, writes);
		for (const write of writes) {
			// Told again of a write still out (an onMutate still running at each news): one handler is enough.
			if (this.#resumedWrites.has(write)) continue;
			this.#resumedWrites.add(write);
			const done = () => this.#resumedWrites.delete(write);
			write.then(done, done);
		}
		const resumeFetches = (cameBack: boolean) => {
			// The connection (or the client) may have gone while the writes ran.
			if (this.#disposed || !this.isOnline()) return;
			// Held while any resumed write is still out, this news's or earlier news's (a flapping connection, a
			// mount); except fetches a fetchQuery awaits: a write may be awaiting one (a mutationFn ensuring a
			// token or a user first), and holding it would hold both for ever.
			const holding = this.#resumedWrites.size > 0;
			// Resume on any "online" news, not just a transition we saw: a source may go offline silently.
			for (const entry of [...this.#fetching]) if (!holding || entry.inflight?.awaited) entry.inflight?.retryer?.resume();
			if (!holding) {
				if (cameBack) this.#refetchStaleWatched('refetchOnReconnect');
			} else if (this.#writesWait === undefined) {
				// One wait, however often the connection flaps while a write is out (a wait per news kept ~700 B each).
				this.#writesWait = cameBack;
				Promise.allSettled(this.#resumedWrites).then(() => {
					const refetch = this.#writesWait as boolean;
					this.#writesWait = undefined;
					resumeFetches(refetch);
					this.#fetchedInWait.clear();
				});
			} else this.#writesWait ||= cameBack;
		};
		resumeFetches(cameBack);
	}
}

/**
 * @internal (prefetchOnServer waits so for the fetches its run started.)
 * Resolves when `promise` (the entry's fetch) settles, or sooner: when the fetch pauses for the
 * connection, or fails more often than `retry` would retry. The fetch itself goes on.
 */
export function waitForFetch(entry: Entry, promise: Promise<unknown>, retry: RetryOption, onRelease?: () => void): Promise<void> {
	const run = entry.inflight;
	const failures = entry.failureCount;
	// Nothing to wait for: no handler goes on the fetch's promise, which stays pending while offline
	// (one per call would pile up for every invalidate or prefetch made until the connection is back).
	if (run !== null && (entry.fetchStatus === 'paused' || (failures > 0 && !keepsWaiting(retry, failures, entry.failureReason as Error)))) {
		onRelease?.();
		return Promise.resolve();
	}
	return new Promise<void>((resolve) => {
		const release = () => {
			resolve();
			onRelease?.();
		};
		promise.then(release, release);
		if (run !== null) (run.waiters ??= []).push({ retry, release });
	});
}

/**
 * What invalidate awaits: its refetch settles or pauses. Every invalidate that replaces the
 * fetch meanwhile shares one wait (carried by the replacing fetch), instead of adding a waiter each.
 */
function idleOf(entry: Entry, promise: Promise<unknown>): Promise<void> {
	const run = entry.inflight;
	if (run === null || run.promise !== promise || entry.fetchStatus === 'paused') return waitForFetch(entry, promise, true);
	if (run.idle !== null) return run.idle;
	const idle = waitForFetch(entry, promise, true, () => {
		// Released (settled or paused): the next invalidate waits for what follows.
		if (entry.inflight?.idle === idle) entry.inflight.idle = null;
	});
	run.idle = idle;
	return idle;
}

/** Whether a prefetch with this `retry` policy still waits after `failures` failed attempts (a throwing policy: no). */
function keepsWaiting(retry: RetryOption, failures: number, error: Error): boolean {
	try {
		return shouldRetry(retry, failures, error);
	} catch {
		return false;
	}
}

/**
 * `data`, written at `at` by a fetch's success or a hydrated record, was requested at `since`;
 * unless a listener told of the write has written something else meanwhile.
 */
function noteRequest(entry: Entry, data: unknown, at: number, since: number): void {
	// Never negative: a wall clock stepped back during a fetch would make the data look newer than it is.
	if (entry.data === data && entry.dataUpdatedAt === at) {
		const run = entry.inflight;
		// A fetch in flight whose answer lands over the data (nothing written over its attempt) went out after the data's
		// request (hydrated data from a server clock ahead lets one land): a rollback to the data lets it land too.
		if (run && run.writes === run.writesAtAttempt) since = Math.min(since, run.startedAt - 1);
		entry.requestLead = small(Math.max(at - since, 0));
		// The watchers' snapshot of this data was made before: a rollback to it needs the request's time.
		if (entry.watch?.snapshot) snapshotLeads.set(entry.watch.snapshot, entry.requestLead);
	}
}

/** Each snapshot's data's request lead (see Entry.requestLead), for restoreQueryData. */
const snapshotLeads = new WeakMap<object, number>();

/** Whether the listener is a watcher that may fetch. */
function isEnabled(listener: Listener): listener is Listener & { config: EntryConfig } {
	return listener.config !== null && listener.config.options.enabled;
}

/** Whether an activity item (a fetching entry, a write) is one `test` selects by its key; a keyless write matches no test. */
function selects({ parts }: { parts: KeyParts | null }, test: KeyPredicate | null, where: string): boolean {
	return test === null || (parts !== null && !!refusePromise(test(parts), where));
}

/** The items of `all` that are active now and that `test` selects (copied first: a predicate may start or end work). */
function selectActive<I extends { parts: KeyParts | null }>(all: Set<I>, isOn: (item: I) => boolean, test: KeyPredicate | null, where: string): Set<I> {
	const selected = new Set<I>();
	for (const item of [...all]) if (isOn(item) && selects(item, test, where)) selected.add(item);
	return selected;
}

/** A store's subscriber must be a function: anything else would throw later, far from the mistake. */
function checkRun(run: unknown, value: string): void {
	if (typeof run !== 'function') throw new TypeError(`subscribe(run): expected a function (${value}) => void, got ${kindOf(run)}`);
}

/**
 * The predicate's answer, unless it is a promise: that is truthy whatever it resolves to, so
 * everything would match. Any predicate can return one (an async function, compiled or not, or
 * one that returns a fetch), so the answers are checked, not the function. The refused promise
 * is handled: if it rejects, the caller hears of the TypeError alone, not of an unhandled rejection too.
 */
function refusePromise(answer: unknown, where: string): unknown {
	if (!isRefusedPromise(answer)) return answer;
	throw new TypeError(`${where}: the predicate must return a boolean, not a promise`);
}

/** Whether an enabled watcher of `watch` (which has one) passes `test`, given its options. */
function someEnabledWatcher(watch: WatchState, test: (watcher: Listener, options: ResolvedOptions) => boolean): boolean {
	for (let watcher: Listener | null = (watch.enabledWatchers as EnabledWatchers).newest; watcher !== null; watcher = watcher.older) {
		if (test(watcher, (watcher.config as EntryConfig).options)) return true;
	}
	return false;
}

/** A focus or online source has the functions the client calls (checked before any is called). */
function checkSource(source: FocusSource | OnlineSource | undefined, name: 'focus' | 'online'): void {
	if (!source) return;
	const wrong =
		typeof source.subscribe !== 'function'
			? 'subscribe'
			: name === 'online'
				? typeof (source as OnlineSource).isOnline !== 'function' && 'isOnline'
				: (source as FocusSource).isFocused !== undefined && typeof (source as FocusSource).isFocused !== 'function' && 'isFocused';
	if (wrong) throw new TypeError(`mount(sources): ${name}.${wrong} must be a function`);
}

/**
 * Subscribes `onNews` to `source` and adds it to `sources`, until the mount's `detach` list is run.
 * What its `subscribe` returned is checked: the function that ends the subscription.
 */
function attachSource<S extends FocusSource | OnlineSource>(sources: S[], source: S, name: string, onNews: () => void, detach: (() => void)[]): void {
	const stop: unknown = source.subscribe(onNews);
	if (typeof stop !== 'function') throw new TypeError(`mount(sources): ${name}.subscribe must return a function that unsubscribes, got ${kindOf(stop)}`);
	detach.push(stop as () => void);
	sources.push(source);
	detach.push(() => sources.splice(sources.indexOf(source), 1));
}

/** `undefined` means "no data" in the cache, so a fetcher may not resolve with it (a missing `return`: retrying will not help). */
function checkDefined(result: unknown, parts: KeyParts): unknown {
	const fail = () => {
		throw permanentError(new TypeError(`The fetcher of query ${textOf(parts, true)} resolved undefined; resolve null for "no value"`));
	};
	if (isThenable(result)) return Promise.resolve(result).then((value) => (value === undefined ? fail() : value));
	return result === undefined ? fail() : result;
}
