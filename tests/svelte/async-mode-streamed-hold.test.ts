/**
 * The browser's side of async-mode-streamed-hold-ssr.test.ts: while the page's qoraState streams,
 * a query created after an `await` is held only if the await ends within the task the provider
 * took the hold in; after a longer await it fetches at once (the server rendered it idle: the
 * README names this difference of Svelte's experimental.async).
 */
import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { QoraClient } from '../../src/lib/index.js';
import SsrKitApp from './components/async/SsrKitApp.svelte';
import AwaitThenQuery from './components/async/AwaitThenQuery.svelte';
import { page } from './page-mock.svelte.js';
import { deferred, flush, freshClientPerTest } from './helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => import('./page-mock.svelte.js'));

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));
beforeEach(() => {
	page.data = {};
});

/** Every text the query's paragraph shows, from its first render on. */
async function shownAfterAwait(awaitMs: number): Promise<string[]> {
	page.data = { qoraState: new Promise(() => {}) };
	const gate = deferred<string>();
	const texts: string[] = [];
	const observer = new MutationObserver(() => {
		const text = screen.queryByTestId('user')?.textContent;
		if (text && texts.at(-1) !== text) texts.push(text);
	});
	observer.observe(document.body, { subtree: true, childList: true, characterData: true });
	if (awaitMs === 0) gate.resolve('me');
	else setTimeout(() => gate.resolve('me'), awaitMs);
	render(SsrKitApp, { client, page: AwaitThenQuery, pageProps: { gate: gate.promise, fetcher: () => new Promise<string>(() => {}), staleTime: 0 } });
	await vi.advanceTimersByTimeAsync(awaitMs + 1);
	await flush(10);
	observer.disconnect();
	return texts;
}

describe('a query created after an await, in the browser, while the qoraState streams', () => {
	it('an await that ends within the task: first rendered idle (held), as the server renders it', async () => {
		expect((await shownAfterAwait(0))[0]).toBe('me: pending/idle: -');
	});

	it('an await that outlasts the task: first rendered fetching (the hold is over), where the server rendered it idle', async () => {
		expect((await shownAfterAwait(50))[0]).toBe('me: pending/fetching: -');
	});
});
