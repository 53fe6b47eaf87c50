/**
 * The dashboard polls with refetchInterval and shows that it is fetching
 * while its data stays on screen.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, useBrowser } from './support/browser.js';
import { resetDemo, setSettings } from './support/demo-api.js';

useBrowser();
beforeEach(resetDemo);

describe('/dashboard', () => {
	test('polls: each refetch shows "fetching" next to the old numbers, then new numbers', async () => {
		await setSettings({ pollMs: 500, latencyMs: 400 });
		const { page, sawLoading } = await openPage('/dashboard');
		const revision = page.getByTestId('dashboard-revision');
		const first = Number(await revision.textContent());
		// A moment where a poll is running and the previous numbers are still shown.
		const shownWhileFetching = await page.waitForFunction(() => {
			const status = document.querySelector('[data-testid="dashboard-fetch-status"]')?.textContent;
			const shown = document.querySelector('[data-testid="dashboard-revision"]')?.textContent;
			return status === 'fetching' && shown ? Number(shown) : false;
		});
		expect(await shownWhileFetching.jsonValue()).toBeGreaterThanOrEqual(first);
		await expect.poll(async () => Number(await revision.textContent()), { timeout: 10_000 }).toBeGreaterThan(first);
		await expect.poll(async () => Number(await revision.textContent()), { timeout: 10_000 }).toBeGreaterThan(first + 1);
		expect(await sawLoading()).toBe(false);
	});
});
