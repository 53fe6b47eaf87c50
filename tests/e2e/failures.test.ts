/**
 * A failing API: the page's load asks once and lets the navigation through, and
 * the page's query retries where the user sees it, then shows the error.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, quietPeriod, useBrowser } from './support/browser.js';
import { requestCount, resetDemo, resetRequestCounts, setSettings } from './support/demo-api.js';

useBrowser();
beforeEach(resetDemo);

describe('a failing profile', () => {
	test('the load asks once, the page retries visibly, then shows the error: one retry cycle, not two', async () => {
		const { page } = await openPage('/users');
		await setSettings({ failRoutes: ['user'] });
		await resetRequestCounts();
		await page.getByRole('link', { name: 'Grace Hopper' }).click();
		await page.waitForURL('**/users/2');
		// The load's failure shows at once; the page's query retries meanwhile.
		await page.getByTestId('user-error').waitFor({ timeout: 5_000 });
		// The load's one attempt, then the page's query: its first attempt and two retries (the demo's policy).
		await expect.poll(() => requestCount('GET /api/users/2'), { timeout: 10_000 }).toBe(1 + 3);
		await expect.poll(() => page.getByTestId('user-fetch-status').textContent(), { timeout: 10_000 }).toBe('idle');
		await quietPeriod(page);
		expect(await requestCount('GET /api/users/2')).toBe(1 + 3);
		expect(await page.getByTestId('user-error').isVisible()).toBe(true);
	});
});
