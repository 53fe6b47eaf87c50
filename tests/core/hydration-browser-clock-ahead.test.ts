/**
 * A browser whose clock runs ahead of the server's (minutes off happens on desktops).
 * Payload times are the server's and are compared as they are (README, SvelteKit,
 * "Hydration never overwrites newer data"): a difference between the clocks shifts the
 * judgement by that much. Found by dogfooding a SvelteKit app with Chromium's clock 5
 * minutes ahead: after a fetch the browser made itself, a form action's server load
 * brought the saved post, and the list kept the browser's data without it. The README
 * states the limits these tests pin, and the recipe (invalidate after the action) that
 * covers them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, dehydrate, hydrate } from '../../src/lib/index.js';
import { MINUTE, SECOND, advance, flush, steppableClock, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

const staleTime = MINUTE;

function setUp() {
	const posts = ['hello'];
	const fetcher = vi.fn(async () => [...posts]);
	const ahead = steppableClock();
	ahead.step(5 * MINUTE); // the browser's clock runs 5 minutes ahead of the server's
	const browser = new QoraClient({ clock: ahead.clock, defaultOptions: { staleTime } });
	/** The server load of a fresh request (a form action's rerun): the list as it is now, as a payload. */
	async function serverPayload() {
		const server = new QoraClient({ defaultOptions: { staleTime } });
		await server.prefetchQuery({ key: ['posts'], fetcher });
		const payload = JSON.parse(JSON.stringify(dehydrate(server)));
		server.dispose();
		return payload;
	}
	return { posts, fetcher, browser, serverPayload };
}

describe('a server payload, with the browser clock ahead of the server clock', () => {
	it('is judged older than a fetch the browser made within the difference, so the browser keeps its own data', async () => {
		const { posts, fetcher, browser, serverPayload } = setUp();
		await browser.fetchQuery({ key: ['posts'], fetcher }); // a focus refetch, say
		await advance(10 * SECOND);
		posts.push('my new post'); // a form action saves it; its server load reruns
		hydrate(browser, await serverPayload());
		await flush();
		expect(browser.getQueryData(['posts'])).toEqual(['hello']);
		expect(browser.getState(['posts'])?.isStale).toBe(false);
	});

	it('brings the saved data in after the invalidate of the README recipe, for the list on screen', async () => {
		const { posts, fetcher, browser, serverPayload } = setUp();
		const list = browser.watchQuery({ key: ['posts'], fetcher });
		const stop = list.subscribe(() => {});
		await flush();
		await advance(10 * SECOND);
		posts.push('my new post');
		hydrate(browser, await serverPayload());
		await browser.invalidate(['posts']);
		expect(browser.getQueryData(['posts'])).toEqual(['hello', 'my new post']);
		stop();
	});

	it('replaces data the browser fetched longer ago than the difference, and arrives stale when the difference exceeds staleTime', async () => {
		const { posts, fetcher, browser, serverPayload } = setUp();
		await browser.fetchQuery({ key: ['posts'], fetcher });
		await advance(5 * MINUTE + SECOND);
		posts.push('my new post');
		hydrate(browser, await serverPayload());
		await flush();
		expect(browser.getQueryData(['posts'])).toEqual(['hello', 'my new post']);
		// Fetched a moment ago by the server's clock, 5 minutes ago by the browser's: stale, so a query on screen refetches it.
		expect(browser.getState(['posts'])?.isStale).toBe(true);
	});
});
