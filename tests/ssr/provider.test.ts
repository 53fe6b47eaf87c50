/**
 * <QoraKitProvider> during server rendering (svelte/server `render`): it
 * hydrates server-load payloads before children render, writes the cache
 * into the page as an escaped JSON script, and disposes the request's client
 * once the render is over.
 */
import { render } from 'svelte/server';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { dehydrate, QoraClient, type DehydratedState } from '../../src/lib/index.js';
import { QORA_STATE_ELEMENT_ID } from '../../src/lib/sveltekit/payload.js';
import LayoutQueryInsideProvider from './fixtures/LayoutQueryInsideProvider.svelte';
import ProviderHarness from './fixtures/ProviderHarness.svelte';
import StreamingPage from './fixtures/StreamingPage.svelte';

/** What SvelteKit's `$app/state` reads during server rendering. */
function requestContext(data: Record<string, unknown> = {}): Map<unknown, unknown> {
	return new Map([['__request__', { page: { data } }]]);
}

function payloadIn(body: string): DehydratedState {
	const match = body.match(new RegExp(`<script type="application/json" id="${QORA_STATE_ELEMENT_ID}"[^>]*>(.*?)</script>`, 's'));
	if (!match?.[1]) throw new Error('no payload element in:\n' + body);
	return JSON.parse(match[1]) as DehydratedState;
}

function serverLoadPayload(key: unknown[], name: string): DehydratedState {
	const client = new QoraClient();
	client.setQueryData(key, { name });
	const payload = dehydrate(client);
	client.dispose();
	return payload;
}

afterEach(() => {
	vi.restoreAllMocks();
	vi.useRealTimers();
});

