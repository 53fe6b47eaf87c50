/**
 * A page's stores, rendered on the server and then in the browser on the page's
 * payload, for the tests that compare their first values (first-render-random.test.ts,
 * first-render-shared-key.test.ts). Test files that use it run in Node with Svelte's
 * server build, so createQuery takes its server path; the browser side stubs `window`
 * and `document`, so it takes the browser path.
 */
import { expect, vi } from 'vitest';
import type { Readable } from 'svelte/store';
import { hydrate, QoraClient, type DehydratedState, type QoraSharedOptions, type QoraState } from '../../src/lib/index.js';
import { createQuery, createQueryState, type CreateQueryConfig } from '../../src/lib/svelte/index.js';
import { inBrowser } from '../../src/lib/svelte/env.js';

/** A store of the page: a query with its config, or a state-only store of a key. */
export type PageStore = { readonly query: CreateQueryConfig<string> | Readable<CreateQueryConfig<string>> } | { readonly state: readonly unknown[] | Readable<readonly unknown[]> };

const silent = () => {};

/**
 * The first value of each store of `page`, subscribed in order and all kept until the
 * last has its first value, as a page's components subscribe while they render (and
 * hydrate) in document order.
 */
export function firstValues(page: readonly PageStore[], client: QoraClient): QoraState<string>[] {
	return pageValues(page, client).firsts;
}

/** The first value of each store of `page`, and its last once every store has subscribed, subscribed as {@link firstValues} does. */
export function pageValues(page: readonly PageStore[], client: QoraClient): { firsts: QoraState<string>[]; lasts: QoraState<string>[] } {
	const firsts: QoraState<string>[] = [];
	const lasts: QoraState<string>[] = [];
	const stops = page.map((store, i) => {
		const readable = 'query' in store ? createQuery(store.query, client) : createQueryState<string>(store.state, client);
		return readable.subscribe((state) => ((firsts[i] ??= state), (lasts[i] = state)));
	});
	const done = [...lasts]; // before the page is torn down, which changes the key again
	for (const stop of stops) stop();
	return { firsts, lasts: done };
}

/**
 * The browser's first values, on a client hydrated from `payload` (a JSON round trip of it),
 * made with the server client's `defaultOptions` (an app makes both from one factory).
 */
export function browserFirstValues(payload: DehydratedState, page: readonly PageStore[], held = false, defaultOptions?: QoraSharedOptions): QoraState<string>[] {
	return browserPageValues(payload, page, held, defaultOptions).firsts;
}

/** {@link pageValues} in the browser, as {@link browserFirstValues} runs it. */
export function browserPageValues(
	payload: DehydratedState,
	page: readonly PageStore[],
	held = false,
	defaultOptions?: QoraSharedOptions,
	loads?: (browser: QoraClient) => void
): ReturnType<typeof pageValues> {
	return inBrowserOn(payload, (browser) => pageValues(page, browser), { held, defaultOptions, loads });
}

/**
 * The universal loads that filled `server` as the browser runs them again before the first
 * render: each entry a one-off call (prefetchQuery, fetchQuery) configured last gets that
 * configuration on the hydrated client. A fetch that starts then (the data is stale by the
 * load's options, or missing) is the documented difference of a load refetching before the
 * first render, so it is cancelled: the entry keeps the load's options and its shipped state.
 */
export function universalLoadsOf(server: QoraClient): (browser: QoraClient) => void {
	const calls = server
		._entries()
		.filter((entry) => entry.config.fetcher !== null)
		.map((entry) => ({ key: entry.parts, options: entry.config.options }));
	return (browser) => {
		for (const { key, options } of calls) {
			const fetching = browser.getState(key)?.fetchStatus === 'fetching';
			void browser.prefetchQuery({ key, fetcher: () => new Promise<never>(() => {}), options: options as never });
			if (!fetching && browser.getState(key)?.fetchStatus === 'fetching') browser.cancel(key);
		}
	};
}

/**
 * `run` in a browser: on a fresh client hydrated from `payload` (a JSON round trip of it),
 * with `window` and `document` stubbed so the Svelte layer takes its browser path; `held`:
 * a streamed payload is on its way, so qora/sveltekit holds the first render's fetches.
 */
export function inBrowserOn<R>(
	payload: DehydratedState,
	run: (browser: QoraClient) => R,
	{ held = false, defaultOptions, loads }: { held?: boolean; defaultOptions?: QoraSharedOptions | undefined; loads?: ((browser: QoraClient) => void) | undefined } = {}
): R {
	const browser = new QoraClient({ onError: silent, defaultOptions });
	hydrate(browser, JSON.parse(JSON.stringify(payload)));
	loads?.(browser);
	if (held) browser._holdFetches();
	vi.stubGlobal('window', { addEventListener: silent, removeEventListener: silent, dispatchEvent: () => true });
	vi.stubGlobal('document', { addEventListener: silent, removeEventListener: silent, visibilityState: 'visible' });
	try {
		expect(inBrowser()).toBe(true);
		return run(browser);
	} finally {
		vi.unstubAllGlobals();
		browser.dispose();
	}
}
