/** Shared test utilities for the core tests: fake time, controllable fetchers and platform sources. */
import { vi } from 'vitest';
import type {
	FetchContext,
	FocusSource,
	KeyParts,
	OnlineSource,
	QoraReadable,
	QoraState
} from '../../src/lib/index.js';

/** Every test starts at this instant (ms since epoch), so timestamps read plainly. */
export const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

/**
 * For property tests with thousands of runs: about a second on an idle machine, several on a
 * loaded one (a shared CI runner), where vitest's default 5 s failed them. They assert no timing.
 */
export const HEAVY_TEST_TIMEOUT = 30_000;

/** Fake timers and Date, starting at {@link T0}. */
export function useFakeTime(): void {
	vi.useFakeTimers();
	vi.setSystemTime(T0);
}

/** Lets every pending promise callback run (no time passes). */
export async function flush(): Promise<void> {
	await vi.advanceTimersByTimeAsync(0);
}

/** Advances fake time by `ms`, running timers and promise callbacks on the way. */
export async function advance(ms: number): Promise<void> {
	await vi.advanceTimersByTimeAsync(ms);
}

/**
 * A clock whose wall time can jump (an NTP correction, a user setting the time)
 * while its timers and its monotonic time keep real durations, as the platform's do.
 */
export function steppableClock() {
	let offset = 0;
	const clock = {
		now: () => Date.now() + offset,
		monotonic: () => performance.now(),
		setTimeout: (run: () => void, ms: number) => setTimeout(run, ms),
		clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>)
	};
	return { clock, step: (ms: number) => void (offset += ms) };
}

export interface Deferred<T> {
	readonly promise: Promise<T>;
	resolve(value: T): void;
	reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/** One call of a {@link controlledFetcher}: what it received and how to settle it. */
export interface FetchCall<T> extends Deferred<T> {
	readonly key: KeyParts;
	readonly signal: AbortSignal;
}

/** A fetcher whose every call waits until the test settles it through `calls[i]`. */
export function controlledFetcher<T>() {
	const calls: FetchCall<T>[] = [];
	const fetcher = vi.fn((context: FetchContext): Promise<T> => {
		const d = deferred<T>();
		calls.push({ ...d, key: context.key, signal: context.signal });
		return d.promise;
	});
	return {
		fetcher,
		calls,
		/** The call at `index`; fails loudly when there is none. */
		call(index: number): FetchCall<T> {
			const found = calls[index];
			if (!found) throw new Error(`expected fetcher call #${index}, there were ${calls.length}`);
			return found;
		}
	};
}

/** A fetcher that always rejects with `new Error(message)`. */
/** A fetcher that resolves 1, 2, 3… on successive calls, and counts them. */
export function counter() {
	let n = 0;
	return vi.fn(async (_: FetchContext) => ++n);
}

export function failingFetcher(message = 'boom') {
	return vi.fn(async (_context: FetchContext): Promise<never> => {
		throw new Error(message);
	});
}

/** `status/fetchStatus`, the shape the lifecycle tables are written in. */
export function phase(state: QoraState<unknown> | undefined): string {
	return state ? `${state.status}/${state.fetchStatus}` : 'undefined';
}

/** Subscribes to a store and records everything it emits. */
export function record<T>(store: QoraReadable<QoraState<T>>) {
	const states: QoraState<T>[] = [];
	const stop = store.subscribe((state) => {
		states.push(state);
	});
	return {
		states,
		stop,
		get last(): QoraState<T> {
			const state = states[states.length - 1];
			if (!state) throw new Error('the store emitted nothing');
			return state;
		},
		phases(): string[] {
			return states.map(phase);
		}
	};
}

/** A focus source the test triggers by hand. */
export function manualFocus() {
	const listeners = new Set<() => void>();
	const source: FocusSource & { focus(): void; readonly listenerCount: number } = {
		subscribe(onFocus) {
			listeners.add(onFocus);
			return () => listeners.delete(onFocus);
		},
		focus() {
			for (const listener of [...listeners]) listener();
		},
		get listenerCount() {
			return listeners.size;
		}
	};
	return source;
}

/** A focus source that also tells whether the app is in the foreground: `hide()`, and `show()`, which is a focus. */
export function manualVisibility() {
	const focus = manualFocus();
	let visible = true;
	return Object.assign(focus, {
		isFocused: () => visible,
		hide() {
			visible = false;
		},
		show() {
			visible = true;
			focus.focus();
		}
	});
}

/** An online source the test switches by hand; it announces every change. */
export function manualOnline(initial = true) {
	let online = initial;
	const listeners = new Set<(online: boolean) => void>();
	const source: OnlineSource & { set(online: boolean): void; readonly listenerCount: number } = {
		isOnline: () => online,
		subscribe(onChange) {
			listeners.add(onChange);
			return () => listeners.delete(onChange);
		},
		set(next) {
			online = next;
			for (const listener of [...listeners]) listener(next);
		},
		get listenerCount() {
			return listeners.size;
		}
	};
	return source;
}

/**
 * A clock whose timers never fire: it records whether each timer was asked to keep a Node
 * process alive, so a test can check what would hold the process open.
 */
export function keepAliveRecordingClock() {
	const timers: { keepAlive: boolean; cleared: boolean }[] = [];
	const clock = {
		now: () => Date.now(),
		setTimeout: (_run: () => void, _ms: number, keepAlive?: boolean) => timers.push({ keepAlive: keepAlive === true, cleared: false }) - 1,
		clearTimeout: (handle: unknown) => void ((timers[handle as number] as { cleared: boolean }).cleared = true)
	};
	/** The keepAlive flag of each timer still armed. */
	const armed = () => timers.filter((timer) => !timer.cleared).map((timer) => timer.keepAlive);
	return { clock, armed };
}

/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed gives the same random session. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
