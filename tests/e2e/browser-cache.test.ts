/**
 * Issue 5 items 4 and 8: a client-side navigation to cached data shows it at
 * once with no request, and rerunning every load (`invalidateAll()`, which
 * reruns the root layout's load) keeps the browser's client and its cache.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, quietPeriod, useBrowser } from './support/browser.js';
import { requestCount, requestCounts, resetDemo, resetRequestCounts, setSettings } from './support/demo-api.js';

useBrowser();
beforeEach(resetDemo);

// Any request made now would take this long; the assertions below wait less.
const SLOW_MS = 8_000;

describe('the browser cache', () => {
	test('serves a client-side navigation to a cached page at once, with no request', async () => {
		const { page, sawLoading } = await openPage('/users/1');
		await page.getByRole('link', { name: '← All users' }).click();
		await page.getByTestId('user-list').waitFor();

		await setSettings({ latencyMs: SLOW_MS });
		await resetRequestCounts();
		await page.getByRole('link', { name: 'Ada Lovelace' }).click();
		await page.getByTestId('user-name').filter({ hasText: 'Ada Lovelace' }).waitFor({ timeout: SLOW_MS / 2 });
		expect(await page.getByTestId('user-fetch-status').textContent()).toBe('idle');

		// And back to the list, also cached.
		await page.getByRole('link', { name: '← All users' }).click();
		await page.getByTestId('user-list').waitFor({ timeout: SLOW_MS / 2 });
		expect((await requestCounts()).total).toBe(0);
		expect(await sawLoading()).toBe(false);
	});

	test('survives invalidateAll(): the same client, its entries kept, nothing refetched while fresh', async () => {
		const { page, sawLoading } = await openPage('/users/5');
		await page.getByRole('link', { name: '← All users' }).click();
		await page.getByTestId('user-list').waitFor();
		await page.evaluate(() => {
			(window as unknown as { __firstClient: unknown }).__firstClient = window.__qoraDemoClient;
		});
		const profileState = () =>
			page.evaluate(() => {
				const state = window.__qoraDemoClient?.getState<{ name: string; profileViews: number }>(['users', 5]);
				return { name: state?.data?.name, views: state?.data?.profileViews, at: state?.dataUpdatedAt };
			});
		const before = await profileState();

		await resetRequestCounts();
		await page.getByTestId('invalidate-all').click();
		await page.getByTestId('reload-count').filter({ hasText: '1' }).waitFor();

		expect(
			await page.evaluate(() => window.__qoraDemoClient === (window as unknown as { __firstClient: unknown }).__firstClient)
		).toBe(true);
		// The profile visited before is still cached, and its data did not move: not refetched (a refetch counts a view).
		expect(before.name).toBe('Edsger Dijkstra');
		expect(await profileState()).toEqual(before);
		await quietPeriod(page);
		expect(await requestCount('GET /api/users')).toBe(0);

		await setSettings({ latencyMs: SLOW_MS });
		await page.getByRole('link', { name: 'Edsger Dijkstra' }).click();
		await page.getByTestId('user-name').filter({ hasText: 'Edsger Dijkstra' }).waitFor({ timeout: SLOW_MS / 2 });
		expect((await requestCounts()).total).toBe(0);
		expect(await sawLoading()).toBe(false);
	});
});
