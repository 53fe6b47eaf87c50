/**
 * The browser's side of first-render-cases.ts: a query's first render on a client
 * hydrated from the server's payload (ssr.test.ts checks the server's side).
 */
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { dehydrate, hydrate, QoraClient, type QoraState } from '../../src/lib/index.js';
import { createQuery } from '../../src/lib/svelte/index.js';
import KitNavHarness from './components/KitNavHarness.svelte';
import { nav } from './components/nav-state.svelte.js';
import { firstRenderCases } from './first-render-cases.js';
import { page } from './page-mock.svelte.js';
import { freshClientPerTest } from './helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => import('./page-mock.svelte.js'));

let server: QoraClient;
freshClientPerTest((fresh) => (server = fresh));

describe('a query’s first render in the browser, on the payload of a server that met', () => {
	for (const { name, setup, config, shows } of firstRenderCases) {
		it(`${name}: shows ${shows.status}/${shows.fetchStatus}`, async () => {
			await setup(server);
			const browser = new QoraClient();
			hydrate(browser, JSON.parse(JSON.stringify(dehydrate(server))));
			let first: QoraState<string> | undefined;
			const stop = createQuery(config, browser).subscribe((state) => (first ??= state));
			stop();
			expect(first).toMatchObject(shows);
			browser.dispose();
		});
	}
});

describe('a query’s first render in the browser, through QoraKitProvider, while the page’s qoraState streams', () => {
	it('shows a key nobody prefetched pending and idle: its fetch is held until the stream lands (the server renders it so too: tests/ssr/provider.test.ts)', () => {
		page.data = { qoraState: new Promise<never>(() => {}) };
		nav.keys = [['post', '1']];
		const fetcher = vi.fn(async () => 'fetched');
		render(KitNavHarness, { client: server, fetcher });
		expect(screen.getByTestId('post/1').textContent).toBe('pending/idle: -');
		expect(fetcher).not.toHaveBeenCalled();
		page.data = {};
		nav.keys = [];
	});
});
