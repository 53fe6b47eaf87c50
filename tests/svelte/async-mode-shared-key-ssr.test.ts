// @vitest-environment node
/**
 * Svelte's async server rendering: stores of one key on either side of an `await`. The browser's
 * first render mounts them in the server's order, so a createQueryState after the await shows the
 * seed the query before it laid; the server's prediction of the key must live as long as the render
 * on qora/sveltekit's request client. A client of the app's own may render more than one page, so
 * there it lasts one synchronous stretch (README, experimental.async).
 */
import { render } from 'svelte/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { loadQoraClient } from '../../src/lib/sveltekit/index.js';
import SsrKitApp from './components/async/SsrKitApp.svelte';
import SeedAwaitState from './components/async/SeedAwaitState.svelte';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));
vi.mock('$app/environment', () => ({ browser: false, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => ({ page: { data: {} } }));
vi.stubGlobal('requestAnimationFrame', (run: () => void) => setTimeout(run, 0));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('stores of one key on either side of an await, under async server rendering', () => {
	it('a createQueryState after the await shows the initialData the query before the await seeded, as the browser does', async () => {
		const client = loadQoraClient(() => new QoraClient()); // the layout's load, on the server
		const fetcher = vi.fn(async () => 'fetched');
		const { body } = await render(SsrKitApp, { props: { client, page: SeedAwaitState, pageProps: { gate: Promise.resolve('me'), fetcher, initialData: 'seed' } } });
		expect(body).toContain('me: success/idle: seed');
		// In the browser the query lays its seed in the cache on mount; the createQueryState after it shows that entry.
		expect(body).not.toContain('me: pending/idle: -');
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('a createQueryState after the await shows the fetch the query before the await starts on mount (a spinner on both sides), as the browser does', async () => {
		const client = loadQoraClient(() => new QoraClient()); // the layout's load, on the server
		const fetcher = vi.fn(() => new Promise<string>(() => {}));
		const { body } = await render(SsrKitApp, { props: { client, page: SeedAwaitState, pageProps: { gate: Promise.resolve('me'), fetcher } } });
		expect(body).toContain('<p data-testid="query">me: pending/fetching: -</p>');
		// In the browser the query's fetch is in flight when the createQueryState after the await mounts.
		expect(body).toContain('<p data-testid="state">me: pending/fetching: -</p>');
	});

	it('on a client of the app’s own, the picture lasts one synchronous stretch: after the await the createQueryState starts from the payload (documented)', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(() => new Promise<string>(() => {}));
		const { body } = await render(SsrKitApp, { props: { client, page: SeedAwaitState, pageProps: { gate: Promise.resolve('me'), fetcher } } });
		expect(body).toContain('<p data-testid="query">me: pending/fetching: -</p>');
		expect(body).toContain('<p data-testid="state">me: pending/idle: -</p>');
		client.dispose();
	});
});
