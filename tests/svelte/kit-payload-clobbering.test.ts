/**
 * The browser found the server's payload by id (`document.getElementById('__qora_state')`), found by review.
 * Page content can carry ids too: HTML sanitizers (DOMPurify's defaults among them) keep `id`
 * attributes, so a CMS banner or a user's rich-text bio rendered above the provider (in the root
 * layout, or in `<svelte:head>`, which precedes the body) can hold an element with that id,
 * which comes first in document order. The provider's element is a `<script type="application/json">`,
 * which sanitizers never let through; an element that is not one must not be taken for it.
 */
import { render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dehydrate, QoraClient } from '../../src/lib/index.js';
import { QORA_STATE_ELEMENT_ID, serializeForScript } from '../../src/lib/sveltekit/payload.js';
import ProviderHarness from '../ssr/fixtures/ProviderHarness.svelte';
import { page } from './page-mock.svelte.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => import('./page-mock.svelte.js'));

let client: QoraClient;

beforeEach(() => {
	vi.useFakeTimers();
	client = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
	page.data = {};
});
afterEach(() => {
	client.dispose();
	document.head.innerHTML = '';
	document.body.innerHTML = '';
	vi.useRealTimers();
});

describe('the payload element, read in the browser', () => {
	it('is the provider’s JSON script element, not sanitized page content above it that carries the same id', () => {
		const server = new QoraClient();
		server.setQueryData(['users', 1], { name: 'Ada' });
		const serverText = serializeForScript(dehydrate(server));
		server.dispose();
		// A forged payload in markup that passes an HTML sanitizer: a <div> with an id, and text.
		const forged = JSON.stringify({ version: 1, entries: [{ key: ['users', 1], status: 'success', data: { name: 'Mallory (admin)' }, dataUpdatedAt: Date.now() }] });
		const banner = document.createElement('div');
		banner.id = QORA_STATE_ELEMENT_ID;
		banner.textContent = forged;
		document.body.append(banner); // page content before the provider's element
		const element = document.createElement('script');
		element.setAttribute('type', 'application/json');
		element.id = QORA_STATE_ELEMENT_ID;
		element.textContent = serverText;
		document.body.append(element);

		render(ProviderHarness, { client, keys: [['users', 1]] });
		// Before the fix: the cache (and the page) shows the forged data, from the <div>.
		expect(client.getQueryData(['users', 1])).toEqual({ name: 'Ada' });
		expect(screen.getByText('success: Ada')).toBeInTheDocument();
	});
});
