// @vitest-environment node
/**
 * A universal load (`+page.ts`) that starts a prefetch and does not await it: on the server the
 * request's client renders the page while that fetch is still out, and SvelteKit runs the load
 * again in the browser before the first render, so the browser's entry is fetching when the page
 * hydrates. A query of the key with `initialData` reads no seed over a fetch in flight (README:
 * "nor over a fetch in flight"): the browser's first render shows it loading, and the server
 * must render it loading too, not the seed. (A server load's fetches run on prefetchOnServer's
 * own client; the request client's are the universal loads' and the page's, which run again.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dehydrate, QoraClient, type QoraState } from '../../src/lib/index.js';
import { createQuery, createQueryState } from '../../src/lib/svelte/index.js';
import { requestClients } from '../../src/lib/svelte/as-shipped.js';
import { inBrowserOn } from './first-render-page.js';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));

const never = () => new Promise<string>(() => {});
const key = ['post', 1];
/** The load: `void qora.prefetchQuery(postQuery(1))`, not awaited. */
const load = (client: QoraClient) => void client.prefetchQuery({ key, fetcher: never });

let server: QoraClient;
beforeEach(() => {
	server = new QoraClient({ onError: () => {} });
	requestClients.add(server); // qora/sveltekit's request client
});
afterEach(() => server.dispose());

const shown = (state: QoraState<string>) => `${state.status}/${state.fetchStatus}/${state.data ?? '-'}`;

/** The page: a createQueryState of the key (a header's spinner), then the post's query, seeded from a list. */
function page(client: QoraClient): string[] {
	const firsts: string[] = [];
	const stops = [createQueryState<string>(key, client), createQuery({ key, fetcher: never, options: { initialData: () => 'from the list' } }, client)].map((store, i) =>
		store.subscribe((state) => (firsts[i] ??= shown(state)))
	);
	for (const stop of stops) stop();
	return firsts;
}

describe('a key a universal load is still fetching when the server renders', () => {
	it('renders as the browser’s first render shows it, where the load runs again first: loading, not the seed', () => {
		load(server);
		const onServer = page(server);
		const inBrowser = inBrowserOn(dehydrate(server), (browser) => (load(browser), page(browser)));
		expect(inBrowser).toEqual(['pending/fetching/-', 'pending/fetching/-']);
		expect(onServer).toEqual(inBrowser);
	});
});
