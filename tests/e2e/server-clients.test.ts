/**
 * Issue 5: one client per server request, disposed when the response is done,
 * so nothing outlives a request on the server. The demo counts the request
 * clients it created that are still undisposed.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { liveServerClients, resetDemo, url } from './support/demo-api.js';

beforeEach(resetDemo);

async function status(path: string): Promise<number> {
	const response = await fetch(url(path));
	await response.arrayBuffer();
	return response.status;
}

describe('server request clients', () => {
	test('are disposed once each page is served: data pages, server-load pages, error pages', async () => {
		expect(await status('/users/3')).toBe(200);
		expect(await liveServerClients()).toBe(0);
		expect(await status('/posts')).toBe(200);
		expect(await status('/dashboard')).toBe(200);
		expect(await liveServerClients()).toBe(0);
		// A load that fails with 404 renders the error page inside the root layout.
		expect(await status('/users/5000')).toBe(404);
		expect(await status('/no-such-page')).toBe(404);
		expect(await liveServerClients()).toBe(0);
	});

	test('are all disposed after 50 concurrent renders', async () => {
		const statuses = await Promise.all(Array.from({ length: 50 }, (_, index) => status(`/users/${300 + index}`)));
		expect(statuses.every((code) => code === 200)).toBe(true);
		expect(await liveServerClients()).toBe(0);
	});
});
