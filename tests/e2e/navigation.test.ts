/**
 * Client-side navigation as a user does it: links, the browser's back and forward
 * buttons, "Rerun all loads" (invalidateAll) while a fetch or a mutation is in
 * flight, and streamed pages reached by a link. Cached fresh data shows at once
 * with no request and no loading state; stale data shows at once and refreshes
 * in the background; nothing logs an error or a warning.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, quietPeriod, useBrowser, waitForTexts } from './support/browser.js';
import { requestCount, requestCounts, resetDemo, resetRequestCounts, setSettings, url } from './support/demo-api.js';
import type { Post } from '../../src/demo/types.js';

useBrowser();
beforeEach(resetDemo);

// Any request made now would take this long; the assertions below wait less.
const SLOW_MS = 8_000;

describe('back and forward', () => {
	test('between pages already visited shows each at once, fetching nothing while fresh', async () => {
		const { page, errors, warnings, sawLoading } = await openPage('/users/1');
		await page.getByRole('link', { name: '← All users' }).click();
		await page.getByTestId('user-list').waitFor();
		await page.getByRole('link', { name: 'Grace Hopper' }).click();
		await page.getByTestId('user-name').filter({ hasText: 'Grace Hopper' }).waitFor();

		await setSettings({ latencyMs: SLOW_MS });
		await resetRequestCounts();
		const quick = { timeout: SLOW_MS / 2 };
		await page.goBack(quick);
		await page.getByTestId('user-list').waitFor(quick);
		await page.goBack(quick);
		await page.getByTestId('user-name').filter({ hasText: 'Ada Lovelace' }).waitFor(quick);
		expect(await page.getByTestId('user-fetch-status').textContent()).toBe('idle');
		await page.goForward(quick);
		await page.getByTestId('user-list').waitFor(quick);
		await page.goForward(quick);
		await page.getByTestId('user-name').filter({ hasText: 'Grace Hopper' }).waitFor(quick);
		expect(await page.getByTestId('user-fetch-status').textContent()).toBe('idle');
		await quietPeriod(page);
		expect((await requestCounts()).total).toBe(0);
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});

	test('back to a page whose data went stale shows it at once and refetches it in the background, once', async () => {
		await setSettings({ staleTimeMs: 1_000 });
		const { page, errors, warnings, sawLoading } = await openPage('/users/3');
		await page.getByRole('link', { name: '← All users' }).click();
		await page.getByTestId('user-list').waitFor();
		await page.waitForFunction(() => window.__qoraDemoClient?.getState(['users', 3])?.isStale === true);
		const before = Number(await page.evaluate(() => window.__qoraDemoClient?.getQueryData<{ profileViews: number }>(['users', 3])?.profileViews));

		await setSettings({ latencyMs: 1_500 });
		await resetRequestCounts();
		await page.goBack();
		// The load joins the page's background refetch; the cached profile shows meanwhile.
		await waitForTexts(page, { 'user-name': 'Alan Turing', 'user-views': String(before) });
		await expect.poll(() => page.getByTestId('user-views').textContent().then(Number), { timeout: 10_000 }).toBeGreaterThan(before);
		await quietPeriod(page);
		expect(await requestCount('GET /api/users/3')).toBe(1);
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});
});

describe('leaving a page', () => {
	test('to another user with the same page component: no loading state, and back again fetches nothing', async () => {
		const { page, errors, warnings, sawLoading } = await openPage('/users/1');
		await setSettings({ latencyMs: 800 });
		await page.getByTestId('user-next').click();
		await page.getByTestId('user-name').filter({ hasText: 'Grace Hopper' }).waitFor();
		await resetRequestCounts();
		await page.goBack();
		await page.getByTestId('user-name').filter({ hasText: 'Ada Lovelace' }).waitFor({ timeout: 600 });
		await quietPeriod(page);
		expect((await requestCounts()).total).toBe(0);
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});

	test('while a like is saving: if it fails, it is rolled back all the same', async () => {
		const { page } = await openPage('/posts');
		const before = Number(await page.getByTestId('likes-3').textContent());
		await setSettings({ latencyMs: 1_000, failRoutes: ['likePost'] });
		await resetRequestCounts();
		await page.getByTestId('like-3').click();
		await waitForTexts(page, { 'likes-3': String(before + 1) });
		await page.getByRole('link', { name: 'Users' }).click();
		await page.getByTestId('user-list').waitFor();
		const cachedLikes = () =>
			page.evaluate(() => window.__qoraDemoClient?.getQueryData<{ id: number; likes: number }[]>(['posts'])?.find((post) => post.id === 3)?.likes);
		await expect.poll(() => requestCount('POST /api/posts/3/like'), { timeout: 10_000 }).toBe(1);
		await expect.poll(cachedLikes, { timeout: 10_000 }).toBe(before);
		await setSettings({ latencyMs: 0, failRoutes: [] });
		await page.getByRole('link', { name: 'Posts', exact: true }).click();
		await page.getByTestId('post-list').waitFor();
		expect(Number(await page.getByTestId('likes-3').textContent())).toBe(before);
		const posts = (await (await fetch(url('/api/posts'))).json()) as Post[];
		expect(posts.find((post) => post.id === 3)?.likes).toBe(before);
	});

	test('that polls stops its polling, and coming back resumes it', async () => {
		await setSettings({ pollMs: 300 });
		const { page } = await openPage('/dashboard');
		await expect.poll(() => requestCount('GET /api/dashboard'), { timeout: 5_000 }).toBeGreaterThan(1);
		await page.getByRole('link', { name: 'Users' }).click();
		await page.getByTestId('user-list').waitFor();
		await quietPeriod(page);
		await resetRequestCounts();
		await quietPeriod(page, 1_500);
		expect(await requestCount('GET /api/dashboard')).toBe(0);
		await page.goBack();
		await expect.poll(() => requestCount('GET /api/dashboard'), { timeout: 5_000 }).toBeGreaterThan(1);
	});
});

describe('"Rerun all loads" (invalidateAll)', () => {
	test('on each page, with its data fresh: nothing fetched, nothing shown loading (the streamed page too, slow or not)', async () => {
		// Long enough that the dashboard does not poll during the test.
		await setSettings({ pollMs: 60_000 });
		for (const [path, latencyMs] of [['/dashboard', 0], ['/users/1', 0], ['/posts', 0], ['/posts/streamed', 0], ['/posts/streamed', 1_500]] as const) {
			await setSettings({ latencyMs: 0 });
			const { page, errors, warnings, sawLoading, resetSawLoading } = await openPage(path);
			await quietPeriod(page);
			await resetSawLoading();
			await setSettings({ latencyMs });
			await resetRequestCounts();
			await page.getByTestId('invalidate-all').click();
			await page.getByTestId('reload-count').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
			await quietPeriod(page, 750 + latencyMs);
			expect({ path, requests: (await requestCounts()).total, sawLoading: await sawLoading(), errors, warnings }).toEqual({
				path,
				requests: 0,
				sawLoading: false,
				errors: [],
				warnings: []
			});
			await page.context().close();
		}
	});

	test('while a refetch is in flight joins it: one request, the new data shown', async () => {
		const { page, errors, warnings, sawLoading } = await openPage('/users/2');
		const before = Number(await page.getByTestId('user-views').textContent());
		await setSettings({ latencyMs: 1_500 });
		await resetRequestCounts();
		await page.getByTestId('user-refresh').click();
		await waitForTexts(page, { 'user-fetch-status': 'fetching', 'user-views': String(before) });
		await page.getByTestId('invalidate-all').click();
		await page.getByTestId('reload-count').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
		await waitForTexts(page, { 'user-fetch-status': 'idle', 'user-views': String(before + 1) }, 10_000);
		await quietPeriod(page);
		expect(await requestCount('GET /api/users/2')).toBe(1);
		expect(Number(await page.getByTestId('user-views').textContent())).toBe(before + 1);
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});

	test('while a mutation is in flight: the created post shows once saved, and stays', async () => {
		const { page, errors, warnings, sawLoading } = await openPage('/posts');
		const title = `Rerun while saving ${Date.now()}`;
		await setSettings({ latencyMs: 1_000 });
		await resetRequestCounts();
		await page.getByLabel('Title').fill(title);
		await page.getByRole('button', { name: 'Publish' }).click();
		await page.getByRole('button', { name: 'Publishing…' }).waitFor();
		await page.getByTestId('invalidate-all').click();
		await page.getByTestId('reload-count').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
		await page.getByTestId('post-title').filter({ hasText: title }).waitFor({ timeout: 10_000 });
		await expect.poll(() => page.getByTestId('posts-fetch-status').textContent(), { timeout: 10_000 }).toBe('idle');
		await quietPeriod(page);
		expect(await page.getByTestId('post-title').filter({ hasText: title }).count()).toBe(1);
		expect(await requestCount('POST /api/posts')).toBe(1);
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});
});

describe('"Rerun all loads" during an optimistic like', () => {
	test('keeps the like in the end: saved, and shown once the like has settled', async () => {
		const { page, errors, warnings } = await openPage('/posts');
		const before = Number(await page.getByTestId('likes-1').textContent());
		await setSettings({ latencyMs: 1_500 });
		await page.getByTestId('like-1').click();
		await waitForTexts(page, { 'likes-1': String(before + 1), 'like-status-1': { includes: 'Saving your like' } });
		// The rerun server load reads the list before the like is saved; its payload is newer than
		// the optimistic write, so it shows until the like settles and the list is refetched (as the
		// README's "Optimistic updates" says).
		await page.getByTestId('invalidate-all').click();
		await page.getByTestId('reload-count').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
		await expect.poll(() => page.getByTestId('like-status-1').textContent(), { timeout: 10_000 }).not.toContain('Saving');
		await expect.poll(() => page.getByTestId('posts-fetch-status').textContent(), { timeout: 10_000 }).toBe('idle');
		await quietPeriod(page);
		expect(Number(await page.getByTestId('likes-1').textContent())).toBe(before + 1);
		const posts = (await (await fetch(url('/api/posts'))).json()) as Post[];
		expect(posts.find((post) => post.id === 1)?.likes).toBe(before + 1);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});
});

describe('the streamed page, reached by a link', () => {
	test('from a page that has the posts cached: shows them at once, the stream fills in, nothing fetched', async () => {
		const { page, errors, warnings, sawLoading } = await openPage('/posts');
		await resetRequestCounts();
		await page.getByRole('link', { name: 'The same posts, streamed' }).click();
		await page.waitForURL('**/posts/streamed');
		await page.getByTestId('streamed-post-title').first().waitFor();
		await quietPeriod(page);
		expect(await requestCount('GET /api/posts')).toBe(0);
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});

	test('with nothing cached: waits for the stream and fetches nothing itself', async () => {
		const { page, errors, warnings } = await openPage('/');
		await setSettings({ latencyMs: 800 });
		await resetRequestCounts();
		await page.getByRole('link', { name: 'Posts, streamed' }).click();
		await page.waitForURL('**/posts/streamed');
		await page.getByTestId('streamed-loading').waitFor();
		await page.getByTestId('streamed-post-title').first().waitFor({ timeout: 10_000 });
		await quietPeriod(page);
		expect(await requestCount('GET /api/posts')).toBe(0);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});

	test('left before the stream arrives and visited again: shows the posts, fetches nothing itself', async () => {
		const { page, errors, warnings } = await openPage('/');
		await setSettings({ latencyMs: 1_500 });
		await resetRequestCounts();
		await page.getByRole('link', { name: 'Posts, streamed' }).click();
		await page.waitForURL('**/posts/streamed');
		await page.getByTestId('streamed-loading').waitFor();
		await page.getByRole('link', { name: 'Home' }).click();
		await page.waitForURL((url) => url.pathname === '/');
		await page.getByRole('link', { name: 'Posts, streamed' }).click();
		await page.waitForURL('**/posts/streamed');
		await page.getByTestId('streamed-post-title').first().waitFor({ timeout: 10_000 });
		await quietPeriod(page, 2_000);
		expect(await requestCount('GET /api/posts')).toBe(0);
		expect(await page.getByTestId('streamed-post-title').count()).toBeGreaterThanOrEqual(3);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});
});

