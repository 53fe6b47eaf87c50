/**
 * Issue 5 item 6: offline, a fetch waits with fetchStatus "paused" (shown in
 * the UI, data still on screen); back online it resumes and completes.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, useBrowser } from './support/browser.js';
import { requestCount, resetDemo, resetRequestCounts } from './support/demo-api.js';

useBrowser();
beforeEach(resetDemo);

describe('going offline', () => {
	test('pauses a fetch, visibly, and reconnecting resumes it', async () => {
		const { page, context } = await openPage('/users/6');
		const views = page.getByTestId('user-views');
		const before = Number(await views.textContent());
		await resetRequestCounts();

		await context.setOffline(true);
		await page.getByTestId('connection').filter({ hasText: 'offline' }).waitFor();
		await page.getByTestId('user-refresh').click();
		await page.getByTestId('user-fetch-status').filter({ hasText: 'paused' }).waitFor();
		await page.getByText('offline: waiting for the connection').waitFor();
		expect(await page.getByTestId('user-name').textContent()).toBe('Barbara Liskov');
		expect(await requestCount('GET /api/users/6')).toBe(0);

		await context.setOffline(false);
		await page.getByTestId('connection').filter({ hasText: 'online' }).waitFor();
		await expect.poll(async () => Number(await views.textContent()), { timeout: 10_000 }).toBeGreaterThan(before);
		expect(await page.getByTestId('user-fetch-status').textContent()).toBe('idle');
		expect(await requestCount('GET /api/users/6')).toBe(1);
	});

	test('navigating offline to a page not in the cache shows it at once, paused, and it loads on reconnect', async () => {
		const { page, context, errors } = await openPage('/users/6');
		await context.setOffline(true);
		await page.getByTestId('connection').filter({ hasText: 'offline' }).waitFor();
		await page.getByTestId('user-next').click();
		await page.waitForURL('**/users/7', { timeout: 5_000 });
		await page.getByTestId('user-fetch-status').filter({ hasText: 'paused' }).waitFor();
		expect(await page.getByTestId('user-name').count()).toBe(0);

		await context.setOffline(false);
		await page.getByTestId('user-name').waitFor({ timeout: 10_000 });
		expect(await page.getByTestId('user-fetch-status').textContent()).toBe('idle');
		expect(errors).toEqual([]);
	});
});
