/**
 * <QoraKitProvider> during server rendering: what the payload element does not carry is taken out of
 * the request client before the children render, so the server renders those keys as the browser's
 * first render will (gaps found by mutation testing and by dogfooding).
 */
import { render } from 'svelte/server';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { QoraClient, dehydrate } from '../../src/lib/index.js';
import ProviderHarness from './fixtures/ProviderHarness.svelte';

/** What SvelteKit's `$app/state` reads during server rendering. */
function requestContext(data: Record<string, unknown> = {}): Map<unknown, unknown> {
	return new Map([['__request__', { page: { data } }]]);
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('QoraKitProvider on the server', () => {
	test('takes a failed query out of the request client before the children render, so nothing on the server can read its error', async () => {
		const client = new QoraClient();
		client._scopeToRequest();
		await client.prefetchQuery({
			key: ['users', 1],
			fetcher: async (): Promise<never> => {
				throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
			}
		});
		client.setQueryData(['users', 2], { name: 'Ada' });
		expect(client.getState(['users', 1])?.status).toBe('error');
		// What the server could still read of the failed key while the page renders.
		const seen: string[] = [];
		const stop = client.observeQuery(['users', 1]).subscribe((state) => seen.push(`${state.status}:${state.error?.message ?? ''}`));
		const { body } = render(ProviderHarness, { props: { client, keys: [['users', 2]] }, context: requestContext() });
		expect(body).toContain('success: Ada');
		expect(seen[0]).toContain('error:connect ECONNREFUSED');
		expect(seen.slice(1)).toEqual(['pending:']);
		stop();
	});

	test('renders data the element cannot carry (a Date from a universal load) as the browser will: without it, unless a server load ships it', async () => {
		// What a server load's prefetchOnServer returned as qoraState: rich data travels with devalue.
		const loadClient = new QoraClient();
		loadClient.setQueryData(['users', 3], { name: 'Grace', since: new Date(0) });
		const qoraState = dehydrate(loadClient, { richData: true });
		loadClient.dispose();
		const client = new QoraClient();
		client._scopeToRequest();
		// A universal load's awaited prefetch: JSON would turn the Date into a string, so it is not in the element.
		await client.prefetchQuery({ key: ['users', 1], fetcher: async () => ({ name: 'Ada', since: new Date(0) }) });
		client.setQueryData(['users', 2], { name: 'Alan' });
		const { body } = render(ProviderHarness, {
			props: { client, keys: [['users', 1], ['users', 2], ['users', 3]] },
			context: requestContext({ qoraState })
		});
		expect(body).toContain('pending: no data'); // ['users', 1]: the browser has no data for it at first either
		expect(body).toContain('success: Alan');
		expect(body).toContain('success: Grace');
		expect(body).not.toContain('success: Ada');
	});
});
