/**
 * A navigation brings a server load's qoraState and a new page component in the same
 * tick (SvelteKit: update(page) and root.$set(props) together). The provider must hydrate
 * before the new page's query subscribes: no request for data the payload carries.
 */
// What a component compiled with experimental.async imports (the compiled code is otherwise the same for these components).
import 'svelte/internal/flags/async';
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

// Failed before the fix: QoraKitProvider hydrated a navigation's qoraState in an $effect.pre, which Svelte's async mode
// (experimental.async, needed for `await` in components and remote functions) runs after block effects: the new page mounted
// and its query fetched before the payload was applied. Now the provider hydrates from the block holding the children.
describe("a navigation bringing a server load's qoraState and a new page, under Svelte's experimental.async", () => {
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
