/**
 * Query options: their defaults, and validation that turns a typo or a wrong
 * type into a TypeError at the call instead of a silent misbehaviour later.
 */
import { isRefusedPromise, kindOf, textOf } from './errors.js';
import type { Clock } from './platform.js';

/** Retry policy: a count of retries, all/none, or a decision per failure. */
export type RetryOption = boolean | number | ((failureCount: number, error: Error) => boolean);

/** Delay before a retry, in ms: fixed, or computed from the attempt index (0 for the first retry). */
export type RetryDelayOption = number | ((attemptIndex: number, error: Error) => number);

/** Options shared by every query, settable globally (`defaultOptions`) and per query. All times in ms. */
export interface QoraSharedOptions {
	/** How long fetched data counts as fresh. Default 5 minutes; `0` is stale at once; `Infinity` never goes stale by age. */
	staleTime?: number | undefined;
	/** How long an unwatched entry is kept before it is removed. Default 5 minutes; `Infinity` keeps it forever. */
	gcTime?: number | undefined;
	/**
	 * Retries after a failed attempt. Default 3 (four attempts in all). A function receives the failure count so far
	 * (1 after the first failure) and must answer synchronously: one that throws or returns a promise ends the retries,
	 * the fetch failing with its own error and the policy's going to the client's `onError`.
	 */
	retry?: RetryOption | undefined;
	/**
	 * Delay before each retry. Default `attempt => Math.min(1000 * 2 ** attempt, 30000)`: 1 s, 2 s, 4 s… A function
	 * that throws or returns a promise ends the retries, as such a `retry` does.
	 */
	retryDelay?: RetryDelayOption | undefined;
	/** When false, watchers never fetch (imperative `fetchQuery` still does). Default true. */
	enabled?: boolean | undefined;
	/** Refetch watched queries on this period; `false` or `0` turns it off (the default). */
	refetchInterval?: number | false | undefined;
	/**
	 * Poll also while the app is in the background (its tab hidden). Default false: a poll due then is
	 * skipped, and made up for as the app comes back. Polls if any polling watcher of the key asks for it.
	 */
	refetchIntervalInBackground?: boolean | undefined;
	/** Refetch watched stale queries when the app regains focus. Default true. */
	refetchOnFocus?: boolean | undefined;
	/** Refetch watched stale queries when the connection comes back. Default true. */
	refetchOnReconnect?: boolean | undefined;
}

/**
 * `T`, without TypeScript inferring `T` from it: the built-in `NoInfer`, which needs
 * TypeScript 5.4, while SvelteKit's peer range allows 5.3 (where, under skipLibCheck, an unknown
 * `NoInfer` silently turns `any`). The public types use this instead.
 */
export type Uninferred<T> = [T][T extends unknown ? 0 : never];

/**
 * Options of one query, whose data is a `T`. Without `T` (shared settings typed `QoraOptions`) there is no
 * `initialData` to give, so such options fit every query and leave its data type as the fetcher's.
 */
export interface QoraOptions<T = never> extends QoraSharedOptions {
	/**
	 * Data to start with when the entry has none and no fetch is running (a fetch in flight, such as a
	 * load's prefetch, answers instead: a seed written over it would win over its result); it is written
	 * to the cache and counts as fresh from `initialDataUpdatedAt`. Over a failed fetch it goes in stale,
	 * so the failure is still tried again. A promise is refused with a TypeError: given as the value
	 * (`initialData: fetchSeed()`), when the query is given, as other bad options are; returned by the
	 * function, when it is read.
	 * The function form is typed by the fetcher's data, not the other way round: a seed of a narrower
	 * type (a list's summary for a detail query) does not compile, rather than narrowing the query's
	 * `data`. The value form takes part in inference (so options typed `QoraOptions` spread in): a
	 * variable of a narrower type narrows `data`, unless the query's type argument is given.
	 */
	initialData?: T | (() => Uninferred<T> | undefined) | undefined;
	/**
	 * When `initialData` was fetched (ms since epoch). Default: the moment it is written. The function
	 * form is read only when the seed is, so it can date a seed taken from another entry at that moment:
	 * `() => client.getState(['todos'])?.dataUpdatedAt`.
	 */
	initialDataUpdatedAt?: number | (() => number | undefined) | undefined;
	/**
	 * `keepPrevious` from `qora/svelte`, for `createQuery`. Accepted and ignored
	 * elsewhere, so one query definition serves a load's `prefetchQuery` and the page.
	 */
	placeholderData?: KeepPrevious | undefined;
}

