// @vitest-environment node
/**
 * Svelte's async server rendering: a page that awaits before it creates its query (getQoraClient after
 * the await) renders the cached data as the browser's first render will; the request's client is
 * disposed only once the whole async render is over.
 */
import { render } from 'svelte/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import SsrKitApp from './components/async/SsrKitApp.svelte';
import AwaitThenQuery from './components/async/AwaitThenQuery.svelte';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));
vi.mock('$app/environment', () => ({ browser: false, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => ({ page: { data: {} } }));
// @testing-library/svelte's cleanup calls Svelte's tick(), which waits for an animation frame in async mode: node has none.
vi.stubGlobal('requestAnimationFrame', (run: () => void) => setTimeout(run, 0));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a page that awaits before creating its query, under async server rendering', () => {
	it('renders the cached data, without fetching, and the client is disposed after the render', async () => {
		const client = new QoraClient();
		client._scopeToRequest();
		client.setQueryData(['user'], 'Ada');
		const fetcher = vi.fn(async () => 'fetched');
		let release!: (who: string) => void;
		const gate = new Promise<string>((resolve) => (release = resolve));
		const rendering = render(SsrKitApp, { props: { client, page: AwaitThenQuery, pageProps: { gate, fetcher } } });
		await vi.advanceTimersByTimeAsync(10);
		expect(client.isDisposed).toBe(false);
		release('me');
		const { body } = await rendering;
		expect(body).toContain('me: success/idle: Ada');
		expect(fetcher).not.toHaveBeenCalled();
		expect(client.isDisposed).toBe(true);
	});

	it('renders a missing key as the browser will: pending and fetching', async () => {
		const client = new QoraClient();
		client._scopeToRequest();
		const fetcher = vi.fn(async () => 'fetched');
		const { body } = await render(SsrKitApp, { props: { client, page: AwaitThenQuery, pageProps: { gate: Promise.resolve('me'), fetcher } } });
		expect(body).toContain('me: pending/fetching: -');
		expect(fetcher).not.toHaveBeenCalled();
	});
});

describe('an async server render that fails after the page awaited', () => {
	it('rejects with the page’s error, and the request’s client is disposed all the same', async () => {
		const client = new QoraClient();
		client._scopeToRequest();
		client.setQueryData(['user'], 'Ada');
		const failure = new Error('the page failed');
		const gate = Promise.reject(failure);
		gate.catch(() => {});
		await expect(render(SsrKitApp, { props: { client, page: AwaitThenQuery, pageProps: { gate, fetcher: async () => 'x' } } })).rejects.toBe(failure);
		expect(client.isDisposed).toBe(true);
	});
});
