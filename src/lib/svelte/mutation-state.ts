/**
 * The state of a mutation, discriminated on `status`: `data` is typed in the
 * success branch and `error` is an `Error` in the error branch.
 */

/** Where a mutation is: not started, running, or settled. */
export type MutationStatus = 'idle' | 'pending' | 'success' | 'error';

interface MutationStateBase {
	/**
	 * Failed attempts of the current call, or of the last one if it failed (retries follow the
	 * `retry` option); back to 0 when a call starts and on success.
	 */
	readonly failureCount: number;
	/** The error of the last failed attempt, kept while retrying; null on success. */
	readonly failureReason: Error | null;
	/** Pending and waiting for the connection: the next attempt goes out when the client is online. */
	readonly isPaused: boolean;
	/** When the current or last call was made (`mutate`/`mutateAsync`), in ms on the client's clock; 0 when idle. */
	readonly submittedAt: number;
}

/** Not called yet, or `reset()`. */
export interface MutationIdleState extends MutationStateBase {
	readonly status: 'idle';
	readonly isPaused: false;
	readonly submittedAt: 0;
	readonly data: undefined;
	readonly error: null;
	readonly variables: undefined;
	readonly isIdle: true;
	readonly isPending: false;
	readonly isSuccess: false;
	readonly isError: false;
}

/** From the `mutate` call until `mutationFn` settles. */
export interface MutationPendingState<TVariables = void> extends MutationStateBase {
	readonly status: 'pending';
	readonly data: undefined;
	readonly error: null;
	readonly variables: TVariables;
	readonly isIdle: false;
	readonly isPending: true;
	readonly isSuccess: false;
	readonly isError: false;
}

/** `mutationFn` resolved: `data` is its result (the state turns `error` if `onSuccess` or `onSettled` then throws). */
export interface MutationSuccessState<TData, TVariables = void> extends MutationStateBase {
	readonly status: 'success';
	readonly isPaused: false;
	readonly data: TData;
	readonly error: null;
	readonly variables: TVariables;
	readonly isIdle: false;
	readonly isPending: false;
	readonly isSuccess: true;
	readonly isError: false;
}

/** The call failed: `mutationFn` (after its retries), `onMutate`, `onSuccess` or `onSettled` threw; `error` says why. */
export interface MutationErrorState<TVariables = void> extends MutationStateBase {
	readonly status: 'error';
	readonly isPaused: false;
	readonly data: undefined;
	readonly error: Error;
	readonly variables: TVariables;
	readonly isIdle: false;
	readonly isPending: false;
	readonly isSuccess: false;
	readonly isError: true;
}

/** An immutable snapshot of a mutation; every change is a new object. */
export type MutationState<TData, TVariables = void> =
	| MutationIdleState
	| MutationPendingState<TVariables>
	| MutationSuccessState<TData, TVariables>
	| MutationErrorState<TVariables>;

/** A state of `status`: the fields given, the others as when idle, and the flags derived from `status`. */
export function mutationState<S extends MutationState<unknown, unknown>>(
	status: S['status'],
	fields: Partial<Pick<S, 'data' | 'error' | 'variables' | 'failureCount' | 'failureReason' | 'isPaused' | 'submittedAt'>>
): S {
	return {
		status,
		data: undefined,
		error: null,
		variables: undefined,
		failureCount: 0,
		failureReason: null,
		isPaused: false,
		submittedAt: 0,
		...fields,
		isIdle: status === 'idle',
		isPending: status === 'pending',
		isSuccess: status === 'success',
		isError: status === 'error'
	} as S;
}

export const idleMutation: MutationIdleState = Object.freeze(mutationState<MutationIdleState>('idle', {}));

/**
 * `failureCount` counts the failed attempts: the last one's error is the reason. A call that
 * failed outside an attempt (`onMutate`, or `onSuccess`/`onSettled` after the success, threw)
 * has count 0 and no reason. `lastFailure`: the last attempt's error, when the call ended on
 * another (a dispose stopped it); else the reason is `error`.
 */
export function errorMutation<TVariables>(
	error: Error,
	variables: TVariables,
	submittedAt: number,
	failureCount: number,
	lastFailure?: Error | null
): MutationErrorState<TVariables> {
	return mutationState('error', { error, variables, submittedAt, failureCount, failureReason: failureCount > 0 ? (lastFailure ?? error) : null });
}
