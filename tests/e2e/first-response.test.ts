/**
 * Issue 5 item 1: the server's first response already holds the prefetched
 * data, both rendered and in the payload, with no loading state.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { rawHtml, resetDemo } from './support/demo-api.js';
import { payloadKeys, payloadOf } from './support/payload.js';

beforeEach(resetDemo);

describe('the first response', () => {
	test('of /users/3 (prefetched in +page.ts) renders the user and carries it in the payload', async () => {
		const html = await rawHtml('/users/3');
		expect(html).toContain('<h1 data-testid="user-name">Alan Turing</h1>');
		expect(html).toContain('<dd data-testid="user-email">alan@bletchley.example</dd>');
		expect(html).toContain('<dd data-testid="user-motto">We can only see a short distance ahead.</dd>');
		expect(html).not.toContain('Loading');
		const payload = payloadOf(html);
		expect(payload.version).toBe(1);
		expect(payloadKeys(html)).toEqual(['["users",3]']);
		expect(payload.entries[0]).toMatchObject({ status: 'success', data: { id: 3, email: 'alan@bletchley.example' } });
	});

	test('of /users lists at least five users, each linking to its page', async () => {
		const html = await rawHtml('/users');
		const links = [...html.matchAll(/<a href="\/users\/(\d+)">([^<]+)<\/a>/g)].map(([, id, name]) => ({ id, name }));
		expect(links.length).toBeGreaterThanOrEqual(5);
		expect(links).toContainEqual({ id: '1', name: 'Ada Lovelace' });
		expect(html).not.toContain('Loading');
		expect(payloadKeys(html)).toEqual(['["users"]']);
	});

	test('of /posts (prefetched in +page.server.ts) renders the posts and carries them in the payload', async () => {
		const html = await rawHtml('/posts');
		expect(html).toContain('<h2 data-testid="post-title">Why stale-while-revalidate</h2>');
		expect(html).not.toContain('Loading');
		expect(payloadKeys(html)).toEqual(['["posts"]']);
	});

	test('of /dashboard renders the stats with the query idle', async () => {
		const html = await rawHtml('/dashboard');
		expect(html).toMatch(/<dd data-testid="dashboard-revision">\d+<\/dd>/);
		expect(html).toContain('data-testid="dashboard-fetch-status">idle<');
		expect(html).not.toContain('Loading');
	});
});
