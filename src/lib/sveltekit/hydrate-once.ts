/**
 * Applying payloads without breaking the page. Load functions and the provider
 * may see the same payload object several times (layout reruns, navigations
 * that keep a page's data); `hydrate` itself applies each object to a client
 * once, so replays cannot bring back entries the app removed since.
 */
import { hydrate, type QoraClient } from '../index.js';
import { readPayloadText } from './payload.js';

const documentRead = new WeakSet<QoraClient>();
/** Malformed payloads already reported: the provider sees the same page data again on every navigation. */
const reported = new WeakSet<object>();

function report(where: string, error: unknown): void {
	// The app still works without the server's cache (queries fetch instead), so
	// a bad payload is reported rather than breaking the page.
	console.error(`[qora/sveltekit] ${where}: the payload was not applied, queries will fetch instead.`, error);
}

/**
 * Hydrates `payload` (a {@link dehydrate} result) into `client`; `hydrate`
 * skips an object it applied before. `undefined`/`null` are ignored.
 * A malformed payload is reported with `console.error` and leaves the cache unchanged.
 */
export function hydrateOnce(client: QoraClient, payload: unknown, where = 'hydrate'): void {
	if (payload === undefined || payload === null) return;
	if (typeof payload !== 'object') {
		report(where, new TypeError(`expected a dehydrated state object, got ${typeof payload}`));
		return;
	}
	try {
		hydrate(client, payload);
	} catch (error) {
		if (!reported.has(payload)) report(where, error);
		reported.add(payload);
	}
}

/**
 * Hydrates `client` from the payload element the server rendered into the
 * page, once per client (later calls do nothing).
 */
export function hydrateFromDocument(client: QoraClient, doc?: Pick<Document, 'getElementById'>): void {
	if (documentRead.has(client)) return;
	documentRead.add(client);
	const text = readPayloadText(doc);
	if (text === null) return;
	let payload: unknown;
	try {
		payload = JSON.parse(text);
	} catch (error) {
		report('the server payload in the page', error);
		return;
	}
	hydrateOnce(client, payload, 'the server payload in the page');
}
