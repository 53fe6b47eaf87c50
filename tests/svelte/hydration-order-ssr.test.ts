// @vitest-environment node
/** The server's side of hydration-order.test.ts: the markup it hydrates is what the server renders. */
import { render } from 'svelte/server';
import { expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import Provide from './components/Provide.svelte';
import ParentTextChildState from './components/ParentTextChildState.svelte';
import { config, serverMarkup } from './hydration-order.js';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));

it.each([false, true])('the server renders the child of a query shown in text as fetching (readFirst: %s): the query, rendered before it, fetches on mount', (readFirst) => {
	const client = new QoraClient();
	const { body } = render(Provide, { props: { client, view: ParentTextChildState, viewProps: { config, readFirst } } });
	expect(body).toBe(serverMarkup);
	expect(body).toContain('<p data-testid="child">busy</p>');
	client.dispose();
});
