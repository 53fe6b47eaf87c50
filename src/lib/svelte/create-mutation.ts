/** `createMutation`: a store for a server write, with optimistic-update hooks. */
import { writable, type Readable } from 'svelte/store';
import { guardedSubscribe } from './guarded-subscribe.js';
import type { QoraClient } from '../core/client.js';
import { disposedError, kindOf, noop, permanentError, thrownValueOf, toError } from '../core/errors.js';
import { checkFields, validateOptions, type RetryDelayOption, type RetryOption } from '../core/options.js';
import { startRetryer, type Retryer } from '../core/retry.js';
import { getQoraClient } from './context.svelte.js';
import {
	errorMutation,
	idleMutation,
	mutationState,
	type MutationPendingState,
	type MutationState,
	type MutationSuccessState
} from './mutation-state.js';
import { sameFields } from './same-fields.js';
import { checkClient } from '../core/is-client.js';
import { normalizeKey, type KeyInput, type KeyParts, type QueryKeyInput } from '../core/key.js';

/** What a mutation does, and what to do around it. Callbacks may be async; each is awaited in turn. */
export interface MutationOptions<TData, TVariables = void, TContext = unknown> {
	/**
	 * Names the kind of write (`['todos', 'add']`), for `client.isMutating(match)` and
	 * `createIsMutating(match)`, which count the mutations whose key a prefix or
	 * predicate selects. It fetches and invalidates nothing. Checked when the mutation is created, so,
	 * as in a query's key, a part that may be `undefined` does not compile (write `id ?? null`).
	 */
	key?: QueryKeyInput | undefined;
	/** Performs the write. Its result is the mutation's `data`. */
	mutationFn: (variables: TVariables) => TData | PromiseLike<TData>;
	/**
	 * Runs first, before `mutationFn`: the place for an optimistic update. What it
	 * returns (e.g. a snapshot from `client.getState`) is the `context` passed to
	 * the other callbacks. If it throws, `mutationFn` is not called and the
	 * mutation fails with that error.
	 */
	onMutate?: ((variables: TVariables) => TContext | PromiseLike<TContext>) | undefined;
	/** After `mutationFn` resolved. If it throws, the mutation fails with that error. */
	onSuccess?: ((data: TData, variables: TVariables, context: TContext) => unknown) | undefined;
	/** After the mutation failed (`mutationFn`, `onMutate` or `onSuccess` threw): the place to roll an optimistic update back. */
	onError?: ((error: Error, variables: TVariables, context: TContext | undefined) => unknown) | undefined;
	/** Last, either way: the place to invalidate what the write changed. */
	onSettled?: ((data: TData | undefined, error: Error | null, variables: TVariables, context: TContext | undefined) => unknown) | undefined;
	/** Retries after a failed `mutationFn`, in the query option's forms. Default 0: no retry. */
	retry?: RetryOption | undefined;
	/** Delay before each retry. Default: the client's `retryDelay`. */
	retryDelay?: RetryDelayOption | undefined;
}

/** The arguments of `mutate`: optional when the variables may be undefined (or `void`). */
export type MutateArgs<TVariables> = undefined extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/** The mutation's state as a store, plus the calls that drive it. */
export interface MutationStore<TData, TVariables = void, TContext = unknown> extends Readable<MutationState<TData, TVariables>> {
	/** Starts the mutation and forgets it: a failure only shows in the state, never as a rejection. */
	mutate(...args: MutateArgs<TVariables>): void;
	/** Starts the mutation; resolves with its data or rejects with its error. */
	mutateAsync(...args: MutateArgs<TVariables>): Promise<TData>;
	/** Back to idle. A call still running no longer changes the state (its callbacks still run). */
	reset(): void;
}

const callbackNames = ['onMutate', 'onSuccess', 'onError', 'onSettled'] as const;
const optionNames = ['key', 'mutationFn', ...callbackNames, 'retry', 'retryDelay'];

/** Checks what the app passed, which may be anything (typed as what it must be: checked to be an object first). */
function validate(given: Record<string, unknown>): void {
	if (typeof given !== 'object' || given === null) {
		throw new TypeError(`createMutation: expected { mutationFn, ... }, got ${kindOf(given)}`);
	}
	checkFields(given, optionNames, 'createMutation', '', false, 'option');
	// mutationFn is required; the callbacks are optional.
	for (const name of ['mutationFn', ...callbackNames]) {
		if ((name === 'mutationFn' || given[name] !== undefined) && typeof given[name] !== 'function') {
			throw new TypeError(`createMutation: "${name}" must be a function, got ${typeof given[name]}`);
		}
	}
	validateOptions({ retry: given['retry'], retryDelay: given['retryDelay'] }, 'createMutation');
}

