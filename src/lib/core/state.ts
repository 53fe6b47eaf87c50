/**
 * The public state of a query: two independent axes.
 * `status` says whether there is data (pending | success | error);
 * `fetchStatus` says whether the fetcher is running (fetching | paused | idle).
 * The union is discriminated on `status`, so a `switch` over it is checked for
 * exhaustiveness, and `data` is typed `T` in the success branch.
 */

/** Do we have data? */
export type QoraStatus = 'pending' | 'success' | 'error';
/** Is the fetcher running? `paused` means it wants to run but the client is offline. */
export type QoraFetchStatus = 'fetching' | 'paused' | 'idle';

interface QoraStateBase {
	/** Whether the fetcher is running (`fetching`), waiting for the connection (`paused`), or not (`idle`). */
	readonly fetchStatus: QoraFetchStatus;
	/** When the data was last written (ms since epoch), 0 when never. */
	readonly dataUpdatedAt: number;
	/** When the last error was recorded (ms since epoch), 0 when never. */
	readonly errorUpdatedAt: number;
	/**
	 * Failed attempts of the current or last fetch; back to 0 when a fetch starts and on success
	 * (a fetch that fails after a write made during it settles on the written data, as a success).
	 */
	readonly failureCount: number;
	/** The error of the last failed attempt, kept while retrying. */
	readonly failureReason: Error | null;
	/** No data, invalidated, the last fetch failed, or older than `staleTime`. */
	readonly isStale: boolean;
	/**
	 * Marked stale by `invalidate` (or arrived invalidated in a payload), until data fetched
	 * after the invalidation lands or new data is written (`setQueryData`).
	 */
	readonly isInvalidated: boolean;
	/** `fetchStatus === 'fetching'` (checking it does not narrow `fetchStatus`: compare `fetchStatus` for that). */
	readonly isFetching: boolean;
	/** `fetchStatus === 'paused'`: a fetch waits for the connection. */
	readonly isPaused: boolean;
}

/** No data yet. `isLoading` while the first fetch runs. */
export interface QoraPendingState extends QoraStateBase {
	readonly status: 'pending';
	readonly data: undefined;
	readonly error: null;
	readonly isPending: true;
	readonly isSuccess: false;
	readonly isError: false;
	readonly isLoading: boolean;
	readonly isRefetching: false;
	readonly isLoadingError: false;
	readonly isRefetchError: false;
	readonly isPlaceholderData: false;
}

/** Data is here. `isRefetching` while a background refetch runs. */
export interface QoraSuccessState<T> extends QoraStateBase {
	readonly status: 'success';
	readonly data: T;
	readonly error: null;
	readonly isPending: false;
	readonly isSuccess: true;
	readonly isError: false;
	readonly isLoading: false;
	readonly isRefetching: boolean;
	readonly isLoadingError: false;
	readonly isRefetchError: false;
	/** True when `data` is a placeholder (e.g. the previous key's data kept by `keepPrevious`). */
	readonly isPlaceholderData: boolean;
}

/**
 * The first load failed: there is no data. Fetched again (focus, a retry button's
 * `invalidate`), it stays here with `isFetching` until that attempt lands.
 */
export interface QoraLoadingErrorState extends QoraStateBase {
	readonly status: 'error';
	readonly data: undefined;
	readonly error: Error;
	readonly isPending: false;
	readonly isSuccess: false;
	readonly isError: true;
	readonly isLoading: false;
	/** No data to show while refetching. */
	readonly isRefetching: false;
	readonly isLoadingError: true;
	readonly isRefetchError: false;
	readonly isPlaceholderData: false;
}

/** A refetch failed: the previous data is kept. */
export interface QoraRefetchErrorState<T> extends QoraStateBase {
	readonly status: 'error';
	readonly data: T;
	readonly error: Error;
	readonly isPending: false;
	readonly isSuccess: false;
	readonly isError: true;
	readonly isLoading: false;
	readonly isRefetching: boolean;
	readonly isLoadingError: false;
	readonly isRefetchError: true;
	readonly isPlaceholderData: false;
}

