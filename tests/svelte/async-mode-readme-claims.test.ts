// @vitest-environment node
/**
 * The README's experimental.async note: "Data a component awaits while the server renders it
 * (`await client.fetchQuery(…)` in its script or markup) is in the HTML but not in the payload,
 * which the provider writes before its children's awaits settle, so the browser fetches it again".
 */
import { render } from 'svelte/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { loadQoraClient } from '../../src/lib/sveltekit/index.js';
import SsrKitApp from './components/async/SsrKitApp.svelte';
import SeedAwaitState from './components/async/SeedAwaitState.svelte';
import AwaitFetchQuery from './components/async/AwaitFetchQuery.svelte';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));
vi.mock('$app/environment', () => ({ browser: false, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => ({ page: { data: {} } }));
vi.stubGlobal('requestAnimationFrame', (run: () => void) => setTimeout(run, 0));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('README: data a component awaits during an async server render', () => {
	it('is in the HTML but not in the payload element', async () => {
		const client = new QoraClient();
		client._scopeToRequest();
		const fetcher = vi.fn(async () => 'Ada Lovelace');
		const { body } = await render(SsrKitApp, { props: { client, page: AwaitFetchQuery, pageProps: { fetcher } } });
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(body).toContain('<p data-testid="awaited">Ada Lovelace</p>');
		const payload = /<script type="application\/json" id="__qora_state"[^>]*>([^<]*)<\/script>/.exec(body);
		expect(payload).not.toBeNull();
		expect(payload![1]).not.toContain('Ada Lovelace');
		expect(JSON.parse(payload![1]!)).toMatchObject({ entries: [] });
	});
});

// README: "the server's picture of what the stores of a key rendered so far did (a fetch on mount,
// a seed) lasts the whole render on qora/sveltekit's request client, `await`s included".
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