/** The type of {@link keepPrevious}: branded, so it survives object literals that TypeScript widens. */
export type KeepPrevious = symbol & { readonly __qora: 'keepPrevious' };

/**
 * Pass as `options.placeholderData` to `createQuery` (`qora/svelte`): when the
 * key changes, keep showing the previous key's data until the new key has
 * data or an error, with `isPlaceholderData: true`. The core's own calls (`fetchQuery`,
 * `prefetchQuery`, `watchQuery`) accept and ignore it. Exported by `qora` as
 * well as `qora/svelte`, so a module of query definitions shared by loads and
 * pages needs no Svelte.
 */
export const keepPrevious = Symbol.for('qora.keepPrevious') as KeepPrevious;

/** Every shared option, each with a value (`Required` alone keeps an explicit `| undefined`). */
type SharedDefaults = { readonly [K in keyof QoraSharedOptions]-?: Exclude<QoraSharedOptions[K], undefined> };

/** Options with every shared default filled in. */
export interface ResolvedOptions<T = unknown> extends SharedDefaults {
	initialData?: T | (() => T | undefined);
	initialDataUpdatedAt?: number | (() => number | undefined);
}

/** The default retry delay: exponential backoff from 1 s, capped at 30 s. */
export function defaultRetryDelay(attemptIndex: number): number {
	return Math.min(1000 * 2 ** attemptIndex, 30_000);
}

/** Built-in defaults of every shared option. Frozen where a client hands them out (its defaultOptions). */
export const builtinDefaults: SharedDefaults = {
	staleTime: 5 * 60_000,
	gcTime: 5 * 60_000,
	retry: 3,
	retryDelay: defaultRetryDelay,
	enabled: true,
	refetchInterval: false,
	refetchIntervalInBackground: false,
	refetchOnFocus: true,
	refetchOnReconnect: true
};

type Check = (value: unknown) => string | null;

const duration: Check = (v) =>
	typeof v === 'number' && v >= 0 ? null : 'must be a number of ms >= 0 (Infinity allowed)';
const flag: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');

/**
 * @internal A finite number >= 0 (a time in ms, or a timestamp). Number.isFinite converts
 * nothing: it is false for anything but a number.
 */
export function isFiniteTime(value: unknown): value is number {
	return Number.isFinite(value) && (value as number) >= 0;
}

const checks: Record<keyof QoraOptions, Check> = {
	staleTime: duration,
	gcTime: duration,
	retry: (v) =>
		// Number.isInteger converts nothing: it is false for anything but a number.
		typeof v === 'boolean' || typeof v === 'function' || (Number.isInteger(v) && (v as number) >= 0)
			? null
			: 'must be a whole number >= 0, a boolean, or (failureCount, error) => boolean',
	retryDelay: (v) =>
		typeof v === 'function' || isFiniteTime(v)
			? null
			: 'must be a finite number of ms >= 0 or (attemptIndex, error) => number',
	enabled: flag,
	refetchInterval: (v) =>
		v === false || isFiniteTime(v)
			? null
			: 'must be false or a finite number of ms >= 0',
	refetchIntervalInBackground: flag,
	refetchOnFocus: flag,
	refetchOnReconnect: flag,
	initialData: () => null,
	placeholderData: (v) => (v === keepPrevious ? null : "must be keepPrevious (from 'qora/svelte')"),
	initialDataUpdatedAt: (v) => (typeof v === 'function' || isFiniteTime(v) ? null : 'must be a timestamp in ms >= 0, or () => timestamp | undefined')
};

/** Whether `name` is a shared option, settable in `defaultOptions`: the others have no default, being per query only. */
const isShared = (name: string): boolean => Object.hasOwn(builtinDefaults, name);

/**
 * Validates options; `where` names the call in messages.
 * @throws TypeError naming the option, its problem, and the nearest known name for a typo.
 */
