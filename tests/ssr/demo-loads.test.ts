/** The demo's load helper: a load stops waiting once its fetch pauses for the connection. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { unlessPaused } from '../../src/demo/loads.js';
import { advance, manualOnline, useFakeTime } from '../core/helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('unlessPaused', () => {
	it('settles as the fetch does while online', async () => {
		const client = new QoraClient();
		await expect(unlessPaused(client, ['k'], client.fetchQuery({ key: ['k'], fetcher: async () => 'data' }))).resolves.toBe('data');
		await expect(
			unlessPaused(client, ['e'], client.fetchQuery({ key: ['e'], fetcher: async () => Promise.reject(new Error('no')), options: { retry: 0 } }))
		).rejects.toThrow('no');
	});

	it('stops waiting when the connection drops during the fetch and its retry pauses', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const fetcher = vi.fn(async () => {
			await new Promise((resolve) => setTimeout(resolve, 100));
			online.set(false);
			throw new TypeError('Failed to fetch');
		});
		let settled = false;
		const load = unlessPaused(client, ['k'], client.fetchQuery({ key: ['k'], fetcher })).then(() => (settled = true));
		await advance(60_000);
		expect(settled).toBe(true);
		expect(client.getState(['k'])?.fetchStatus).toBe('paused');
		await load;
	});

	it('does not wait at all when the fetch starts paused', async () => {
		const client = new QoraClient({ online: manualOnline(false) });
		await expect(unlessPaused(client, ['k'], client.fetchQuery({ key: ['k'], fetcher: async () => 1 }))).resolves.toBeUndefined();
	});
});
