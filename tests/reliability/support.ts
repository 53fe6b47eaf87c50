/**
 * Shared machinery of the reliability suite: fake time, a fake server whose
 * responses the test settles explicitly, controllable focus/online sources,
 * the state invariants, a guard that fails on unhandled rejections, and the
 * fast-check parameters read from the environment (so any failure replays).
 */
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import type { FetchContext, FocusSource, KeyParts, OnlineSource, QoraState } from '../../src/lib/index.js';

// Fake time is the core tests' (T0 is a multiple of every delay used here).
export { T0, advance, flush, useFakeTime } from '../core/helpers.js';

// ---------------------------------------------------------------------------
// fast-check parameters from the environment

/**
 * `QORA_FC_SEED`, `QORA_FC_PATH` and `QORA_FC_RUNS` override seed, path and run
 * count, so a failure printed by fast-check (`{ seed: ..., path: "..." }`) replays
 * exactly: `QORA_FC_SEED=123 QORA_FC_PATH="4:1:0" npx vitest run --project reliability`.
 * Runs scale with `QORA_FC_SCALE` (e.g. 10 for a long soak).
 */
export function fcParams(defaultRuns: number): { numRuns: number; seed?: number; path?: string; endOnFailure?: boolean } {
	const env = process.env;
	const scale = env.QORA_FC_SCALE ? Number(env.QORA_FC_SCALE) : 1;
	const params: { numRuns: number; seed?: number; path?: string; endOnFailure?: boolean } = {
		numRuns: env.QORA_FC_RUNS ? Number(env.QORA_FC_RUNS) : Math.max(1, Math.round(defaultRuns * scale))
	};
	if (env.QORA_FC_SEED) params.seed = Number(env.QORA_FC_SEED);
	if (env.QORA_FC_PATH) params.path = env.QORA_FC_PATH;
	if (params.path) params.endOnFailure = true;
	return params;
}

// ---------------------------------------------------------------------------
// unhandled rejections fail the suite

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => {
	unhandled.push(reason);
};

/**
 * Call at the top of a test file: records every unhandled rejection and fails
 * the test during which it surfaced (vitest reports them too, as run errors).
 */
export function failOnUnhandledRejections(): void {
	beforeAll(() => {
		process.on('unhandledRejection', onUnhandled);
	});
	afterEach(async () => {
		// Node reports unhandled rejections after the microtask queue drains, on a native turn.
		vi.useRealTimers();
		await new Promise((resolve) => setImmediate(resolve));
		await new Promise((resolve) => setImmediate(resolve));
		const seen = unhandled.splice(0);
		expect(seen, 'unhandled promise rejections').toEqual([]);
	});
	afterAll(() => {
		process.off('unhandledRejection', onUnhandled);
	});
}

// ---------------------------------------------------------------------------
// platform sources the test drives

