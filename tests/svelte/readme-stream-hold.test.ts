/**
 * The README's recipe that holds a page's query until the streamed `qoraState` has
 * settled (SvelteKit section, `streamSettled`), as written there: a plain payload (a
 * load that awaited) enables the query at once, a stream once it has arrived.
 */
import { render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type DehydratedState } from '../../src/lib/index.js';
import ReadmeStreamHold from './components/ReadmeStreamHold.svelte';
import { deferred, flush, serverPayload } from './helpers.js';

let client: QoraClient;
beforeEach(() => {
	vi.useFakeTimers();
	client = new QoraClient();
});
afterEach(() => {
	client.dispose();
	vi.useRealTimers();
});

describe('README: holding a query until the streamed payload settles', () => {
	it('enables the query once an awaited (plain object) payload is there', async () => {
		let calls = 0;
		const slowQuery = { key: ['slow'], fetcher: async () => `v${++calls}` };
		render(ReadmeStreamHold, { data: { qoraState: serverPayload() }, slowQuery, client });
		await flush(10);
		expect(calls).toBe(1);
		expect(screen.getByText('success/idle: v1')).toBeInTheDocument();
	});

	it('holds the query while the stream is on its way, then enables it', async () => {
		let calls = 0;
		const slowQuery = { key: ['slow'], fetcher: async () => `v${++calls}` };
		const stream = deferred<DehydratedState>();
		render(ReadmeStreamHold, { data: { qoraState: stream.promise }, slowQuery, client });
		await flush(1_000);
		expect(calls).toBe(0);
		stream.resolve(serverPayload());
		await flush(10);
		expect(calls).toBe(1);
		expect(screen.getByText('success/idle: v1')).toBeInTheDocument();
	});
});
