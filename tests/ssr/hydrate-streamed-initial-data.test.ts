/**
 * A page whose query has initialData, with its data streamed from a server load.
 * The server render applies initialData to the request client (createQuery's disabled SSR watcher),
 * so the HTML payload carries it stamped at render time, after the streamed payload's read went out:
 * the seed, of unknown age, still counts as older than the server's data.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { dehydrate, QoraClient, type DehydratedState } from '../../src/lib/index.js';
import { hydrateOnce } from '../../src/lib/sveltekit/hydrate-once.js';
import { prefetchOnServer } from '../../src/lib/sveltekit/prefetch-on-server.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));

beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(Date.UTC(2024, 0, 1, 12));
});
afterEach(() => vi.useRealTimers());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a streamed qoraState replaces the initialData the server render put in the HTML payload', async () => {
	const options = { defaultOptions: { staleTime: 60_000 } };
	const postsQuery = (fetcher: () => Promise<string[]>) => ({ key: ['posts'], fetcher, options: { initialData: [] as string[] } });

	// +page.server.ts: a slow read, streamed (not awaited).
	const streamed = prefetchOnServer((q) => q.prefetchQuery({ key: ['posts'], fetcher: () => sleep(3_000).then(() => ['p1', 'p2']) }));

	// The page renders on the server meanwhile, and its HTML payload holds the initialData seed (a
	// setup that dehydrates after a render which laid it; createQuery's own server render lays none).
	await vi.advanceTimersByTimeAsync(100);
	const request = new QoraClient(options);
	request._scopeToRequest();
	const ssr = request.watchQuery({ ...postsQuery(async () => []), options: { initialData: [] as string[], enabled: false } }).subscribe(() => {});
	const html = JSON.parse(JSON.stringify(dehydrate(request))) as DehydratedState;
	ssr();
	request.dispose();

	// Browser: the layout load reads the HTML payload, the provider hydrates the streamed qoraState, the page mounts.
	await vi.advanceTimersByTimeAsync(400);
	const browser = new QoraClient(options);
	hydrateOnce(browser, html, 'the server payload in the page');
	hydrateOnce(browser, streamed, 'page.data.qoraState');
	const browserFetcher = vi.fn(async () => ['fetched in the browser']);
	const stop = browser.watchQuery(postsQuery(browserFetcher)).subscribe(() => {});

	await vi.advanceTimersByTimeAsync(3_000); // the stream lands
	const data = browser.getQueryData(['posts']);
	stop();
	expect(browserFetcher).not.toHaveBeenCalled(); // initialData is fresh for a minute
	expect(data).toEqual(['p1', 'p2']);
});
