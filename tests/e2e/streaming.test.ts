/**
 * A server load that streams its payload (prefetchOnServer not awaited): the page
 * renders at once, the payload follows in the same response, and the browser's query,
 * held until it settles (the README's recipe), shows it without a request of its own.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, useBrowser } from './support/browser.js';
import { rawHtml, requestCount, resetDemo, resetRequestCounts } from './support/demo-api.js';

useBrowser();
beforeEach(resetDemo);

describe('/posts/streamed', () => {
	test('answers with the page first and the streamed payload after it', async () => {
		const html = await rawHtml('/posts/streamed');
		expect(html).toContain('<h1>Posts, streamed</h1>');
		expect(html).toContain('data-testid="streamed-loading"');
		// The payload, serialized by SvelteKit after the page's markup.
		expect(html.indexOf('Why stale-while-revalidate')).toBeGreaterThan(html.indexOf('<h1>Posts, streamed</h1>'));
	});

	test('shows the streamed posts in the browser without fetching them again', async () => {
		await resetRequestCounts();
		const { page } = await openPage('/posts/streamed');
		await page.getByTestId('streamed-post-title').filter({ hasText: 'Why stale-while-revalidate' }).waitFor();
		expect(await requestCount('GET /api/posts')).toBe(0);
	});
});
