/**
 * A streamed `qoraState` during server rendering: the render cannot wait for
 * it, and SvelteKit streams its value to the browser, which hydrates it. So
 * the server leaves it alone: nothing hydrated, nothing logged, no unhandled
 * rejection. It only holds the request client's fetches on subscribe, for good,
 * as the browser's first render holds them: its render shows the queries idle.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { hydrateOnce } from '../../src/lib/sveltekit/hydrate-once.js';
import { prefetchOnServer } from '../../src/lib/sveltekit/prefetch-on-server.js';
import { unhandledRejectionsDuring } from './unhandled-rejections.js';

vi.mock('$app/environment', () => ({ browser: false, building: false, dev: true, version: 'test' }));

afterEach(() => vi.restoreAllMocks());

describe('hydrateOnce with a streamed payload, on the server', () => {
	test('leaves it to the browser: the request client stays as it is, and nothing is logged', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		const streamed = prefetchOnServer((q) => q.prefetchQuery({ key: ['posts'], fetcher: () => ['p'] }));
		hydrateOnce(client, streamed, 'page.data.qoraState');
		await streamed;
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(error).not.toHaveBeenCalled();
		expect(client.size).toBe(0);
		// Still held once it has landed: the browser applies it, the server's render never does.
		expect(client._holdsFetches).toBe(true);
	});

	test('a streamed payload that fails is neither logged nor left as an unhandled rejection', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const unhandled = await unhandledRejectionsDuring(() => {
			const streamed = prefetchOnServer(() => {
				throw new Error('the database is down');
			});
			hydrateOnce(new QoraClient(), streamed, 'page.data.qoraState');
		});
		expect(unhandled).toEqual([]);
		expect(error).not.toHaveBeenCalled();
	});
});
