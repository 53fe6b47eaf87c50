/** `loadQoraClient`: the client of the root `+layout.ts` load, per request on the server, per session in the browser. */
import { browser } from '$app/environment';
import type { QoraClient } from '../index.js';
import { browserOnlineSource } from '../svelte/browser.js';
import { hydrateFromDocument } from './hydrate-once.js';
import { adoptCreated, claimRequestClient } from './request-client.js';

/** The browser's one client, kept across layout reruns and navigations. Never set on the server. */
let sessionClient: QoraClient | undefined;

/**
 * The QoraClient for the app, for the root `+layout.ts` load:
 *
 * ```ts
 * export const load = () => ({ qora: loadQoraClient(() => new QoraClient()) });
 * ```
 *
 * - On the server it returns `factory()` on every call: one fresh client per
 *   request, so users never share a cache. `<QoraKitProvider>` disposes it
 *   when the page has rendered. Its entries get no gc timers (they all go with
 *   the request), so a client whose render never came (a load threw
 *   `redirect()`) holds nothing alive and is simply garbage-collected. Its
 *   queries do not retry unless the factory's `defaultOptions` or the query
 *   set `retry`: the browser fetches what failed, with retries.
 * - In the browser it creates the client once, on the first call, and fills it
 *   at once with the data the server rendered into the page, before any
 *   `+page.ts` load runs; so loads and components find the server's data and
 *   do not fetch it again. Every later call (a layout rerun, `invalidateAll()`)
 *   returns that same client: the cache lives for the whole session, and
 *   `factory` is not called again.
 * - On both, SvelteKit's `error()` and `redirect()` thrown in a fetcher are not
 *   retried, and a load awaiting the fetch (`fetchQuery`) throws them on as
 *   themselves: a 404 page or a redirect, not a 500.
 *
 * @throws TypeError when `factory` does not return a QoraClient; Error on the
 *   server when it returns a client it returned before (a shared server client
 *   would leak one user's data to another).
 */
export function loadQoraClient(factory: () => QoraClient): QoraClient {
	if (typeof factory !== 'function') {
		throw new TypeError('loadQoraClient(factory): expected a function that creates a QoraClient');
	}
	if (!browser) return claimRequestClient(factory, 'loadQoraClient(factory)');
	if (sessionClient === undefined) {
		const client = adoptCreated(factory(), 'loadQoraClient(factory)');
		// The first page's loads run before the provider mounts the browser's connectivity: offline, their fetches wait.
		client.mount({ online: browserOnlineSource() });
		const pageAt = hydrateFromDocument(client);
		// The first page's universal loads run again now, and SvelteKit answers their `fetch` from the
		// responses inlined in the page, as old as the page: refetching stale payload data through
		// them would only make old data look new. The page's queries revalidate it when they mount.
		// It answers offline too (a page a service worker cached): then each of their fetches' first attempt goes out,
		// and one the page cannot answer waits for the connection, even with retry off. (After the mount above: the
		// provider's mount ends this.)
		client._deferRevalidation(!document.querySelector('script[data-sveltekit-fetched]') || 2, pageAt);
		sessionClient = client;
	}
	return sessionClient;
}
