// @vitest-environment node
/**
 * The README's experimental.async note: "Data a component awaits while the server renders it
 * (`await client.fetchQuery(…)` in its script or markup) is in the HTML but not in the payload,
 * which the provider writes before its children's awaits settle, so the browser fetches it again".
 */
import { render } from 'svelte/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import SsrKitApp from './components/async/SsrKitApp.svelte';
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
		const payload = /<script type="application\/json" id="__qora_state">([^<]*)<\/script>/.exec(body);
		expect(payload).not.toBeNull();
		expect(payload![1]).not.toContain('Ada Lovelace');
		expect(JSON.parse(payload![1]!)).toMatchObject({ entries: [] });
	});
});
