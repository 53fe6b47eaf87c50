/**
 * Issue 5 item 3: once data is stale, regaining focus or navigating back to
 * the page refetches in the background; the old data stays on screen until
 * the new data replaces it. While data is fresh, focus fetches nothing. The
 * short stale time comes from the demo's settings (read when a browser
 * session starts), not from waiting minutes.
 */
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, test } from 'vitest';
import { focusPage, openPage, quietPeriod, useBrowser, waitForTexts } from './support/browser.js';
import { requestCount, requestCounts, resetDemo, resetRequestCounts, setSettings } from './support/demo-api.js';

useBrowser();
beforeEach(resetDemo);

const STALE_MS = 1_000;
const LATENCY_MS = 1_500;

async function views(page: Page): Promise<number> {
	return Number(await page.getByTestId('user-views').textContent());
}

describe('fresh data', () => {
	test('is not refetched when the page regains focus', async () => {
		// Default settings: fresh for a minute.
		const { page } = await openPage('/users/8');
		await resetRequestCounts();
		await focusPage(page);
		expect(await page.getByTestId('user-fetch-status').textContent()).toBe('idle');
		await quietPeriod(page);
		expect((await requestCounts()).total).toBe(0);
	});
});

describe('stale data', () => {
	test('is refetched in the background when the page regains focus', async () => {
		await setSettings({ staleTimeMs: STALE_MS });
		const { page, sawLoading } = await openPage('/users/2');
		await page.getByTestId('user-freshness').filter({ hasText: 'stale' }).waitFor();
		// Slow responses, so the background fetch can be watched.
		await setSettings({ latencyMs: LATENCY_MS });
		await resetRequestCounts();
		const before = await views(page);

		await focusPage(page);
		// The old data, on screen while the request runs.
		// The layout's global indicator (createIsFetching) counts it.
		await waitForTexts(page, { 'user-fetch-status': 'fetching', 'user-views': String(before), 'user-name': 'Grace Hopper', activity: 'fetching 1' });
		await expect.poll(() => views(page), { timeout: 10_000 }).toBeGreaterThan(before);
		expect(await page.getByTestId('user-fetch-status').textContent()).toBe('idle');
		expect((await page.getByTestId('activity').textContent())?.trim()).toBe('');
		expect(await page.getByTestId('user-freshness').textContent()).toBe('fresh');
		expect(await requestCount('GET /api/users/2')).toBe(1);
		expect(await sawLoading()).toBe(false);
	});

	test('is not refetched when the user clicks into an iframe of the page and back (the window blurs and regains focus)', async () => {
		await setSettings({ staleTimeMs: STALE_MS });
		const { page } = await openPage('/users/2');
		await page.getByTestId('user-freshness').filter({ hasText: 'stale' }).waitFor();
		// An embedded form, as a payment provider's card field is: real clicks move the focus in and out.
		await page.evaluate(() => {
			const frame = document.createElement('iframe');
			frame.srcdoc = '<input id="card">';
			document.body.append(frame);
		});
		const frame = await (await page.waitForSelector('iframe')).contentFrame();
		await resetRequestCounts();
		await frame!.click('#card');
		expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('IFRAME');
		await page.getByTestId('user-name').click();
		expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
		await quietPeriod(page);
		expect(await requestCount('GET /api/users/2')).toBe(0);
		// A return from elsewhere still refetches the stale profile.
		await focusPage(page);
		await expect.poll(() => requestCount('GET /api/users/2'), { timeout: 10_000 }).toBe(1);
	});

	test('is refetched in the background when navigating back to its page client-side', async () => {
		await setSettings({ staleTimeMs: STALE_MS });
		const { page, sawLoading } = await openPage('/users/4');
		await page.getByRole('link', { name: '← All users' }).click();
		await page.getByTestId('user-list').waitFor();
		// The profile is not watched now; wait until the client considers it stale.
		await page.waitForFunction(() => window.__qoraDemoClient?.getState(['users', 4])?.isStale === true);
		const before = await page.evaluate(
			() => window.__qoraDemoClient?.getQueryData<{ profileViews: number }>(['users', 4])?.profileViews
		);

		await setSettings({ latencyMs: LATENCY_MS });
		await resetRequestCounts();
		await page.getByRole('link', { name: 'Katherine Johnson' }).click();
		await page.waitForURL('**/users/4');
		// The cached profile shows at once, marked as updating.
		await waitForTexts(page, { 'user-fetch-status': 'fetching', 'user-views': String(before) });

		await expect.poll(() => views(page), { timeout: 10_000 }).toBeGreaterThan(before ?? Infinity);
		expect(await requestCount('GET /api/users/4')).toBe(1);
		expect(await sawLoading()).toBe(false);
	});
});
