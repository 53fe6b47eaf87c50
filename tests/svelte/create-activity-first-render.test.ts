// @vitest-environment node
/**
 * A global indicator (createIsFetching) rendered on the server must show what its first
 * render in the browser will, as createQuery and createQueryState do (first-render-shared-key:
 * "a spinner elsewhere on the page"), or hydration mismatches.
 */
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dehydrate, QoraClient } from '../../src/lib/index.js';
import { createIsFetching, createQuery } from '../../src/lib/svelte/index.js';
import { inBrowserOn } from './first-render-page.js';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));

const never = () => new Promise<string>(() => {});

let server: QoraClient;
beforeEach(() => (server = new QoraClient()));
afterEach(() => server.dispose());

/** A page: a query, then a global indicator after it (a footer, a bar after `{@render children()}`). */
function page(client: QoraClient) {
	let fetchStatus = '';
	const stop = createQuery({ key: ['todos'], fetcher: never }, client).subscribe((state) => (fetchStatus ||= state.fetchStatus));
	const count = get(createIsFetching(undefined, client));
	stop();
	return { fetchStatus, count };
}

describe('createIsFetching: server render against the browser’s first render', () => {
	it('counts a query the browser fetches on mount, as that query itself shows it fetching', () => {
		const onServer = page(server);
		const inBrowser = inBrowserOn(dehydrate(server), page);
		expect(inBrowser).toEqual({ fetchStatus: 'fetching', count: 1 });
		// The server shows the query fetching (as shipped) but the indicator idle: it differs from the browser.
		expect(onServer).toEqual(inBrowser);
	});

	it('does not count a server fetch that is not shipped (a prefetch a load did not await)', () => {
		void server.prefetchQuery({ key: ['stats'], fetcher: never });
		const onServer = get(createIsFetching(undefined, server));
		const inBrowser = inBrowserOn(dehydrate(server), (browser) => get(createIsFetching(undefined, browser)));
		expect(inBrowser).toBe(0);
		expect(onServer).toBe(inBrowser);
	});
});
