/**
 * Issue 5 item 2: after hydration the browser repeats no API request while the
 * data is fresh, for data prefetched in +page.ts and in +page.server.ts, and
 * the first paint in the browser shows the data, never a loading state.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, quietPeriod, useBrowser } from './support/browser.js';
import { requestCount, requestCounts, resetDemo } from './support/demo-api.js';

useBrowser();
beforeEach(resetDemo);

describe('after hydration', () => {
	test('a page prefetched in +page.ts fetches nothing again while fresh', async () => {
		const { page, errors, sawLoading } = await openPage('/users/3');
		// Subscribing at mount would have started a fetch synchronously: the state says none did.
		expect(await page.getByTestId('user-fetch-status').textContent()).toBe('idle');
		expect(await page.getByTestId('user-freshness').textContent()).toBe('fresh');
		expect(await page.evaluate(() => window.__qoraDemoClient?.getState(['users', 3])?.fetchStatus)).toBe('idle');
		await quietPeriod(page);
		// The one request is the server's, during rendering.
		expect(await requestCount('GET /api/users/3')).toBe(1);
		expect((await requestCounts()).total).toBe(1);
		expect(await page.getByTestId('user-name').textContent()).toBe('Alan Turing');
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
	});

	test('a page prefetched in +page.server.ts fetches nothing from the API at all', async () => {
		const { page, errors, sawLoading } = await openPage('/posts');
		expect(await page.getByTestId('posts-fetch-status').textContent()).toBe('idle');
		await quietPeriod(page);
		// The server load read the database directly; the browser never asked the API.
		expect((await requestCounts()).total).toBe(0);
		expect(await page.getByTestId('post-list').locator('li').count()).toBeGreaterThanOrEqual(3);
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
	});

	test('client-side navigation to a +page.server.ts page hydrates its payload before the page subscribes', async () => {
		const { page, errors, sawLoading } = await openPage('/');
		await page.getByRole('link', { name: 'Posts' }).first().click();
		await page.waitForURL('**/posts');
		await expect.poll(() => page.getByTestId('post-list').locator('li').count()).toBeGreaterThanOrEqual(3);
		expect(await page.getByTestId('posts-fetch-status').textContent()).toBe('idle');
		await quietPeriod(page);
		expect(await requestCount('GET /api/posts')).toBe(0);
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
	});
});
