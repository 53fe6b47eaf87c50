/** loadQoraClient during server rendering: one new client per call (per request), never shared. */
import { error, isHttpError, isRedirect, redirect } from '@sveltejs/kit';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { loadQoraClient } from '../../src/lib/sveltekit/load-client.js';

describe('loadQoraClient on the server', () => {
	test('returns a fresh client from the factory on every call', () => {
		let calls = 0;
		const factory = () => {
			calls++;
			return new QoraClient();
		};
		const first = loadQoraClient(factory);
		const second = loadQoraClient(factory);
		expect(calls).toBe(2);
		expect(first).toBeInstanceOf(QoraClient);
		expect(second).not.toBe(first);
	});

	test('refuses a factory that hands out the same client twice (it would leak data between users)', () => {
		const shared = new QoraClient();
		expect(loadQoraClient(() => shared)).toBe(shared);
		expect(() => loadQoraClient(() => shared)).toThrow(/every request needs its own client/);
	});

	test('names the shared client as the mistake even after the first request disposed it', () => {
		const shared = new QoraClient();
		loadQoraClient(() => shared);
		// The first request's provider disposes its client when the page has rendered.
		shared.dispose();
		expect(() => loadQoraClient(() => shared)).toThrow(/every request needs its own client/);
	});

	test("tells the factory's onQueryError of a universal load's prefetch that failed on the server, which nothing else shows (a relative URL with the global fetch)", async () => {
		const told: unknown[] = [];
		const client = loadQoraClient(() => new QoraClient({ onQueryError: (failure, key) => void told.push([failure.message, key]) }));
		const fetcher = async () => {
			throw new TypeError('Failed to parse URL from /api/search?q=a');
		};
		await expect(client.prefetchQuery({ key: ['search', 'a'], fetcher })).resolves.toBeUndefined();
		expect(told).toEqual([['Failed to parse URL from /api/search?q=a', ['search', 'a']]]);
	});

	test('does not read the document on the server, so nothing can be hydrated into a request client from outside', () => {
		const client = loadQoraClient(() => new QoraClient());
		expect(client.size).toBe(0);
	});

	describe('a request client keeps no gc timers, so one that is never disposed (a redirect skipped the render) is garbage with its request', () => {
		afterEach(() => vi.useRealTimers());

		test('writes and fetches schedule nothing, and the entries stay for the whole request', async () => {
			vi.useFakeTimers();
			const client = loadQoraClient(() => new QoraClient({ defaultOptions: { gcTime: 1000 } }));
			client.setQueryData(['written'], 1);
			await client.fetchQuery({ key: ['fetched'], fetcher: async () => 2 });
			expect(vi.getTimerCount()).toBe(0);
			await vi.advanceTimersByTimeAsync(60 * 60_000);
			expect(client.getQueryData(['written'])).toBe(1);
			expect(client.getQueryData(['fetched'])).toBe(2);
		});

		test('a watcher leaving schedules nothing either', () => {
			vi.useFakeTimers();
			const client = loadQoraClient(() => new QoraClient());
			client.setQueryData(['k'], 1);
			const stop = client.observeQuery(['k']).subscribe(() => {});
			stop();
			expect(vi.getTimerCount()).toBe(0);
		});

		test('a watcher arms no staleness timer while it watches', () => {
			vi.useFakeTimers();
			const client = loadQoraClient(() => new QoraClient());
			client.setQueryData(['k'], 1);
			const stop = client.observeQuery(['k']).subscribe(() => {});
			expect(vi.getTimerCount()).toBe(0);
			stop();
		});

		test('data the factory wrote before handing the client out is kept without a timer too', async () => {
			vi.useFakeTimers();
			const client = loadQoraClient(() => {
				const seeded = new QoraClient({ defaultOptions: { gcTime: 1000 } });
				seeded.setQueryData(['config'], 'defaults');
				return seeded;
			});
			expect(vi.getTimerCount()).toBe(0);
			await vi.advanceTimersByTimeAsync(60 * 60_000);
			expect(client.getQueryData(['config'])).toBe('defaults');
		});

		test('(a client of the browser or of plain code does collect: one timer for its gc deadlines)', () => {
			vi.useFakeTimers();
			const client = new QoraClient();
			client.setQueryData(['k'], 1);
			expect(vi.getTimerCount()).toBe(1);
			client.dispose();
		});
	});

	describe('a request client does not retry by default, so a failing API cannot hold the response through the backoff', () => {
		afterEach(() => vi.useRealTimers());

		test('a failing fetch rejects after one attempt, with no timer left', async () => {
			vi.useFakeTimers();
			const client = loadQoraClient(() => new QoraClient());
			let calls = 0;
			const fetcher = async () => {
				calls++;
				throw new Error('API down');
			};
			await expect(client.fetchQuery({ key: ['k'], fetcher })).rejects.toThrow('API down');
			expect(calls).toBe(1);
			expect(vi.getTimerCount()).toBe(0);
			expect(client.defaultOptions.retry).toBe(0);
		});

		test('a retry the app chose, as a default or per query, is kept', async () => {
			vi.useFakeTimers();
			expect(loadQoraClient(() => new QoraClient({ defaultOptions: { retry: 2 } })).defaultOptions.retry).toBe(2);
			const client = loadQoraClient(() => new QoraClient());
			let calls = 0;
			const done = client.fetchQuery({ key: ['k'], fetcher: async () => (++calls < 2 ? Promise.reject(new Error('blip')) : 'ok'), options: { retry: 1 } });
			await vi.advanceTimersByTimeAsync(1000);
			await expect(done).resolves.toBe('ok');
			expect(calls).toBe(2);
		});
	});

	test('rejects a factory that returns something else', () => {
		expect(() => loadQoraClient(() => ({}) as QoraClient)).toThrow(TypeError);
		expect(() => loadQoraClient('nope' as unknown as () => QoraClient)).toThrow(TypeError);
		const disposed = new QoraClient();
		disposed.dispose();
		expect(() => loadQoraClient(() => disposed)).toThrow(/disposed/);
	});

	test("SvelteKit's error() and redirect() thrown in a fetcher reach the awaiting load as themselves, not retried", async () => {
		const client = loadQoraClient(() => new QoraClient({ defaultOptions: { retry: 3, retryDelay: 1 } }));
		const missing = vi.fn(async () => error(404, 'No such user'));
		const failure = await client.fetchQuery({ key: ['users', 999], fetcher: missing }).catch((reason: unknown) => reason);
		expect(isHttpError(failure, 404)).toBe(true);
		expect(missing).toHaveBeenCalledTimes(1);
		// The state keeps an Error, safe to render.
		expect(client.getState(['users', 999])?.error).toMatchObject({ message: expect.stringContaining('No such user'), cause: failure });

		const signedOut = vi.fn(async () => redirect(303, '/login'));
		expect(isRedirect(await client.fetchQuery({ key: ['me'], fetcher: signedOut }).catch((reason: unknown) => reason))).toBe(true);
		expect(signedOut).toHaveBeenCalledTimes(1);
		client.dispose();
	});
});
