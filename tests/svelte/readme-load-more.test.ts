/**
 * The README's "load more" advice (Coming from TanStack Query): `limit` lives in the component, so Back starts
 * again at the first page's length though the longer list is still cached; a SvelteKit snapshot brings it back,
 * and since SvelteKit restores the scroll position before the snapshot (kit/src/runtime/client/client.js: the
 * popstate navigation scrolls, then calls restore_snapshot), the snapshot scrolls once the longer list is shown.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import ReadmeLoadMore from './components/ReadmeLoadMore.svelte';
import { flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));
afterEach(() => vi.unstubAllGlobals());

const items = () => document.querySelectorAll('li').length;

it('"Back to the page starts again at the first page\'s length, though the longer list is still cached": a snapshot restoring limit scrolls once the cached list is on screen', async () => {
	const fetcher = vi.fn(async (limit: number) => Array.from({ length: limit }, (_, i) => i));
	const first = render(ReadmeLoadMore, { client, fetcher });
	await flush();
	await fireEvent.click(screen.getByRole('button', { name: 'More' }));
	await flush();
	expect(items()).toBe(20);
	type WithSnapshot = { snapshot: { capture(): { limit: number; y: number }; restore(saved: { limit: number; y: number }): Promise<void> } };
	const saved = { ...(first.component as unknown as WithSnapshot).snapshot.capture(), y: 900 };
	first.unmount();

	// Back: the page mounts afresh, at the first page's length, and the longer list is still cached.
	const again = render(ReadmeLoadMore, { client, fetcher });
	expect(items()).toBe(10);
	expect(client.getQueryData(['feed', { limit: 20 }])).toHaveLength(20);
	const listShownAtScroll: number[] = [];
	vi.stubGlobal('scrollTo', vi.fn(() => void listShownAtScroll.push(items())));
	const calls = fetcher.mock.calls.length;
	await (again.component as unknown as WithSnapshot).snapshot.restore(saved);
	expect(scrollTo).toHaveBeenCalledWith(0, 900);
	expect(listShownAtScroll).toEqual([20]);
	await flush();
	expect(fetcher.mock.calls.length).toBe(calls); // from the cache, fresh: no refetch
});
