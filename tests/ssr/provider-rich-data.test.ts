/**
 * Data the payload element cannot carry (JSON would change it: a Date) stays in the server's
 * render: SvelteKit runs the universal loads again in the browser before the first render, so a
 * `+page.ts` that awaits its prefetch (the README's pattern) or hydrates `data.qoraState` itself
 * (the README's recipe) has the data there too. (A fix that took such data out of the request client
 * made the server render loading where the browser renders the data; found by review.)
 */
import { render } from 'svelte/server';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { QoraClient, dehydrate, hydrate } from '../../src/lib/index.js';
import ProviderHarness from './fixtures/ProviderHarness.svelte';

function requestContext(data: Record<string, unknown> = {}): Map<unknown, unknown> {
	return new Map([['__request__', { page: { data } }]]);
}

/** The payload element's JSON, as the browser's loadQoraClient reads it. */
function payloadOf(body: string): unknown {
	const text = /<script type="application\/json" id="__qora_state"[^>]*>([\s\S]*?)<\/script>/.exec(body)?.[1];
	return JSON.parse(text ?? 'null');
}

/** The users query of a `+page.ts`; its rows carry a Date (say, the fetcher revives `createdAt`). */
const usersQuery = { key: ['users', 1], fetcher: async () => ({ name: 'Ada', since: new Date(0) }) };

afterEach(() => {
	vi.restoreAllMocks();
});

describe('QoraKitProvider on the server, data the element cannot carry that the browser loads again before its first render', () => {
	test("a +page.ts that awaits its prefetch: the browser's run of the load has the data at its first render, so the server must render it", async () => {
		const server = new QoraClient();
		server._scopeToRequest();
		await server.prefetchQuery(usersQuery); // +page.ts on the server
		const { body } = render(ProviderHarness, { props: { client: server, keys: [['users', 1]] }, context: requestContext() });
		// The browser: loadQoraClient hydrates from the element, then SvelteKit runs +page.ts again and awaits it.
		const browser = new QoraClient();
		hydrate(browser, payloadOf(body) as never);
		await browser.prefetchQuery(usersQuery);
		expect(browser.getState(['users', 1])).toMatchObject({ status: 'success', data: { name: 'Ada' } }); // the first render shows it
		expect(body).toContain('success: Ada'); // fails: the server rendered "pending: no data"
		browser.dispose();
	});

	test("a +page.ts that hydrates its server load's streamed qoraState itself (README recipe) and passes it on: the browser has it at its first render", async () => {
		const loadClient = new QoraClient();
		loadClient.setQueryData(['users', 1], { name: 'Ada', since: new Date(0) });
		const qoraState = Promise.resolve(dehydrate(loadClient, { richData: true })); // prefetchOnServer, not awaited
		loadClient.dispose();
		const server = new QoraClient();
		server._scopeToRequest();
		// +page.ts: hydrate(qora, await data.qoraState); return { qoraState: data.qoraState }
		hydrate(server, await qoraState);
		const { body } = render(ProviderHarness, { props: { client: server, keys: [['users', 1]] }, context: requestContext({ qoraState }) });
		// The browser runs the same +page.ts before its first render: the data is there.
		const browser = new QoraClient();
		hydrate(browser, payloadOf(body) as never);
		hydrate(browser, await qoraState);
		expect(browser.getState(['users', 1])).toMatchObject({ status: 'success', data: { name: 'Ada' } });
		expect(body).toContain('success: Ada'); // fails: entriesOf(a promise) is empty, so the entry was removed
		browser.dispose();
	});
});