export function validateOptions(options: unknown, where: string, allowPerQuery = true): void {
	if (options === undefined) return;
	if (typeof options !== 'object' || options === null || Array.isArray(options)) {
		throw new TypeError(`${where}: options must be an object, got ${kindOf(options)}`);
	}
	for (const name of Object.keys(options)) {
		const value = (options as Record<string, unknown>)[name];
		const check = Object.hasOwn(checks, name) ? checks[name as keyof QoraOptions] : undefined;
		if (!check || (!allowPerQuery && !isShared(name))) {
			const hint = check ? ' (it is per query only)' : suggest(name, allowPerQuery);
			throw new TypeError(`${where}: unknown option "${name}"${hint}`);
		}
		if (value === undefined) continue;
		const problem = check(value);
		// Strings and objects show as JSON: printed bare, "got false" or "got 5000" would read as a valid value
		// refused, and an array or object as "got " or "got [object Object]". (typeof > 'o': object, string,
		// symbol, undefined, where JSON shows nothing wrong; numbers, booleans, bigints, functions print as such.)
		if (problem) throw new TypeError(`${where}: option "${name}" ${problem}, got ${textOf(value, typeof value > 'o')}`);
	}
}

/** TanStack Query's names for what Qora calls otherwise. */
const renamed: Record<string, string> = {
	cacheTime: 'gcTime',
	refetchOnWindowFocus: 'refetchOnFocus',
	queryKey: 'key',
	queryFn: 'fetcher',
	mutationKey: 'key',
	keepPreviousData: 'placeholderData'
};

/**
 * The option `name` means (itself, or Qora's name for TanStack's), for hints when
 * one is put in the wrong place; undefined when it is no option, or a per-query
 * one where those are not allowed.
 */
export function optionNameFor(name: string, allowPerQuery: boolean): string | undefined {
	const option = Object.hasOwn(renamed, name) ? (renamed[name] as string) : name;
	if (!Object.hasOwn(checks, option)) return undefined;
	return allowPerQuery || isShared(option) ? option : undefined;
}

