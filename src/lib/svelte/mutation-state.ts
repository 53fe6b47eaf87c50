/**
 * The state of a mutation, discriminated on `status`: `data` is typed in the
 * success branch and `error` is an `Error` in the error branch.
 */

/** Where a mutation is: not started, running, or settled. */
export type MutationStatus = 'idle' | 'pending' | 'success' | 'error';

interface MutationStateBase {
	/** Failed attempts of the current or last call (retries follow the `retry` option). */
	readonly failureCount: number;
	/** The error of the last failed attempt, kept while retrying. */
	readonly failureReason: Error | null;
	/** Pending and waiting for the connection: the next attempt goes out when the client is online. */
	readonly isPaused: boolean;
}

/** Not called yet, or `reset()`. */
export interface MutationIdleState extends MutationStateBase {
	readonly status: 'idle';
	readonly isPaused: false;
	readonly data: undefined;
	readonly error: null;
	readonly variables: undefined;
	readonly isIdle: true;
	readonly isPending: false;
	readonly isSuccess: false;
	readonly isError: false;
}

/** From the `mutate` call until `mutationFn` settles. */
export interface MutationPendingState<TVariables> extends MutationStateBase {
	readonly status: 'pending';
	readonly data: undefined;
	readonly error: null;
	readonly variables: TVariables;
	readonly isIdle: false;
	readonly isPending: true;
	readonly isSuccess: false;
	readonly isError: false;
}

export interface MutationSuccessState<TData, TVariables> extends MutationStateBase {
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

export interface MutationErrorState<TVariables> extends MutationStateBase {
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
export type MutationState<TData, TVariables> =
	| MutationIdleState
	| MutationPendingState<TVariables>
	| MutationSuccessState<TData, TVariables>
	| MutationErrorState<TVariables>;

const flags = (status: MutationStatus) => ({
	isIdle: status === 'idle',
	isPending: status === 'pending',
	isSuccess: status === 'success',
	isError: status === 'error'
});

export const idleMutation: MutationIdleState = Object.freeze({
	status: 'idle',
	data: undefined,
	error: null,
	variables: undefined,
	failureCount: 0,
	failureReason: null,
	isPaused: false,
	...flags('idle')
} as MutationIdleState);

export function pendingMutation<TVariables>(
	variables: TVariables,
	failureCount = 0,
	failureReason: Error | null = null,
	isPaused = false
): MutationPendingState<TVariables> {
	return { status: 'pending', data: undefined, error: null, variables, failureCount, failureReason, isPaused, ...flags('pending') } as MutationPendingState<TVariables>;
}

export function successMutation<TData, TVariables>(data: TData, variables: TVariables): MutationSuccessState<TData, TVariables> {
	return { status: 'success', data, error: null, variables, failureCount: 0, failureReason: null, isPaused: false, ...flags('success') } as MutationSuccessState<TData, TVariables>;
}

/**
 * `failureCount` counts the failed attempts: the last one's error is the reason. A call that
 * failed outside an attempt (`onMutate`, or `onSuccess`/`onSettled` after the success, threw)
 * has count 0 and no reason.
 */
export function errorMutation<TVariables>(error: Error, variables: TVariables, failureCount: number, lastFailure: Error = error): MutationErrorState<TVariables> {
	const failureReason = failureCount > 0 ? lastFailure : null;
	return { status: 'error', data: undefined, error, variables, failureCount, failureReason, isPaused: false, ...flags('error') } as MutationErrorState<TVariables>;
}