/** The mutation's key, normalized (or null without one); an invalid one throws, naming the bad part. */
function mutationKey(key: KeyInput | undefined): KeyParts | null {
	try {
		return key === undefined ? null : normalizeKey(key);
	} catch (error) {
		throw new TypeError(`createMutation: "key" ${(error as Error).message}`);
	}
}

/**
 * A store of one mutation's state (`idle` → `pending` → `success` | `error`)
 * with `mutate`, `mutateAsync` and `reset`.
 *
 * Order of a call: the state turns `pending` and `onMutate(variables)` runs at
 * once; then `mutationFn` (retried per `retry`); the state settles when
 * `mutationFn` does; then `onSuccess` or `onError`, then `onSettled`. Offline,
 * `mutationFn` and each retry wait for the connection with `isPaused: true`
 * (shown from the call on, while `onMutate` runs); back online, paused writes
 * go out before paused refetches, which wait until the writes and their
 * `onSettled` have settled. Disposing the client fails a waiting call with a
 * `CancelledError`. When a call starts while another runs, the newest call owns
 * the state: an older call settling later does not overwrite it.
 *
 * Optimistic update: snapshot with `client.getState(key)` and write with
 * `setQueryData` in `onMutate` (return the snapshot), `restoreQueryData(key,
 * context)` in `onError`, `invalidate(key)` in `onSettled`.
 *
 * @param client defaults to {@link getQoraClient}, so call this while a
 *   component initialises or pass the client. It supplies the default
 *   `retryDelay` and the clock that times retries.
 */