/** Edit distance: how many letters to add, drop or change to turn `a` into `b`. */
function distance(a: string, b: string): number {
	// The first row: turning "" into the first j letters of b takes j additions.
	let row = [...Array(b.length + 1).keys()];
	for (let i = 1; i <= a.length; i++) {
		const next = [i];
		for (let j = 1; j <= b.length; j++) {
			next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		row = next;
	}
	return row[b.length] as number;
}

function suggest(name: string, allowPerQuery: boolean): string {
	// TanStack's defaultOptions nest query options under `queries`; Qora's take them directly.
	if (name === 'queries' && !allowPerQuery) return '; put query options straight in defaultOptions';
	// TanStack's queryKey/queryFn: Qora's key and fetcher sit beside options, not in them.
	if (Object.hasOwn(renamed, name) && !Object.hasOwn(checks, renamed[name] as string)) return `; it is "${renamed[name]}" beside options in Qora`;
	// Both list the shared options in the same order, which breaks ties between equally near names.
	const candidates = Object.keys(allowPerQuery ? checks : builtinDefaults);
	const near = nearestName(name, candidates);
	return near ? `; did you mean "${near}"?` : '';
}

/**
 * The known name a misspelt `name` most likely meant: Qora's name for TanStack's,
 * one it abbreviates ("stale", "gc"), else the closest one if a quarter of the
 * letters at most differ. Case never counts.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
	const lower = name.toLowerCase();
	let near = Object.hasOwn(renamed, name) && candidates.includes(renamed[name] as string) ? renamed[name] : undefined;
	if (near === undefined && lower.length >= 2) near = candidates.find((known) => known.toLowerCase().startsWith(lower));
	if (near === undefined) {
		let best = Math.floor(name.length / 4) + 1;
		for (const known of candidates) {
			const d = distance(lower, known.toLowerCase());
			if (d < best) {
				best = d;
				near = known;
			}
		}
	}
	return near;
}

/** @internal Refuses a promise as `initialData` (`initialData: fetchSeed()`): checked when the query is given, and on each read of a function's. */
export function refuseSeed(data: unknown, where: string): void {
	if (isRefusedPromise(data)) throw new TypeError(`${where}: initialData is a promise: pass the data itself, or let the fetcher load it`);
}

/** Data an `initialData` option produced, and when it counts as fetched. */
export type InitialData = { readonly data: unknown; readonly at: number };

/**
 * Reads a query's `initialData`, dated by `initialDataUpdatedAt` (calling their function forms, the
 * date's only for a seed) or else `clock`; `undefined` when it gives none. `where` names the call in
 * messages. A time ahead of the clock (a server's, running fast) counts as now, as hydrate counts it.
 * @throws what a function throws; a TypeError for a promise (stored, it would show as fresh data, and
 * the fetcher would never run), or for a date function's result that is no timestamp.
 */
export function readInitialData(options: Pick<QoraOptions<unknown>, 'initialData' | 'initialDataUpdatedAt'>, clock: Clock, where: string): InitialData | undefined {
	const { initialData } = options;
	const data = typeof initialData === 'function' ? (initialData as () => unknown)() : initialData;
	refuseSeed(data, where);
	if (data === undefined) return undefined;
	let at = options.initialDataUpdatedAt;
	if (typeof at === 'function' && (at = at()) !== undefined && !isFiniteTime(at)) {
		throw new TypeError(`${where}: initialDataUpdatedAt() returned ${isRefusedPromise(at) ? 'a promise' : textOf(at, typeof at > 'o')}, not a timestamp in ms >= 0`);
	}
	const now = clock.now();
	return { data, at: Math.min(at ?? now, now) };
}

/** Merges per-query options over resolved defaults, skipping `undefined` values. Assumes both are validated. */
export function resolveOptions<T>(defaults: ResolvedOptions, options: QoraOptions<T> | undefined): ResolvedOptions<T> {
	if (options === undefined) return defaults as ResolvedOptions<T>;
	const out = { ...defaults } as ResolvedOptions<T> & Record<string, unknown>;
	for (const name in options) {
		// Own properties only, as validateOptions checked them.
		if (!Object.hasOwn(options, name)) continue;
		const value = (options as Record<string, unknown>)[name];
		if (value !== undefined) out[name] = value;
	}
	return out;
}

/** Whether another attempt is allowed after `failureCount` failures ending in `error`. */
export function shouldRetry(retry: RetryOption, failureCount: number, error: Error): boolean {
	if (typeof retry === 'number') return failureCount <= retry;
	if (typeof retry === 'boolean') return retry;
	const again: unknown = retry(failureCount, error);
	// A promise is truthy whatever it resolves to: an async policy would retry for ever.
	if (isRefusedPromise(again)) throw new TypeError('"retry" returned a promise, not a boolean');
	return again as boolean;
}

/** The delay before the retry that follows failure number `failureCount`. */
export function retryDelayFor(retryDelay: RetryDelayOption, failureCount: number, error: Error): number {
	const ms = typeof retryDelay === 'number' ? retryDelay : retryDelay(failureCount - 1, error);
	// An async policy's promise is NaN as a delay: it would retry at once.
	if (isRefusedPromise(ms)) throw new TypeError('"retryDelay" returned a promise, not a number');
	return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/**
 * Rejects a field not in `known`, which would otherwise be silently ignored. The
 * likeliest slip, a query option at this level (TanStack's flat style), is told
 * where it belongs (`home`, when there is one); anything else gets the nearest known name.
 */
export function checkFields(value: object, known: readonly string[], where: string, home: string, perQueryHome: boolean, noun = 'field'): void {
	// for-in, not Object.keys: no array per call (every watchQuery checks its config). A known
	// name first: Object.hasOwn in a for-in loop is not optimized, so it runs only for the rest.
	for (const name in value) {
		if (known.includes(name) || !Object.hasOwn(value, name)) continue;
		const option = home ? optionNameFor(name, perQueryHome) : undefined;
		const near = nearestName(name, known);
		const hint = option ? `; query options go in ${home}: { ${option} }` : near ? `; did you mean "${near}"?` : '';
		throw new TypeError(`${where}: unknown ${noun} "${name}"${hint}`);
	}
}
