/**
 * A navigation to a page that awaits in its script (experimental.async) before creating its query:
 * the navigation's qoraState is hydrated before the page's query subscribes, so no request.
 */
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { QoraClient } from '../../src/lib/index.js';
import KitNavAsyncHarness from './components/async/KitNavAsyncHarness.svelte';
import { nav } from './components/nav-state.svelte.js';
import { page } from './page-mock.svelte.js';
import { deferred, flush, freshClientPerTest, serverPayload } from './helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => import('./page-mock.svelte.js'));

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));
beforeEach(() => {
	page.data = {};
	nav.keys = [];
});

describe('a navigation to a page that awaits before its query', () => {
	it('shows the payload once the await resolves, with no request', async () => {
		const fetcher = vi.fn(async () => 'fetched in the browser');
		const gate = deferred<void>();
		render(KitNavAsyncHarness, { client, fetcher, gate: gate.promise });
		page.data = { qoraState: serverPayload([['post', '1'], 'from the server load']) };
		nav.keys = [['post', '1']];
		flushSync();
		gate.resolve();
		await flush(10);
		flushSync();
		expect(screen.getByTestId('post/1').textContent).toBe('success/idle: from the server load');
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('a second navigation while the first page still awaits: the second page shows its own payload, with no request', async () => {
		const fetcher = vi.fn(async () => 'fetched in the browser');
		const gate = deferred<void>();
		render(KitNavAsyncHarness, { client, fetcher, gate: gate.promise });
		page.data = { qoraState: serverPayload([['post', '1'], 'one']) };
		nav.keys = [['post', '1']];
		flushSync();
		page.data = { qoraState: serverPayload([['post', '2'], 'two']) };
		nav.keys = [['post', '2']];
		flushSync();
		gate.resolve();
		await flush(10);
		flushSync();
		expect(screen.getByTestId('post/2').textContent).toBe('success/idle: two');
		expect(screen.queryByTestId('post/1')).toBeNull();
		expect(fetcher).not.toHaveBeenCalled();
	});
});