/** Either kind of error state. */
export type QoraErrorState<T> = QoraLoadingErrorState | QoraRefetchErrorState<T>;

/** An immutable snapshot of a query's state; every change produces a new object. */
export type QoraState<T> = QoraPendingState | QoraSuccessState<T> | QoraErrorState<T>;

/** Whether `value` is one of the three statuses (for validating snapshots and payloads). */
export function isQoraStatus(value: unknown): value is QoraStatus {
	return value === 'pending' || value === 'success' || value === 'error';
}

/**
 * The first field of `snapshot` that no state from `getState` could hold, or
 * null: a restore must not leave an entry its own type says cannot exist.
 */
export function invalidStateField(snapshot: Record<string, unknown>): string | null {
	const { status, data, error, failureReason, failureCount } = snapshot;
	if (!isQoraStatus(status)) return 'status';
	if (status !== 'error' && (status === 'success') !== (data !== undefined)) return 'data';
	if (status === 'error' ? !(error instanceof Error) : error !== null) return 'error';
	if (!Number.isFinite(snapshot.dataUpdatedAt)) return 'dataUpdatedAt';
	if (!Number.isFinite(snapshot.errorUpdatedAt)) return 'errorUpdatedAt';
	if (!Number.isInteger(failureCount) || (failureCount as number) < 0) return 'failureCount';
	if (failureReason !== null && !(failureReason instanceof Error)) return 'failureReason';
	if (typeof snapshot.isInvalidated !== 'boolean') return 'isInvalidated';
	return null;
}

/** The stored fields of an entry; everything else in {@link QoraState} is derived from them. */
export interface EntryState<T = unknown> {
	readonly status: QoraStatus;
	readonly fetchStatus: QoraFetchStatus;
	readonly data: T | undefined;
	readonly error: Error | null;
	readonly dataUpdatedAt: number;
	readonly errorUpdatedAt: number;
	readonly failureCount: number;
	readonly failureReason: Error | null;
	readonly isInvalidated: boolean;
}

/** The state of an entry that has never been fetched or written. */
export const initialEntryState: EntryState<never> = Object.freeze({
	status: 'pending',
	fetchStatus: 'idle',
	data: undefined,
	error: null,
	dataUpdatedAt: 0,
	errorUpdatedAt: 0,
	failureCount: 0,
	failureReason: null,
	isInvalidated: false
});

/**
 * Whether the entry is stale whatever its age: no data, invalidated, or its last
 * fetch failed (so the next mount, focus or reconnect tries again, rather than
 * leaving the error up until `staleTime` runs out).
 */
export function isStaleAtAnyAge(state: EntryState): boolean {
	return state.data === undefined || state.isInvalidated || state.status === 'error';
}

/** Whether the entry is stale at `now` under `staleTime`. */
export function computeIsStale(state: EntryState, staleTime: number, now: number): boolean {
	return isStaleAtAnyAge(state) || now - state.dataUpdatedAt >= staleTime;
}

/** Builds the public snapshot, deriving every flag in one place. Frozen: listeners share it. */
export function toQoraState<T>(state: EntryState<T>, isStale: boolean): QoraState<T> {
	const { status, fetchStatus, data } = state;
	const isFetching = fetchStatus === 'fetching';
	const isPending = status === 'pending';
	return Object.freeze({
		status,
		fetchStatus,
		data,
		error: state.error,
		dataUpdatedAt: state.dataUpdatedAt,
		errorUpdatedAt: state.errorUpdatedAt,
		failureCount: state.failureCount,
		failureReason: state.failureReason,
		isStale,
		isInvalidated: state.isInvalidated,
		isFetching,
		isPaused: fetchStatus === 'paused',
		isPending,
		isSuccess: status === 'success',
		isError: status === 'error',
		isLoading: isPending && isFetching,
		isRefetching: isFetching && data !== undefined,
		isLoadingError: status === 'error' && data === undefined,
		isRefetchError: status === 'error' && data !== undefined,
		isPlaceholderData: false
	}) as QoraState<T>;
}
