/**
 * Issue 5 item 5 and the /posts page: the create form's mutation is followed
 * by a refetch of the list (invalidation), and an optimistic like shows at
 * once, then stays on success or rolls back on an injected server failure.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, useBrowser, waitForTexts } from './support/browser.js';
import { requestCount, resetDemo, resetRequestCounts, setSettings, url } from './support/demo-api.js';
import type { Post } from '../../src/demo/types.js';

useBrowser();
beforeEach(resetDemo);

const LATENCY_MS = 1_000;

async function serverLikes(id: number): Promise<number> {
	const posts = (await (await fetch(url('/api/posts'))).json()) as Post[];
	const post = posts.find((candidate) => candidate.id === id);
	if (!post) throw new Error(`no post ${id}`);
	return post.likes;
}

describe('/posts', () => {
	test('a created post appears after the list is invalidated and refetched', async () => {
		const { page } = await openPage('/posts');
		const title = `Written by the e2e test ${Date.now()}`;
		await resetRequestCounts();
		await page.getByLabel('Title').fill(title);
		await page.getByLabel('Text').fill('Hello from Chromium.');
		await page.getByRole('button', { name: 'Publish' }).click();
		await page.getByTestId('post-title').filter({ hasText: title }).waitFor();
		expect(await requestCount('POST /api/posts')).toBe(1);
		expect(await requestCount('GET /api/posts')).toBe(1);
		expect(await page.getByLabel('Title').inputValue()).toBe('');
	});

	test('an optimistic like shows before the server answers and stays when it succeeds', async () => {
		const { page } = await openPage('/posts');
		const likes = page.getByTestId('likes-1');
		const before = Number(await likes.textContent());
		await setSettings({ latencyMs: LATENCY_MS });
		await page.getByTestId('like-1').click();
		// Counted while the request is still running.
		// The layout's global indicator (createIsMutating) counts the like being saved.
		await waitForTexts(page, { 'likes-1': String(before + 1), 'like-status-1': { includes: 'Saving your like' }, activity: { includes: 'saving 1' } });
		await expect.poll(() => page.getByTestId('like-status-1').textContent(), { timeout: 10_000 }).not.toContain('Saving');
		await expect.poll(() => page.getByTestId('posts-fetch-status').textContent(), { timeout: 10_000 }).toBe('idle');
		expect(Number(await likes.textContent())).toBe(before + 1);
		expect(await serverLikes(1)).toBe(before + 1);
	});

	test('an optimistic like rolls back when the server fails', async () => {
		const { page } = await openPage('/posts');
		const likes = page.getByTestId('likes-2');
		const before = Number(await likes.textContent());
		await setSettings({ latencyMs: LATENCY_MS, failRoutes: ['likePost'] });
		await page.getByTestId('like-2').click();
		await waitForTexts(page, { 'likes-2': String(before + 1), 'like-status-2': { includes: 'Saving your like' } });

		await page.getByTestId('like-status-2').filter({ hasText: 'rolled back' }).waitFor({ timeout: 10_000 });
		expect(Number(await likes.textContent())).toBe(before);
		await expect.poll(() => page.getByTestId('posts-fetch-status').textContent(), { timeout: 10_000 }).toBe('idle');
		expect(Number(await likes.textContent())).toBe(before);
		expect(await serverLikes(2)).toBe(before);
	});

	test('overlapping likes: the one that fails rolls back only itself; the other stays counted and is saved', async () => {
		const { page } = await openPage('/posts');
		const likes = (id: number) => page.getByTestId(`likes-${id}`).textContent().then(Number);
		const before1 = await likes(1);
		const before2 = await likes(2);
		await setSettings({ latencyMs: 1_500 });
		// Post 1's like fails quickly while post 2's is still being saved.
		await page.route('**/api/posts/1/like', async (route) => {
			await new Promise((resolve) => setTimeout(resolve, 300));
			await route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ message: 'Injected failure' }) });
		});
		await page.getByTestId('like-2').click();
		await page.getByTestId('like-1').click();
		await waitForTexts(page, { 'likes-1': String(before1 + 1), 'likes-2': String(before2 + 1) });

		await page.getByTestId('like-status-1').filter({ hasText: 'rolled back' }).waitFor({ timeout: 10_000 });
		expect(await likes(1)).toBe(before1);
		expect(await likes(2)).toBe(before2 + 1);
		expect(await page.getByTestId('like-status-2').textContent()).toContain('Saving your like');

		await expect.poll(() => page.getByTestId('like-status-2').textContent(), { timeout: 10_000 }).not.toContain('Saving');
		await expect.poll(() => page.getByTestId('posts-fetch-status').textContent(), { timeout: 10_000 }).toBe('idle');
		expect(await likes(1)).toBe(before1);
		expect(await likes(2)).toBe(before2 + 1);
		expect(await serverLikes(1)).toBe(before1);
		expect(await serverLikes(2)).toBe(before2 + 1);
	});
});
