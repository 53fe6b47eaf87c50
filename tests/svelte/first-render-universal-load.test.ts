// @vitest-environment node
/**
 * The README's universal load (`+page.ts`: `await qora.prefetchQuery(...)`) runs on the server and
 * again in the browser before the first render (SvelteKit reruns universal loads at hydration). There,
 * on the hydrated entry, it answers from the cache but configures the entry with the load's query
 * options, so the entry is stale by the load's `staleTime` in the browser. A createQueryState that is
 * the key's first store on the page must then render on the server as the browser shows it.
 */
import { describe, expect, it, vi } from 'vitest';
import { dehydrate, QoraClient } from '../../src/lib/index.js';
import { firstValues, inBrowserOn, type PageStore } from './first-render-page.js';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));

const todos = { key: ['todos'], fetcher: async () => 'todos', options: { staleTime: 60_000 } };
const page: PageStore[] = [{ state: ['todos'] }];

describe('a page whose universal load prefetches the key that a createQueryState shows', () => {
	it('renders the createQueryState on the server as fresh or stale as the browser’s first render shows it', async () => {
		const defaultOptions = { staleTime: 0 };
		const server = new QoraClient({ defaultOptions });
		await server.prefetchQuery(todos); // +page.ts on the server
		const [onServer] = firstValues(page, server);
		const payload = dehydrate(server);
		server.dispose();
		const [inBrowser] = inBrowserOn(
			payload,
			(browser) => {
				void browser.prefetchQuery(todos); // +page.ts again, in the browser, before the page renders: answered from the cache
				return firstValues(page, browser);
			},
			{ defaultOptions }
		);
		expect(inBrowser).toMatchObject({ status: 'success', data: 'todos', fetchStatus: 'idle', isStale: false });
		expect(onServer).toMatchObject({ status: 'success', data: 'todos', fetchStatus: 'idle' });
		expect(onServer?.isStale).toBe(inBrowser?.isStale);
	});
});
