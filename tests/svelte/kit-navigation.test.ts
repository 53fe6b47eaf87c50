/**
 * A navigation brings a server load's qoraState and a new page component in the same
 * tick (SvelteKit: update(page) and root.$set(props) together). The provider must hydrate
 * before the new page's query subscribes: no request for data the payload carries.
 */
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { QoraClient } from '../../src/lib/index.js';
import KitNavHarness from './components/KitNavHarness.svelte';
import { nav } from './components/nav-state.svelte.js';
import { page } from './page-mock.svelte.js';
import { flush, freshClientPerTest, serverPayload } from './helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => import('./page-mock.svelte.js'));

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));
beforeEach(() => {
	page.data = {};
	nav.keys = [];
});

describe("a navigation bringing a server load's qoraState and a new page", () => {
	it('the new page shows the navigation payload at once and sends no request for it', async () => {
		const fetcher = vi.fn(async () => 'fetched in the browser');
		render(KitNavHarness, { client, fetcher });
		page.data = { qoraState: serverPayload([['post', '1'], 'from the server load']) };
		nav.keys = [['post', '1']];
		flushSync();
		expect(screen.getByTestId('post/1').textContent).toBe('success/idle: from the server load');
		await flush(10);
		expect(fetcher).not.toHaveBeenCalled();
	});
});
