// @vitest-environment node
/**
 * Svelte's async server rendering while a server load's qoraState streams: the request's client
 * holds fetches for good (hydrateOnce), so a query the page creates after an `await` renders idle.
 * The browser's hold ends with the task (async-mode-streamed-hold.test.ts): a browser await that
 * outlasts it creates the query after the hold, which fetches. The README names the difference.
 */
import { render } from 'svelte/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import SsrKitApp from './components/async/SsrKitApp.svelte';
import AwaitThenQuery from './components/async/AwaitThenQuery.svelte';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));
vi.mock('$app/environment', () => ({ browser: false, building: false, dev: true, version: 'test' }));
const pageState = vi.hoisted(() => ({ page: { data: {} as Record<string, unknown> } }));
vi.mock('$app/state', () => pageState);
// @testing-library/svelte's cleanup calls Svelte's tick(), which waits for an animation frame in async mode: node has none.
vi.stubGlobal('requestAnimationFrame', (run: () => void) => setTimeout(run, 0));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

async function renderAfterAwait(qoraState: unknown): Promise<string> {
	pageState.page.data = { qoraState };
	const client = new QoraClient();
	client._scopeToRequest();
	const fetcher = vi.fn(async () => 'fetched');
	let release!: (who: string) => void;
	const gate = new Promise<string>((resolve) => (release = resolve));
	const rendering = render(SsrKitApp, { props: { client, page: AwaitThenQuery, pageProps: { gate, fetcher, staleTime: 0 } } });
	await vi.advanceTimersByTimeAsync(50);
	release('me');
	const { body } = await rendering;
	expect(fetcher).not.toHaveBeenCalled();
	return body;
}

describe('a query created after an await, under async server rendering', () => {
	it('while the qoraState streams: idle, however long the await took (the hold is for good)', async () => {
		expect(await renderAfterAwait(new Promise(() => {}))).toContain('me: pending/idle: -');
	});

	it('without a stream: fetching, as the browser fetches it on mount', async () => {
		expect(await renderAfterAwait(undefined)).toContain('me: pending/fetching: -');
	});
});