export function createMutation<TData, TVariables = void, TContext = unknown>(
	options: MutationOptions<TData, TVariables, TContext>,
	client: QoraClient = getQoraClient()
): MutationStore<TData, TVariables, TContext> {
	checkClient(client, 'createMutation(options, client)');
	validate(options as unknown as Record<string, unknown>);
	const key = mutationKey(options.key);
	const retry = options.retry ?? 0;
	const retryDelay = options.retryDelay ?? client.defaultOptions.retryDelay;
	// The client's clock and its one timer, so a clock injected into the client (tests, other runtimes)
	// times retries too, and twenty mutations backing off cost no timer of their own.
	const clock = client._clock;
	const store = writable<MutationState<TData, TVariables>>(idleMutation);
	let shown: MutationState<TData, TVariables> = idleMutation;
	/** Id of the call that owns the state. */
	let latest = 0;
	// What callbacks throw once the mutation has failed anyway goes where the client reports errors.
	const report = (error: unknown) => client._report(error);
	/** Whether an attempt made now would wait: offline, and the client not disposed (a disposed one fails it at once). */
	const waitsForConnection = () => !client.isDisposed && !client.isOnline();

	const show = (call: number, state: MutationState<TData, TVariables>) => {
		// svelte/store treats every object as changed; a state rebuilt with the same values is not news.
		if (call !== latest || sameFields(state, shown)) return;
		shown = state;
		store.set(state);
	};

	async function run(call: number, variables: TVariables, endWrite: () => void): Promise<TData> {
		const submittedAt = clock.now();
		let context: TContext | undefined;
		let data: TData | undefined;
		let error: Error | null = null;
		let failureReason: Error | null = null;
		let retryer: Retryer<TData> | null = null;
		let attempting = false;
		/** Settles once the call's callbacks have run (onSettled's promise settled), when an "online" news resumed it (see below). */
		let resumedWrite: Promise<void> | null = null;
		let endResumedWrite = noop;
		/** Control flow `mutationFn` threw (its last failure). Typed by a cast: set in the retryer's callback, which TypeScript's narrowing does not see. */
		let passOn = null as { thrown: unknown } | null;
		/** What a dispose stopped the call with (made then): no attempt's failure, unlike a CancelledError mutationFn rejects with. */
		let stopped: Error | null = null;
		/** The call's pending state: its failures so far, and whether it waits for the connection. */
		const showPending = (isPaused = false) =>
			show(call, mutationState<MutationPendingState<TVariables>>('pending', { variables, submittedAt, failureCount: retryer?.failureCount ?? 0, failureReason, isPaused }));
		// Offline it will wait for the connection: say so from the start, while onMutate runs.
		showPending(waitsForConnection());
		// Offline, an attempt waits for the connection, as fetches do; the client says when to look again.
		// Once it is disposed, a backoff under way is not waited out: no attempt will follow it.
		const resumed = () => (resumedWrite ??= new Promise<void>((resolve) => (endResumedWrite = resolve)));
		const stopResumeListener = client._onResume((writes) => {
			if (retryer === null) {
				// Still in onMutate: whether the call waits for the connection (not once the client is gone).
				// (Not during the first attempt, which runs before the retryer is returned.)
				if (!attempting) showPending(waitsForConnection());
				// Its mutationFn goes out once onMutate is done: the paused fetches wait for it, as for a resumed write.
				if (client.isOnline() && !client.isDisposed) writes.push(resumed());
			} else if (client.isDisposed && !attempting) {
				retryer.cancel((stopped ??= disposedError()));
			} else if (!attempting && client.isOnline()) {
				// Paused, or in a retry's backoff (the next attempt is still to come): either way a write still to send.
				retryer.resume();
				// The client's paused fetches wait for this write: asked before it is done, a refetch would bring back what it changes.
				// Until onSettled has settled too: the refetch its invalidate starts is the one they would send.
				if (!retryer.isPaused) writes.push(resumed());
			}
		});
		try {
			context = await options.onMutate?.(variables);
			// Disposed meanwhile (or before): no attempt is made, so none is counted.
			if (client.isDisposed) throw disposedError();
			retryer = startRetryer<TData>({
				attempt: () => {
					// A disposed client's app is gone: no more requests on its behalf.
					if (client.isDisposed) throw permanentError(disposedError());
					// Online now (it may have been offline when the call began).
					showPending();
					attempting = true;
					const done = () => void (attempting = false);
					try {
						return Promise.resolve(options.mutationFn(variables)).finally(done);
					} catch (thrown) {
						done();
						throw thrown;
					}
				},
				retry,
				retryDelay,
				// Control flow (qora/sveltekit's clients: SvelteKit's error() and redirect()) is not retried, as a fetcher's is not.
				isFinal: (failure) => {
					const thrown = thrownValueOf(failure);
					passOn = client._isControlFlow(thrown) ? { thrown } : null;
					return passOn !== null;
				},
				scheduler: client._scheduler,
				report,
				now: () => clock.now(),
				// A disposed client counts as online: the attempt then fails at once, instead of waiting forever.
				isOnline: () => !waitsForConnection(),
				onFailure: (_count, reason) => {
					// The reason even when the call then ends on a dispose: it is still the failed attempt's error.
					failureReason = reason;
					// Disposed while that attempt ran: no retry will go out, so none is waited for.
					if (client.isDisposed) {
						retryer?.cancel((stopped ??= disposedError()));
						return;
					}
					// Offline, the next attempt waits for the connection (the retryer pauses next).
					showPending(waitsForConnection());
				},
				onPause: () => showPending(true),
				onContinue: () => showPending()
			});
			data = await retryer.promise;
		} catch (thrown) {
			error = toError(thrown);
		}
		stopResumeListener();
		// Refetched by an invalidation while its request was out (a push), a key may miss this write: the release refetches it.
		if (resumedWrite) client._writeSent();
		if (error !== null) {
			// The retryer's count is final once its promise settled; no retryer (onMutate threw), no attempt failed.
			// Stopped by a dispose during a retry's wait: the last attempt's error is still the failure's reason.
			show(call, errorMutation(error, variables, submittedAt, retryer?.failureCount ?? 0, error === stopped ? failureReason : null));
		} else {
			show(call, mutationState<MutationSuccessState<TData, TVariables>>('success', { data: data as TData, variables, submittedAt }));
			try {
				await options.onSuccess?.(data as TData, variables, context as TContext);
			} catch (thrown) {
				error = toError(thrown);
				// After the success, which reset the failures: no attempt failed.
				show(call, errorMutation(error, variables, submittedAt, 0));
			}
		}
		// Also after a throwing onSuccess: an optimistic update made in onMutate must still be rolled back.
		if (error !== null) {
			try {
				await options.onError?.(error, variables, context);
			} catch (thrown) {
				report(thrown);
			}
		}
		try {
			let settled: unknown;
			try {
				settled = options.onSettled?.(error === null ? data : undefined, error, variables, context);
			} finally {
				// The write is done once onSettled has run; what it returns (a refetch) is awaited for the caller
				// but not counted: a write settling meanwhile must see isMutating without this one, or nobody refetches.
				endWrite();
			}
			await settled;
		} catch (thrown) {
			if (error !== null) {
				report(thrown);
			} else {
				error = toError(thrown);
				show(call, errorMutation(error, variables, submittedAt, 0));
			}
		}
		// The paused fetches wait for what onSettled returns too: an invalidate after an await (a toast) sends the one refetch.
		endResumedWrite();
		// Control flow reaches the caller as itself, as fetchQuery hands it on; the state holds an Error.
		if (passOn !== null) throw passOn.thrown;
		if (error !== null) throw error;
		return data as TData;
	}

	function mutateAsync(variables?: TVariables): Promise<TData> {
		// Counted by client.isMutating until onSettled has returned (run ends it); the end is idempotent,
		// so the call's own end is only a safety net.
		const endWrite = client._startWrite(key);
		const result = run(++latest, variables as TVariables, endWrite);
		result.then(endWrite, endWrite);
		return result;
	}

	return {
		subscribe: (run, invalidate) => guardedSubscribe(store, run, report, invalidate),
		mutate(variables?: TVariables) {
			mutateAsync(variables).catch(noop);
		},
		mutateAsync,
		reset() {
			show(++latest, idleMutation);
		}
	};
}
