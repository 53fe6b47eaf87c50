/**
 * Applying payloads without breaking the page. Load functions and the provider
 * may see the same payload object several times (layout reruns, navigations
 * that keep a page's data); `hydrate` itself applies each object to a client
 * once, so replays cannot bring back entries the app removed since.
 */
import { browser } from '$app/environment';
import { isThenable } from '../core/errors.js';
import { hydrateExcept } from '../core/hydration.js';
import { hashKey } from '../core/key.js';
import type { DehydratedState, KeyParts, QoraClient } from '../index.js';
import { readPayload } from './payload.js';

const documentRead = new WeakSet<QoraClient>();
/** Malformed payloads already reported: the provider sees the same page data again on every navigation. */
const reported = new WeakSet<object>();
/** Streamed payloads (promises) each client already waits for, so a repeated one is neither hydrated nor reported twice. */
const awaiting = new WeakMap<QoraClient, WeakSet<object>>();
/**
 * A stream that is cut (a dropped connection) leaves its promise pending for good: once
 * SvelteKit lets go of it, nothing can apply it, so its removal tracking goes too, or it
 * would keep the key of every later removal for the rest of the session.
 */
const unsettledStreams = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<() => void>((stop) => stop()) : null;

function report(where: string, error: unknown): void {
	// The app still works without the server's cache (queries fetch instead), so
	// a bad payload is reported rather than breaking the page.
	console.error(`[qora/sveltekit] ${where}: the payload was not applied, queries will fetch instead.`, error);
}

/**
 * A payload a server load streamed (returned without awaiting it). On the
 * server it is left alone: the render cannot wait for it, and SvelteKit sends
 * its value (or its error) on to the browser; only the hold on fetches (below)
 * is taken there too, so the render shows the page's queries as the browser's
 * first render will. The browser hydrates it when it
 * arrives; late is safe, as `hydrate` keeps newer data and lets fetches started
 * since land. Queries that mount meanwhile wait to fetch until it has applied or
 * the current task is over, whichever comes first: a payload that arrived before
 * the page started applies without the page fetching the same data again.
 */
function hydrateWhenStreamed(client: QoraClient, streamed: PromiseLike<unknown>, where: string): void {
	// The browser's first render holds its queries' fetches (below). Held on the server too, for
	// good (the request's client never fetches for them), its render shows them as that render will.
	if (!browser) {
		client._holdFetches();
		return;
	}
	let seen = awaiting.get(client);
	if (seen?.has(streamed)) return;
	if (!seen) awaiting.set(client, (seen = new WeakSet()));
	seen.add(streamed);
	// The payload applies a microtask after the page subscribed at the earliest: hold the page's
	// fetches until then, or until the next task if it has not arrived.
	const release = client._holdFetches();
	setTimeout(release, 0);
	// The server had the payload's data before anything the app removes while it is on its way
	// (a deleted post; a logout's clear): that data must not come back when it lands.
	const clears = client._clears;
	// Once per key: a stream that never settles (a cut connection) must not keep a copy per remove call.
	// Nor every key for good: the page's data (a layout's) can keep a cut stream for the session. Past a
	// thousand keys it stops noting them and, should it still land, applies nothing, as after a clear.
	let removed: Map<string, KeyParts> | null = new Map();
	const stopRemovals = client._onRemove((parts) => {
		if (removed!.set(hashKey(parts), parts).size <= 1e3) return;
		removed = null;
		stopRemovals();
	});
	// The native promise, not the object the page data holds: a thenable wrapper may be garbage
	// while what it adopted can still settle this promise.
	const arriving = Promise.resolve(streamed);
	const token = {};
	unsettledStreams?.register(arriving, stopRemovals, token);
	// Both outcomes handled, so a failed stream is reported, never an unhandled rejection.
	void arriving
		.then(
			(payload) => {
				// Nothing would read a disposed client's cache. After a clear (a logout) nothing of it
				// applies, yet it counts as applied: hydrated again later, it still brings nothing back.
				if (!client.isDisposed) hydrateOnce(client, payload, where, client._clears === clears && removed ? [...removed.values()] : 'all');
			},
			(error: unknown) => report(where, error)
		)
		.finally(() => {
			unsettledStreams?.unregister(token);
			stopRemovals();
			release();
		});
}

/**
 * Hydrates `payload` (a {@link dehydrate} result) into `client`; `hydrate`
 * skips an object it applied before. `undefined`/`null` are ignored.
 * A promise of a payload (a streamed `qoraState`) is hydrated when it resolves,
 * in the browser only (see {@link hydrateWhenStreamed}).
 * A malformed payload or a rejected promise is reported with `console.error`
 * and leaves the cache unchanged.
 */
export function hydrateOnce(client: QoraClient, payload: unknown, where = 'hydrate', removed: readonly KeyParts[] | 'all' = []): boolean {
	if (payload === undefined || payload === null) return false;
	if (typeof payload !== 'object') {
		report(where, new TypeError(`expected a dehydrated state object, got ${typeof payload}`));
		return false;
	}
	if (isThenable(payload)) {
		hydrateWhenStreamed(client, payload, where);
		return false;
	}
	try {
		hydrateExcept(client, payload, removed);
		return true;
	} catch (error) {
		if (!reported.has(payload)) report(where, error);
		reported.add(payload);
		return false;
	}
}

/**
 * Hydrates `client` from the payload element the server rendered into the
 * page, once per client (later calls do nothing). Returns how old the page is: when the
 * server rendered it, or else (an element the app wrote itself) the newest `dataUpdatedAt`
 * the applied payload held; 0 when neither tells.
 */
export function hydrateFromDocument(client: QoraClient, doc?: Pick<Document, 'querySelector'>): number {
	if (documentRead.has(client)) return 0;
	documentRead.add(client);
	const element = readPayload(doc);
	if (element === null) return 0;
	let payload: unknown;
	try {
		payload = JSON.parse(element.text);
	} catch (error) {
		report('the server payload in the page', error);
		return element.renderedAt;
	}
	// The render time dates the page whole; only an element without one is dated by its data.
	if (!hydrateOnce(client, payload, 'the server payload in the page') || element.renderedAt) return element.renderedAt;
	let newest = 0;
	for (const entry of (payload as DehydratedState).entries) if (entry.data !== undefined) newest = Math.max(newest, entry.dataUpdatedAt);
	return newest;
}