describe('a form action that redirects', () => {
	test('to /posts: the list shows the new post from the rerun server load, without an API request', async () => {
		const { page, errors, warnings, sawLoading } = await openPage('/posts');
		await page.getByRole('link', { name: 'Write one with a form action' }).click();
		await page.getByTestId('action-form').waitFor();
		const title = `Saved by a form action ${Date.now()}`;
		await resetRequestCounts();
		await page.getByLabel('Title').fill(title);
		await page.getByRole('button', { name: 'Save' }).click();
		await page.waitForURL(/\/posts$/);
		await page.getByTestId('post-title').filter({ hasText: title }).waitFor({ timeout: 5_000 });
		expect(await page.getByTestId('posts-fetch-status').textContent()).toBe('idle');
		await quietPeriod(page);
		expect(await page.getByTestId('post-title').filter({ hasText: title }).count()).toBe(1);
		// The redirect reran the list's server load, which read the database: no API request.
		expect((await requestCounts()).total).toBe(0);
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});

	test('a failed action stays on the form, with its input and the message', async () => {
		const { page, errors, warnings } = await openPage('/posts/new');
		await page.getByLabel('Text').fill('No title');
		await page.getByRole('button', { name: 'Save' }).click();
		await page.getByTestId('action-error').waitFor();
		expect(await page.getByLabel('Text').inputValue()).toBe('No title');
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});
});

