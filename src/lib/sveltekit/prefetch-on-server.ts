/** `prefetchOnServer`: prefetching in a server load (`+page.server.ts`), shipped as a dehydrated payload. */
import { dehydrate, QoraClient, type DehydratedState } from '../index.js';
import { claimRequestClient } from './request-client.js';
import { kindOf, noop } from '../core/errors.js';
import { waitForFetch } from '../core/client.js';

/**
 * Runs `run` against a short-lived client and returns that client's cache as a
 * payload; the client is disposed whether `run` succeeds or throws. Return the
 * payload from a server load as `qoraState`, and `<QoraKitProvider>` hydrates it
 * into the app's client before the page renders, on the server and in the browser:
 *
 * ```ts
 * export const load = async () => ({
 *   qoraState: await prefetchOnServer((qora) => qora.prefetchQuery(postsQuery))
 * });
 * ```
 *
 * Returned without `await`, the payload streams: the page renders without
 * waiting for it (its queries show pending), and the browser hydrates it when
 * it arrives. A rejection of the returned promise never goes unhandled, since
 * a streamed one that failed before the render would crash Node; awaiting it
 * still throws, and streamed, SvelteKit passes the error to the browser, which
 * reports it.
 *
 * Only successful entries are included (errors can carry server details).
 * Queries do not retry unless the client's `defaultOptions` or the query ask
 * for it: the browser fetches what failed here, with retries.
 * Data may hold whatever SvelteKit can serialise (devalue: `Date`, `Map`,
 * `BigInt`…, and the app's own classes through its `transport` hook); anything
 * else (a class instance such as a `Decimal`, with no transport for it) fails
 * the page as any load data would: return plain data from the fetcher.
 *
 * @param factory creates the client (default `new QoraClient()`), e.g. to set
 *   default options; it must return a new client on every call (it is
 *   disposed here, and one shared by two requests would mix their users'
 *   data), and throws otherwise.
 */
export function prefetchOnServer(
	run: (client: QoraClient) => Promise<unknown> | unknown,
	factory: () => QoraClient = () => new QoraClient()
): Promise<DehydratedState> {
	const payload = prefetchAndDehydrate(run, factory);
	// SvelteKit handles a streamed promise's rejection only once the page
	// renders; one before that (other loads still running) would be unhandled.
	payload.catch(noop);
	return payload;
}

async function prefetchAndDehydrate(
	run: (client: QoraClient) => Promise<unknown> | unknown,
	factory: () => QoraClient
): Promise<DehydratedState> {
	if (typeof run !== 'function') throw new TypeError('prefetchOnServer(run): expected a function (client) => Promise');
	if (typeof factory !== 'function') throw new TypeError(`prefetchOnServer(run, factory): factory must be a function that makes a new QoraClient, got ${kindOf(factory)}`);
	const client = claimRequestClient(factory, 'prefetchOnServer');
	try {
		await run(client);
		// Fetches run started without returning or awaiting them (a block body without `return`) land too: dispose would abort them.
		// Waited for as a prefetch waits (until the first failure or a pause): retries a client default asks for would hold the page.
		await Promise.all(client._entries().map((entry) => entry.inflight && waitForFetch(entry, entry.inflight.promise, 0)));
		// Load data travels with devalue, which keeps Dates, Maps and the like.
		return dehydrate(client, { richData: true });
	} finally {
		client.dispose();
	}
}