export class FakeOnline implements OnlineSource {
	#online: boolean;
	readonly #listeners = new Set<(online: boolean) => void>();
	constructor(online = true) {
		this.#online = online;
	}
	isOnline(): boolean {
		return this.#online;
	}
	subscribe(onChange: (online: boolean) => void): () => void {
		this.#listeners.add(onChange);
		return () => this.#listeners.delete(onChange);
	}
	set(online: boolean): void {
		this.#online = online;
		for (const listener of [...this.#listeners]) listener(online);
	}
	get listenerCount(): number {
		return this.#listeners.size;
	}
}

export class FakeFocus implements FocusSource {
	readonly #listeners = new Set<() => void>();
	subscribe(onFocus: () => void): () => void {
		this.#listeners.add(onFocus);
		return () => this.#listeners.delete(onFocus);
	}
	focus(): void {
		for (const listener of [...this.#listeners]) listener();
	}
	get listenerCount(): number {
		return this.#listeners.size;
	}
}

// ---------------------------------------------------------------------------
// a server whose every request waits for the test

export interface Request<T = unknown> {
	/** `key#n`: the n-th fetcher call (from 1) for that key. */
	readonly id: string;
	readonly key: KeyParts;
	readonly keyName: string;
	readonly seq: number;
	readonly signal: AbortSignal;
	settled: boolean;
	resolve(value: T): void;
	reject(reason: unknown): void;
}

/**
 * A fake backend. Each fetcher call becomes a pending {@link Request} that the
 * test resolves or rejects (now, or after a fake-timer delay). A call can be
 * armed to throw synchronously or return a value synchronously instead.
 */
export class FakeServer {
	readonly requests: Request[] = [];
	readonly calls = new Map<string, number>();
	readonly #armed = new Map<string, { throws: true; value: unknown } | { throws: false; value: unknown }>();

	/** A fetcher for `keyName`; its calls are counted and recorded under that name. */
	fetcher<T>(keyName: string): (context: FetchContext) => Promise<T> {
		return (context: FetchContext) => {
			const seq = (this.calls.get(keyName) ?? 0) + 1;
			this.calls.set(keyName, seq);
			// Read both, as a real fetcher would; the signal must not be aborted yet.
			const { key, signal } = context;
			if (signal.aborted) throw new Error(`fetcher ${keyName}#${seq} started with an aborted signal`);
			const armed = this.#armed.get(keyName);
			if (armed) {
				this.#armed.delete(keyName);
				if (armed.throws) throw armed.value;
				return armed.value as Promise<T>;
			}
			let resolve!: (value: T) => void;
			let reject!: (reason: unknown) => void;
			const promise = new Promise<T>((res, rej) => {
				resolve = res;
				reject = rej;
			});
			const request: Request = {
				id: `${keyName}#${seq}`,
				key,
				keyName,
				seq,
				signal,
				settled: false,
				resolve: (value) => {
					if (request.settled) return;
					request.settled = true;
					resolve(value as T);
				},
				reject: (reason) => {
					if (request.settled) return;
					request.settled = true;
					reject(reason);
				}
			};
			this.requests.push(request);
			return promise;
		};
	}

	/** The next call for `keyName` throws `value` synchronously. */
	armThrow(keyName: string, value: unknown): void {
		this.#armed.set(keyName, { throws: true, value });
	}

	/** The next call for `keyName` returns `value` synchronously (not a promise). */
	armValue(keyName: string, value: unknown): void {
		this.#armed.set(keyName, { throws: false, value });
	}

	pending(): Request[] {
		return this.requests.filter((r) => !r.settled);
	}

	byId(id: string): Request {
		const found = this.requests.find((r) => r.id === id);
		if (!found) throw new Error(`no request ${id}; made: ${this.requests.map((r) => r.id).join(', ')}`);
		return found;
	}

	last(keyName: string): Request {
		const found = this.requests.filter((r) => r.keyName === keyName).at(-1);
		if (!found) throw new Error(`no request for ${keyName}`);
		return found;
	}

	count(keyName: string): number {
		return this.calls.get(keyName) ?? 0;
	}
}

// ---------------------------------------------------------------------------
// invariants every state must satisfy, whatever happened before

/** Throws (with the offending state) when a snapshot's fields disagree with each other. */
export function assertConsistent(state: QoraState<unknown> | undefined, where = 'state'): void {
	if (state === undefined) return;
	const fail = (why: string): never => {
		throw new Error(`${where} is inconsistent: ${why}\n${describeState(state)}`);
	};
	const { status, fetchStatus, data, error } = state;
	if (status !== 'pending' && status !== 'success' && status !== 'error') fail(`unknown status ${String(status)}`);
	if (fetchStatus !== 'fetching' && fetchStatus !== 'paused' && fetchStatus !== 'idle') fail(`unknown fetchStatus ${String(fetchStatus)}`);
	if (state.isPending !== (status === 'pending')) fail('isPending disagrees with status');
	if (state.isSuccess !== (status === 'success')) fail('isSuccess disagrees with status');
	if (state.isError !== (status === 'error')) fail('isError disagrees with status');
	if (state.isFetching !== (fetchStatus === 'fetching')) fail('isFetching disagrees with fetchStatus');
	if (state.isPaused !== (fetchStatus === 'paused')) fail('isPaused disagrees with fetchStatus');
	if (state.isLoading !== (status === 'pending' && fetchStatus === 'fetching')) fail('isLoading is not pending && fetching');
	if (state.isRefetching !== (fetchStatus === 'fetching' && state.data !== undefined)) fail('isRefetching is not fetching && data shown');
	if (state.isLoadingError !== (status === 'error' && data === undefined)) fail('isLoadingError is not error && no data');
	if (state.isRefetchError !== (status === 'error' && data !== undefined)) fail('isRefetchError is not error && data');
	if (status === 'pending' && (data !== undefined || error !== null)) fail('pending with data or error');
	if (status === 'success' && (data === undefined || error !== null)) fail('success without data, or with an error');
	if (status === 'error' && !(error instanceof Error)) fail('error status without an Error instance');
	if (state.failureReason !== null && !(state.failureReason instanceof Error)) fail('failureReason is not an Error');
	if (!Number.isInteger(state.failureCount) || state.failureCount < 0) fail('failureCount is not a whole number >= 0');
	if (!Number.isFinite(state.dataUpdatedAt) || state.dataUpdatedAt < 0) fail('dataUpdatedAt is not a timestamp');
	if (!Number.isFinite(state.errorUpdatedAt) || state.errorUpdatedAt < 0) fail('errorUpdatedAt is not a timestamp');
	if (data !== undefined && state.dataUpdatedAt === 0) fail('data without dataUpdatedAt');
	if (status === 'error' && state.errorUpdatedAt === 0) fail('error without errorUpdatedAt');
	if ((data === undefined || state.isInvalidated) && !state.isStale) fail('no data or invalidated, yet not stale');
	if (state.isPlaceholderData !== false) fail('core states are never placeholders');
}

export function describeState(state: QoraState<unknown> | undefined): string {
	if (state === undefined) return 'undefined (no entry)';
	const show = (v: unknown) => (v instanceof Error ? `${v.name}(${v.message})` : JSON.stringify(v));
	return `{ status: ${state.status}, fetchStatus: ${state.fetchStatus}, data: ${show(state.data)}, error: ${show(state.error)}, dataUpdatedAt: ${state.dataUpdatedAt}, errorUpdatedAt: ${state.errorUpdatedAt}, failureCount: ${state.failureCount}, failureReason: ${show(state.failureReason)}, isStale: ${state.isStale}, isInvalidated: ${state.isInvalidated} }`;
}

/** Records the settlement of a promise without ever leaving it unhandled. */
export interface Outcome<T> {
	readonly promise: Promise<T>;
	state: 'pending' | 'resolved' | 'rejected';
	value?: T;
	reason?: unknown;
}

export function track<T>(promise: Promise<T>): Outcome<T> {
	const outcome: Outcome<T> = { promise, state: 'pending' };
	promise.then(
		(value) => {
			outcome.state = 'resolved';
			outcome.value = value;
		},
		(reason: unknown) => {
			outcome.state = 'rejected';
			outcome.reason = reason;
		}
	);
	return outcome;
}
