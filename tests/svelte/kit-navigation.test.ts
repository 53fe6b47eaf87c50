/**
 * A navigation brings a server load's qoraState and a new page component in the same
 * tick (SvelteKit: update(page) and root.$set(props) together). The provider must hydrate
 * before the new page's query subscribes: no request for data the payload carries.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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

describe("the README's logout recipe (use:enhance: await update(), then clear)", () => {
	/** The recipe's callback body, as the README writes it: run with the form's `update` and the client. */
	function logoutRecipe(): (update: () => Promise<void>, qora: QoraClient) => Promise<void> {
		const readme = readFileSync(resolve(process.cwd(), 'README.md'), 'utf8');
		const block = readme.slice(readme.indexOf('<form method="POST" action="/logout"'));
		const body = block.slice(block.indexOf('{\n') + 2, block.indexOf('\n}}>'));
		const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (update: () => Promise<void>, qora: QoraClient) => Promise<void>;
		return new AsyncFunction('update', 'qora', body);
	}

	it('shows the data of the page the logout leads to, instead of leaving its queries pending and idle for good', async () => {
		let answers = 0;
		const fetcher = vi.fn(async () => `answer ${++answers}`);
		render(KitNavHarness, { client, fetcher });
		nav.keys = [['me'], ['todos']]; // the signed-in page: a header and a list
		flushSync();
		await flush(10);
		expect(screen.getByTestId('todos').textContent).toBe('success/idle: answer 2');
		// update(): the logout's redirect, and the loads and page it leads to (a header and a public list).
		const update = async () => {
			nav.keys = [['me'], ['posts']];
			flushSync();
			await flush(10);
		};
		await logoutRecipe()(update, client);
		await flush(10);
		expect(screen.getByTestId('me').textContent).toMatch(/^success\/idle: answer \d+$/);
		expect(screen.getByTestId('posts').textContent).toMatch(/^success\/idle: answer \d+$/);
	});
});
