/**
 * streamSettled under Svelte's experimental.async, in a page that awaits before it holds its query.
 */
import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DehydratedState, QoraClient } from '../../src/lib/index.js';
import StreamedAwaitPage from './components/async/StreamedAwaitPage.svelte';
import { page } from './page-mock.svelte.js';
import { deferred, flush, freshClientPerTest, serverPayload } from './helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => import('./page-mock.svelte.js'));

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));
beforeEach(() => {
	page.data = {};
});

describe('streamSettled in a page that awaits first', () => {
	it.each([
		['arrives after the await', false],
		['arrived before the await ended', true]
	])('the stream %s: the query shows it and sends no request', async (_when, before) => {
		const fetcher = vi.fn(async () => 'browser');
		const stream = deferred<DehydratedState>();
		const gate = deferred<void>();
		page.data = { qoraState: stream.promise };
		render(StreamedAwaitPage, { client, query: { key: ['slow'], fetcher }, gate: gate.promise });
		if (before) stream.resolve(serverPayload([['slow'], 'from the server']));
		await flush(5_000);
		gate.resolve();
		await flush(10);
		if (!before) {
			expect(screen.getByTestId('streamed').textContent).toBe('false: pending/idle: -');
			stream.resolve(serverPayload([['slow'], 'from the server']));
			await flush(10);
		}
		expect(screen.getByTestId('streamed').textContent).toBe('true: success/idle: from the server');
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('a navigation bringing a new stream to the awaiting page holds the query again', async () => {
		const fetcher = vi.fn(async () => 'browser');
		const gate = deferred<void>();
		page.data = { qoraState: serverPayload([['slow'], 'first']) };
		render(StreamedAwaitPage, { client, query: { key: ['slow'], fetcher, options: { staleTime: 60_000 } }, gate: gate.promise });
		gate.resolve();
		await flush(10);
		expect(screen.getByTestId('streamed').textContent).toBe('true: success/idle: first');
		const stream = deferred<DehydratedState>();
		page.data = { qoraState: stream.promise };
		await flush(10);
		expect(screen.getByTestId('streamed').textContent).toMatch(/^false: /);
		stream.resolve(serverPayload([['slow'], 'second']));
		await flush(10);
		expect(screen.getByTestId('streamed').textContent).toBe('true: success/idle: second');
	});
});
