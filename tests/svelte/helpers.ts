/** Small test helpers shared by the Svelte tests. */
import { cleanup } from '@testing-library/svelte';
import { afterEach, beforeEach, vi } from 'vitest';
import { dehydrate, QoraClient, type DehydratedState } from '../../src/lib/index.js';

/** A promise with its resolve/reject handed out, to settle a fetch when the test says so. */
export function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/** Runs pending promise callbacks and due fake timers, then Svelte's DOM updates. */
export async function flush(ms = 0): Promise<void> {
	await vi.advanceTimersByTimeAsync(ms);
}

/** Makes `document.visibilityState` read `state` until the returned undo is called. */
export function setVisibility(state: DocumentVisibilityState): () => void {
	Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
	return () => {
		delete (document as { visibilityState?: unknown }).visibilityState;
	};
}

/**
 * Makes `navigator.onLine` read `online` (jsdom always says true) and fires the
 * matching window event, as a browser does. Returns the undo.
 */
export function goOnline(online: boolean): () => void {
	Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
	window.dispatchEvent(new Event(online ? 'online' : 'offline'));
	return () => {
		delete (navigator as { onLine?: unknown }).onLine;
	};
}

/** Fake timers and a fresh client for every test of the file; `take` receives it, and it is disposed after the test. */
export function freshClientPerTest(take: (client: QoraClient) => void): void {
	let client: QoraClient;
	beforeEach(() => {
		vi.useFakeTimers();
		client = new QoraClient();
		take(client);
	});
	afterEach(() => {
		client.dispose();
		vi.useRealTimers();
	});
}

/** A store that calls its subscribers directly, as a store-contract implementation other than svelte/store may. */
export function plainStore<T>(value: T) {
	const subscribers = new Set<(value: T) => void>();
	return {
		subscribe(run: (value: T) => void) {
			subscribers.add(run);
			run(value);
			return () => void subscribers.delete(run);
		},
		set(next: T) {
			value = next;
			for (const run of [...subscribers]) run(next);
		}
	};
}

/** What a server load's `prefetchOnServer` gives: the payload of a server cache holding `entries` ([key, data] pairs). */
export function serverPayload(...entries: [key: string[] | (string | number)[], data: unknown][]): DehydratedState {
	const server = new QoraClient();
	for (const [key, data] of entries) server.setQueryData(key, data);
	const payload = dehydrate(server);
	server.dispose();
	return payload;
}

/** A small seeded generator (an LCG) for random sessions: the same seed gives the same session. */
export function rng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

/**
 * Runs one seeded random session: a failure prints the session's log first; in any case the render,
 * the client, a faked `navigator.onLine` and fake timers are cleaned up.
 */
export async function randomSession(client: QoraClient, log: string[], session: () => Promise<void>): Promise<void> {
	try {
		await session();
	} catch (error) {
		console.log(log.join('\n'));
		throw error;
	} finally {
		cleanup();
		client.dispose();
		delete (navigator as { onLine?: unknown }).onLine;
		vi.useRealTimers();
	}
}
