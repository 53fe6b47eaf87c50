/**
 * The README's root-layout query (created in the layout's script with the client, read in
 * markup inside <QoraKitProvider>), in the browser: the provider hydrates the server loads'
 * qoraState in the block around its children, and that markup is inside the block, so the
 * query's first render shows the payload without a request, and a streamed one holds its fetch.
 * (tests/ssr/provider.test.ts renders the same layout on the server.)
 */
import { render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import LayoutQueryInsideProvider from '../ssr/fixtures/LayoutQueryInsideProvider.svelte';
import { page } from './page-mock.svelte.js';
import { flush, serverPayload } from './helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => import('./page-mock.svelte.js'));

let client: QoraClient;
beforeEach(() => {
	vi.useFakeTimers();
	client = new QoraClient();
	page.data = {};
});
afterEach(() => {
	client.dispose();
	vi.useRealTimers();
});

describe('a root layout’s query read inside QoraKitProvider, in the browser', () => {
	it('shows the server load’s qoraState on its first render, with no request', async () => {
		page.data = { qoraState: serverPayload([['me'], { name: 'Ada' }]) };
		const requests: string[] = [];
		const stop = client.observeQuery(['me']).subscribe((state) => requests.push(state.fetchStatus));
		render(LayoutQueryInsideProvider, { data: { qora: client } });
		expect(screen.getByText('hello Ada')).toBeInTheDocument();
		await flush();
		expect(requests).not.toContain('fetching');
		stop();
	});

	it('while the qoraState streams: loading, its fetch held until the stream lands', async () => {
		let land!: (payload: unknown) => void;
		page.data = { qoraState: new Promise((resolve) => (land = resolve)) };
		render(LayoutQueryInsideProvider, { data: { qora: client } });
		expect(screen.getByText('loading user')).toBeInTheDocument();
		expect(client.getState(['me'])?.fetchStatus).toBe('idle');
		land(serverPayload([['me'], { name: 'Grace' }]));
		await flush();
		expect(screen.getByText('hello Grace')).toBeInTheDocument();
	});
});
