/**
 * Which `fetch` the demo's load functions give their fetchers.
 *
 * On the server, SvelteKit's `fetch` from the load event: it resolves
 * `/api/...` and answers it in-process. In the browser, the plain global
 * `fetch`, on purpose: SvelteKit's would replay responses captured during
 * server rendering, which would hide a repeated request. Qora must avoid
 * refetching after hydration because its cache holds the server's data,
 * not because a replay absorbed the request.
 */
import { browser } from '$app/environment';

export type Fetch = typeof fetch;

/** The global fetch, called unbound-safe. */
export const globalFetch: Fetch = (input, init) => fetch(input, init);

/** `eventFetch` on the server, the global fetch in the browser. */
export function loadFetch(eventFetch: Fetch): Fetch {
	return browser ? globalFetch : eventFetch;
}
