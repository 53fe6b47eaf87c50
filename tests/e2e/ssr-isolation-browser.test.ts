/**
 * Issue 5 item 7, in Chromium: two users' pages rendered by the server at the
 * same time each show, ship and cache only their own user. Latency keeps
 * both requests in flight together.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, useBrowser } from './support/browser.js';
import { resetDemo, setSettings } from './support/demo-api.js';
import { emails } from './support/emails.js';

useBrowser();
beforeEach(resetDemo);

describe('concurrent server renders', () => {
	test('two users rendered at the same time each get only their own data, in Chromium', async () => {
		await setSettings({ latencyMs: 400 });
		const [ada, grace] = await Promise.all([openPage('/users/1'), openPage('/users/2')]);
		expect(await ada.page.getByTestId('user-name').textContent()).toBe('Ada Lovelace');
		expect(await grace.page.getByTestId('user-name').textContent()).toBe('Grace Hopper');
		for (const [{ page }, own, key] of [
			[ada, 'ada@analytical.example', '["users",1]'],
			[grace, 'grace@compiler.example', '["users",2]']
		] as const) {
			// On screen, in the payload the server wrote, and in the browser's cache.
			expect(emails(await page.content())).toEqual([own]);
			expect(emails(await page.evaluate(() => document.getElementById('__qora_state')?.textContent ?? ''))).toEqual([own]);
			expect(await page.evaluate(() => window.__qoraDemoClient?.keys().map((key) => JSON.stringify(key)))).toEqual([key]);
		}
	});
});