describe('QoraKitProvider on the server', () => {
	test('a root layout query given the client and read inside the provider renders the server load’s data, as the browser’s first render will', () => {
		const client = new QoraClient();
		client._scopeToRequest();
		const { body } = render(LayoutQueryInsideProvider, { props: { data: { qora: client } }, context: requestContext({ qoraState: serverLoadPayload(['me'], 'Ada') }) });
		expect(body).toContain('hello Ada');
		expect(payloadIn(body).entries.map((entry) => entry.key)).toEqual([['me']]);
	});

	test('renders the data prefetched into the client and the client as a payload element, with the time of the render (how old the page is, for the browser)', () => {
		vi.useFakeTimers({ now: 1_700_000_000_000 });
		const client = new QoraClient();
		client.setQueryData(['users', 1], { name: 'Ada' });
		vi.setSystemTime(1_700_000_005_000);
		const { body } = render(ProviderHarness, { props: { client, keys: [['users', 1]] }, context: requestContext() });
		expect(body).toContain('success: Ada');
		expect(payloadIn(body).entries).toMatchObject([{ key: ['users', 1], status: 'success', data: { name: 'Ada' } }]);
		expect(body).toContain(`id="${QORA_STATE_ELEMENT_ID}" data-rendered-at="1700000005000">`);
	});

	test('renders a page whose cache holds data JSON cannot carry, leaving those entries out of the element', () => {
		const client = new QoraClient();
		client.setQueryData(['users', 1], { name: 'Ada' });
		client.setQueryData(['stats'], { total: 10n });
		client.setQueryData(['posts'], [{ at: new Date(0) }]);
		const { body } = render(ProviderHarness, { props: { client, keys: [['users', 1]] }, context: requestContext() });
		expect(body).toContain('success: Ada');
		// The browser gets those from page.data (devalue) or fetches them: the same types either way.
		expect(payloadIn(body).entries.map((entry) => entry.key)).toEqual([['users', 1]]);
	});

	test('renders a query whose server fetch failed as pending, as the browser will, without its error text', async () => {
		const client = new QoraClient();
		client._scopeToRequest();
		const failing = async (): Promise<never> => {
			throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
		};
		await client.prefetchQuery({ key: ['users', 1], fetcher: failing });
		client.setQueryData(['users', 2], { name: 'Ada' });
		expect(client.getState(['users', 1])?.status).toBe('error');
		const { body } = render(ProviderHarness, { props: { client, keys: [['users', 1], ['users', 2]] }, context: requestContext() });
		expect(body).toContain('pending: no data');
		expect(body).toContain('success: Ada');
		expect(body).not.toContain('10.0.0.5');
		expect(payloadIn(body).entries.map((entry) => entry.key)).toEqual([['users', 2]]);
	});

	test('renders a query still retrying on the server as the browser starts it: pending, no failure shown', async () => {
		vi.useFakeTimers();
		const client = new QoraClient({ defaultOptions: { retry: 2 } });
		client._scopeToRequest();
		await client.prefetchQuery({
			key: ['users', 1],
			fetcher: async (): Promise<never> => {
				throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
			}
		});
		expect(client.getState(['users', 1])).toMatchObject({ status: 'pending', fetchStatus: 'fetching', failureCount: 1 });
		let shown: unknown;
		const dispose = client.dispose.bind(client);
		vi.spyOn(client, 'dispose').mockImplementation(() => {
			shown = client.getState(['users', 1]); // what the children rendered
			dispose();
		});
		const { body } = render(ProviderHarness, { props: { client, keys: [['users', 1]] }, context: requestContext() });
		expect(body).toContain('pending: no data');
		expect(shown).toMatchObject({ status: 'pending', fetchStatus: 'idle', failureCount: 0, failureReason: null });
		expect(payloadIn(body).entries).toEqual([]);
	});

	test('lets a fetch that has not failed go on through the render (an async render may await it)', async () => {
		const client = new QoraClient();
		client._scopeToRequest();
		const pending = client.fetchQuery({ key: ['users', 1], fetcher: () => new Promise<{ name: string }>(() => {}) });
		let during: unknown;
		const dispose = client.dispose.bind(client);
		vi.spyOn(client, 'dispose').mockImplementation(() => {
			during = client.getState(['users', 1])?.fetchStatus; // once the children rendered
			dispose();
		});
		const { body } = render(ProviderHarness, { props: { client, keys: [['users', 1]] }, context: requestContext() });
		expect(body).toContain('pending: no data');
		expect(during).toBe('fetching');
		await expect(pending).rejects.toThrow('disposed'); // by the dispose after the render, not before it
	});

	test('hydrates page.data.qoraState (from a server load) before the children render, and ships it too', () => {
		const client = new QoraClient();
		const qoraState = serverLoadPayload(['posts'], 'From +page.server.ts');
		const { body } = render(ProviderHarness, { props: { client, keys: [['posts']] }, context: requestContext({ qoraState }) });
		expect(body).toContain('success: From +page.server.ts');
		expect(payloadIn(body).entries.map((entry) => entry.key)).toEqual([['posts']]);
	});

	test('renders at once when a server load streams qoraState (an unawaited promise): the browser hydrates it, and nothing is logged', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		const qoraState = Promise.resolve(serverLoadPayload(['posts'], 'From +page.server.ts'));
		const { body } = render(ProviderHarness, { props: { client, keys: [['posts']] }, context: requestContext({ qoraState }) });
		expect(body).toContain('pending: no data');
		expect(payloadIn(body).entries).toEqual([]);
		await qoraState;
		expect(error).not.toHaveBeenCalled();
	});

	test('while a server load streams qoraState, renders every query idle, as the browser’s first render (its fetches held until the stream lands) shows it', () => {
		const client = new QoraClient();
		client.setQueryData(['fresh'], 'cached');
		const qoraState = new Promise<never>(() => {});
		const { body } = render(StreamingPage, { props: { client, keys: [['missing'], ['fresh']] }, context: requestContext({ qoraState }) });
		expect(body).toContain('pending/idle: -');
		expect(body).toContain('success/idle: cached');
		// Without a stream, a key nobody prefetched renders as the browser will: fetching it on mount.
		const plain = render(StreamingPage, { props: { client: new QoraClient(), keys: [['missing']] }, context: requestContext() });
		expect(plain.body).toContain('pending/fetching: -');
	});

	test('never fetches during the render', () => {
		const client = new QoraClient();
		const { body } = render(ProviderHarness, { props: { client, keys: [['users', 2]] }, context: requestContext() });
		expect(body).toContain('pending: no data');
		expect(payloadIn(body).entries).toEqual([]);
	});

	test('escapes data so it cannot end the element: the payload parses back to the original', () => {
		const client = new QoraClient();
		const name = 'Mallory </script><script>alert(1)</script> \u2028 <!--';
		client.setQueryData(['users', 7], { name });
		const { body } = render(ProviderHarness, { props: { client, keys: [] }, context: requestContext() });
		expect(body).not.toContain('</script><script>alert(1)');
		expect(payloadIn(body).entries[0]?.data).toEqual({ name });
	});

	test('disposes the request client once the page has rendered', () => {
		const client = new QoraClient();
		client.setQueryData(['users', 1], { name: 'Ada' });
		// The result renders lazily: reading `body` renders, as SvelteKit does.
		const { body } = render(ProviderHarness, { props: { client, keys: [['users', 1]] }, context: requestContext() });
		expect(body).toContain('success: Ada');
		expect(client.isDisposed).toBe(true);
		expect(client.size).toBe(0);
	});

	test('disposes the request client when the render fails, too', () => {
		const client = new QoraClient();
		expect(() =>
			render(ProviderHarness, { props: { client, keys: [], fail: true }, context: requestContext() }).body
		).toThrow('a child failed to render');
		expect(client.isDisposed).toBe(true);
	});

	test('without a client (data.qora missing) says so, naming the provider, instead of failing on a property read', () => {
		for (const client of [undefined, { qora: new QoraClient() }]) {
			expect(() => render(ProviderHarness, { props: { client: client as never, keys: [] }, context: requestContext() }).body).toThrow(
				/^<QoraKitProvider client=\{data\.qora\}>: expected a QoraClient, got /
			);
		}
	});

	test('keeps a request’s server-load data off a dead cache when the provider gets a client an earlier render disposed (one module-level client): throws, naming the fix', async () => {
		// `export const qora = new QoraClient()` in $lib, passed to the provider: the first request's render disposes it.
		const shared = new QoraClient();
		const first = render(ProviderHarness, { props: { client: shared, keys: [['users', 1]] }, context: requestContext({ qoraState: serverLoadPayload(['users', 1], 'Ada') }) });
		expect(first.body).toContain('success: Ada');
		expect(shared.isDisposed).toBe(true);
		await Promise.resolve(); // the next request comes later
		// The next user's page would render its server load's data as loading, and ship an empty payload, without a word.
		expect(() =>
			render(ProviderHarness, { props: { client: shared, keys: [['users', 1]] }, context: requestContext({ qoraState: serverLoadPayload(['users', 1], 'Bob') }) }).body
		).toThrow(/<QoraKitProvider client=\{data\.qora\}>: .*disposed.*loadQoraClient/);
	});

	test('keeps concurrent renders apart: each page holds only its own client', () => {
		const pages = [1, 2, 3].map((id) => {
			const client = new QoraClient();
			client.setQueryData(['users', id], { name: `User ${id}` });
			return { id, client };
		});
		for (const { id, client } of pages) {
			const { body } = render(ProviderHarness, { props: { client, keys: [['users', id]] }, context: requestContext() });
			expect(payloadIn(body).entries.map((entry) => entry.key)).toEqual([['users', id]]);
		}
	});
});