describe('stale posts, then the streamed page', () => {
	test('shows the stale posts while the stream is on its way, and the stream replaces them without a request', async () => {
		await setSettings({ staleTimeMs: 1_000 });
		const { page, errors, warnings, sawLoading } = await openPage('/posts');
		await page.getByTestId('posts-freshness').filter({ hasText: 'stale' }).waitFor();
		await setSettings({ latencyMs: 1_500 });
		await resetRequestCounts();
		const before = await page.evaluate(() => window.__qoraDemoClient?.getState(['posts'])?.dataUpdatedAt);
		await page.getByRole('link', { name: 'The same posts, streamed' }).click();
		await page.waitForURL('**/posts/streamed');
		await page.getByTestId('streamed-post-title').first().waitFor();
		await page.waitForFunction(
			(at) => (window.__qoraDemoClient?.getState(['posts'])?.dataUpdatedAt ?? 0) > (at ?? 0),
			before,
			{ timeout: 10_000 }
		);
		await quietPeriod(page);
		expect(await requestCount('GET /api/posts')).toBe(0);
		expect(await sawLoading()).toBe(false);
		expect(errors).toEqual([]);
		expect(warnings).toEqual([]);
	});
});

describe('two tabs of one browser session', () => {
	test('each has its own client: what one tab cached, the other fetches', async () => {
		await setSettings({ latencyMs: 300 });
		const first = await openPage('/users/1');
		const second = await openPage('/users/2', first.context);
		expect(await first.page.evaluate(() => window.__qoraDemoClient?.keys().map((key) => JSON.stringify(key)))).toEqual(['["users",1]']);
		expect(await second.page.evaluate(() => window.__qoraDemoClient?.keys().map((key) => JSON.stringify(key)))).toEqual(['["users",2]']);
		await resetRequestCounts();
		await second.page.getByTestId('user-previous').click();
		await second.page.getByTestId('user-name').filter({ hasText: 'Ada Lovelace' }).waitFor();
		expect(await requestCount('GET /api/users/1')).toBe(1);
		for (const { errors, warnings } of [first, second]) {
			expect(errors).toEqual([]);
			expect(warnings).toEqual([]);
		}
	});
});
