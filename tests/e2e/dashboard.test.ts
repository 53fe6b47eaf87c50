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
		// Watch one whole poll in the page: the numbers shown while it runs are the ones shown
		// just before it started, and the ones after it are newer.
		const poll = await page.waitForFunction(
			() => {
				const w = window as unknown as { __poll?: { before: number; during: number[]; after?: number }; __last?: number };
				const status = document.querySelector('[data-testid="dashboard-fetch-status"]')?.textContent;
				const shown = Number(document.querySelector('[data-testid="dashboard-revision"]')?.textContent);
				if (status === 'fetching') {
					// A poll already running when the watch began has no "before": wait for the next one.
					if (w.__last === undefined) return false;
					w.__poll ??= { before: w.__last, during: [] };
					w.__poll.during.push(shown);
				} else if (w.__poll) {
					w.__poll.after = shown;
					return w.__poll;
				} else {
					w.__last = shown;
				}
				return false;
			},
			undefined,
			{ polling: 'raf', timeout: 10_000 }
		);
		const { before, during, after } = (await poll.jsonValue()) as { before: number; during: number[]; after: number };
		expect(before).toBeGreaterThanOrEqual(first);
		expect(during.length).toBeGreaterThan(0);
		expect(new Set(during)).toEqual(new Set([before]));
		expect(after).toBeGreaterThan(before);
		await expect.poll(async () => Number(await revision.textContent()), { timeout: 10_000 }).toBeGreaterThan(first);
		await expect.poll(async () => Number(await revision.textContent()), { timeout: 10_000 }).toBeGreaterThan(first + 1);
		expect(await sawLoading()).toBe(false);
	});
});
