/**
 * Issue 5 item 6: offline, a fetch waits with fetchStatus "paused" (shown in
 * the UI, data still on screen); back online it resumes and completes. A
 * mutation waits the same way.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, useBrowser } from './support/browser.js';
import { requestCount, resetDemo, resetRequestCounts, url } from './support/demo-api.js';
import type { Post } from '../../src/demo/types.js';

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

	test('an optimistic like made offline shows at once, waits for the connection, and is saved on reconnect', async () => {
		const { page, context, errors } = await openPage('/posts');
		const likes = page.getByTestId('likes-3');
		const before = Number(await likes.textContent());
		await resetRequestCounts();
		await context.setOffline(true);
		await page.getByTestId('connection').filter({ hasText: 'offline' }).waitFor();
		await page.getByTestId('like-3').click();
		await page.getByTestId('like-status-3').filter({ hasText: 'saved when the connection is back' }).waitFor();
		expect(Number(await likes.textContent())).toBe(before + 1);
		expect(await requestCount('POST /api/posts/3/like')).toBe(0);

		await context.setOffline(false);
		await expect.poll(async () => (await page.getByTestId('like-status-3').textContent())?.trim(), { timeout: 10_000 }).toBe('');
		expect(await requestCount('POST /api/posts/3/like')).toBe(1);
		const posts = (await (await fetch(url('/api/posts'))).json()) as Post[];
		expect(posts.find((post) => post.id === 3)?.likes).toBe(before + 1);
		expect(Number(await likes.textContent())).toBe(before + 1);
		expect(errors).toEqual([]);
	});
});
