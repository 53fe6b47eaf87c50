/** <QoraKitProvider> during server rendering: gaps found by mutation testing. */
import { render } from 'svelte/server';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
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
});
