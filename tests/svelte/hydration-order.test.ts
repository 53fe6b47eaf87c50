/**
 * Hydration of a page whose parent shows a query in text before a child showing a
 * createQueryState of the same key. The server subscribes stores in document order, so the child
 * shows the fetch the query starts on mount. In the browser Svelte creates a component's text and
 * attribute effects after its child components and blocks: the child's store subscribes first,
 * and its first render shows no fetch, so Svelte repairs its branch (README: "Several stores of
 * one key"). A parent that reads the query in its script subscribes it there on both sides. The
 * server's markup is checked by hydration-order-ssr.test.ts.
 */
import { flushSync, hydrate, unmount } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import Provide from './components/Provide.svelte';
import ParentTextChildState from './components/ParentTextChildState.svelte';
import { config, serverMarkup } from './hydration-order.js';
import { freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

/** Hydrates the server's markup; returns the nodes hydration removed (a repaired branch) and the child's text. */
async function hydrateServerMarkup(readFirst: boolean) {
	const target = document.body.appendChild(document.createElement('div'));
	target.innerHTML = serverMarkup;
	const serverChild = target.querySelector('[data-testid="child"]');
	const changes = new MutationObserver(() => {});
	changes.observe(target, { subtree: true, childList: true, characterData: true });
	const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
	const app = hydrate(Provide, { target, props: { client, view: ParentTextChildState, viewProps: { config, readFirst } } });
	flushSync();
	const removed = changes.takeRecords().flatMap((record) => [...record.removedNodes].map((node) => node.textContent));
	warn.mockRestore();
	const child = target.querySelector('[data-testid="child"]');
	const result = { removed, keptServerChild: child === serverChild, childText: child?.textContent };
	await unmount(app);
	target.remove();
	return result;
}

describe('a child showing a key whose query its parent shows in text', () => {
	it('keeps the server’s markup when the parent’s script reads the query first (void $query)', async () => {
		expect(await hydrateServerMarkup(true)).toEqual({ removed: [], keptServerChild: true, childText: 'busy' });
	});

	it('is repaired by hydration when the parent reads the query in text only (the documented limit): the child’s store subscribed first', async () => {
		const { removed, keptServerChild, childText } = await hydrateServerMarkup(false);
		expect(removed).toContain('busy');
		expect(keptServerChild).toBe(false);
		expect(childText).toBe('busy'); // once the query has subscribed
	});
});
