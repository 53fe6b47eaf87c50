/** hydrateOnce: what the provider and loadQoraClient use to apply payloads without breaking the page. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { hydrateOnce } from '../../src/lib/sveltekit/hydrate-once.js';

afterEach(() => vi.restoreAllMocks());

describe('hydrateOnce', () => {
	test('reports a malformed payload once, however often the same page data comes back', () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		const payload = { version: 99, entries: [] };
		hydrateOnce(client, payload, 'page.data.qoraState');
		hydrateOnce(client, payload, 'page.data.qoraState'); // the provider's effect reruns on navigation
		expect(error).toHaveBeenCalledOnce();
		expect(String(error.mock.calls[0]?.[0])).toContain('page.data.qoraState');
		expect(client.size).toBe(0);
	});

	test('ignores a missing payload (undefined, or null from a load that had none): nothing applied, nothing reported', () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		client.setQueryData(['me'], 'browser data');
		hydrateOnce(client, undefined, 'page.data.qoraState');
		hydrateOnce(client, null, 'page.data.qoraState');
		expect(error).not.toHaveBeenCalled();
		expect(client.keys()).toEqual([['me']]);
		client.dispose();
	});

	test('applies a payload, and a replay of the same object changes nothing', () => {
		const client = new QoraClient();
		const payload = { version: 1, entries: [{ key: ['k'], status: 'success', data: 'server', dataUpdatedAt: Date.now() }] };
		hydrateOnce(client, payload);
		client.remove(['k']);
		hydrateOnce(client, payload);
		expect(client.getQueryData(['k'])).toBeUndefined();
	});
});
