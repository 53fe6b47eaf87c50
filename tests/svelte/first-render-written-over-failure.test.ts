// @vitest-environment node
/**
 * Found by first-render-random.test.ts (seed 2470 of FUZZ_SEEDS=5000): data written
 * over a failed fetch, then invalidated, rendered fresh and idle on the server, while
 * the browser's first render, on the payload, shows it stale and fetching.
 *
 * setQueryData over a failure keeps failureCount (as TanStack's manual write does), and
 * dehydrate ships the invalidation (`invalidated: true`), so the browser refetches on
 * mount. The server view took any success with a failure and no fetch running for an
 * initialData seed laid over a failure the page does not ship, and dropped
 * `isInvalidated`. (Since the sixteenth session the server lays no seed at all, so the
 * view keeps the shipped invalidation always.)
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { dehydrate, hydrate, QoraClient, type QoraState } from '../../src/lib/index.js';
import { createQuery } from '../../src/lib/svelte/index.js';
import { inBrowser } from '../../src/lib/svelte/env.js';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
	vi.unstubAllGlobals();
	vi.useRealTimers();
});

const key = ['post', 1];
const never = () => new Promise<string>(() => {});

function firstValue(client: QoraClient): QoraState<string> {
	let first: QoraState<string> | undefined;
	createQuery({ key, fetcher: never }, client).subscribe((state) => (first ??= state))();
	return first!;
}

it('data written over a failed fetch, then invalidated, renders on the server as the browser’s first render shows it (stale, fetching)', async () => {
	const server = new QoraClient({ onError: () => {} });
	await server.prefetchQuery({ key, fetcher: () => Promise.reject(new Error('down')), options: { retry: 0 } });
	server.setQueryData(key, 'written');
	await server.invalidate(key);
	expect(server.getState(key)).toMatchObject({ status: 'success', fetchStatus: 'idle', failureCount: 1, isInvalidated: true });
	const payload = JSON.parse(JSON.stringify(dehydrate(server)));
	expect(payload.entries).toEqual([expect.objectContaining({ data: 'written', invalidated: true })]);

	const onServer = firstValue(server);

	const browser = new QoraClient();
	hydrate(browser, payload);
	vi.stubGlobal('window', { addEventListener() {}, removeEventListener() {} });
	vi.stubGlobal('document', {});
	expect(inBrowser()).toBe(true);
	const inTheBrowser = firstValue(browser);
	expect(inTheBrowser).toMatchObject({ status: 'success', data: 'written', fetchStatus: 'fetching', isStale: true });

	// Today the server shows { fetchStatus: 'idle', isStale: false }.
	expect({ fetchStatus: onServer.fetchStatus, isStale: onServer.isStale }).toEqual({ fetchStatus: 'fetching', isStale: true });
	server.dispose();
	browser.dispose();
});
