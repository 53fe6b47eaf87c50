/** prefetchOnServer: a short-lived client, its cache as a payload, always disposed. */
import { error, isHttpError } from '@sveltejs/kit';
import { afterEach, describe, expect, test, vi } from 'vitest';
import * as devalue from 'devalue';
import { hydrate, QoraClient } from '../../src/lib/index.js';
import { loadQoraClient } from '../../src/lib/sveltekit/load-client.js';
import { prefetchOnServer } from '../../src/lib/sveltekit/prefetch-on-server.js';
import { unhandledRejectionsDuring } from './unhandled-rejections.js';

function tracked(): { factory: () => QoraClient; created: QoraClient[] } {
	const created: QoraClient[] = [];
	return {
		created,
		factory: () => {
			const client = new QoraClient();
			created.push(client);
			return client;
		}
	};
}

afterEach(() => vi.useRealTimers());

describe('prefetchOnServer', () => {
	test('returns the prefetched entries as a plain JSON payload and disposes the client', async () => {
		const { factory, created } = tracked();
		const payload = await prefetchOnServer(async (qora) => {
			await qora.prefetchQuery({ key: ['posts'], fetcher: () => [{ id: 1 }] });
		}, factory);
		expect(payload).toMatchObject({ version: 1, entries: [{ key: ['posts'], status: 'success', data: [{ id: 1 }] }] });
		expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
		expect(created).toHaveLength(1);
		expect(created[0]?.isDisposed).toBe(true);
	});

	test('keeps data JSON cannot carry (Date, Map, BigInt) for SvelteKit’s devalue, which does', async () => {
		const payload = await prefetchOnServer((qora) =>
			qora.prefetchQuery({ key: ['posts'], fetcher: () => ({ at: new Date(0), tags: new Map([['a', 1]]), total: 10n }) })
		);
		const arrived = devalue.parse(devalue.stringify({ qoraState: payload })).qoraState as typeof payload;
		expect(arrived.entries[0]?.data).toEqual({ at: new Date(0), tags: new Map([['a', 1]]), total: 10n });
		const browser = new QoraClient();
		hydrate(browser, arrived);
		expect((browser.getQueryData(['posts']) as { at: unknown }).at).toBeInstanceOf(Date);
	});

	test('leaves failed queries out of the payload, after one attempt (no retry on the server unless asked)', async () => {
		let calls = 0;
		const payload = await prefetchOnServer((qora) =>
			qora.prefetchQuery({ key: ['broken'], fetcher: () => (calls++, Promise.reject(new Error('secret server detail'))) })
		);
		expect(payload.entries).toEqual([]);
		expect(calls).toBe(1);
	});

	test('disposes the client when run throws, and rethrows', async () => {
		const { factory, created } = tracked();
		await expect(
			prefetchOnServer(() => {
				throw new Error('boom');
			}, factory)
		).rejects.toThrow('boom');
		expect(created[0]?.isDisposed).toBe(true);
	});

	test('streamed (returned from a load unawaited) and failing before SvelteKit takes it, leaves no unhandled rejection to crash the server', async () => {
		const unhandled = await unhandledRejectionsDuring(() => {
			void prefetchOnServer(() => {
				throw new Error('boom');
			});
		});
		expect(unhandled).toEqual([]);
	});

	test('keeps a prefetch that run started but did not return or await (a block body without return) in the payload, instead of cancelling it at dispose', async () => {
		vi.useFakeTimers();
		let aborted = false;
		const prefetched = prefetchOnServer((qora) => {
			void qora.prefetchQuery({
				key: ['posts'],
				fetcher: ({ signal }) =>
					new Promise<number[]>((resolve) => {
						signal.addEventListener('abort', () => (aborted = true));
						setTimeout(() => resolve([1]), 5);
					})
			});
		});
		await vi.advanceTimersByTimeAsync(5);
		const payload = await prefetched;
		expect(aborted).toBe(false); // the database query was not thrown away
		expect(payload.entries).toMatchObject([{ key: ['posts'], status: 'success', data: [1] }]);
	});

	test('answers once an awaited prefetch stops waiting (first failure), not after the retries a client default asks for, which the browser makes', async () => {
		vi.useFakeTimers();
		let calls = 0;
		let settled = false;
		// An app's factory with its retry default (for the browser's queries too): prefetchQuery waits by the query's own retry.
		const prefetched = prefetchOnServer(
			(qora) => qora.prefetchQuery({ key: ['posts'], fetcher: () => (calls++, Promise.reject(new Error('down'))) }),
			() => new QoraClient({ defaultOptions: { retry: 3 } })
		).then((payload) => ((settled = true), payload));
		await vi.advanceTimersByTimeAsync(0);
		// Before, the failed prefetch answered at once and dispose dropped the retries; the page is not held 1 + 2 + 4 s.
		expect({ settled, calls }).toEqual({ settled: true, calls: 1 });
		expect((await prefetched).entries).toEqual([]);
	});

	test('uses a new client per call', async () => {
		const seen: QoraClient[] = [];
		await prefetchOnServer((qora) => void seen.push(qora));
		await prefetchOnServer((qora) => void seen.push(qora));
		expect(seen[0]).not.toBe(seen[1]);
	});

	test('rejects a client given where the factory goes, with a TypeError naming the factory', async () => {
		const shared = new QoraClient();
		await expect(prefetchOnServer(async () => {}, shared as never)).rejects.toThrow(
			/prefetchOnServer\(run, factory\): factory must be a function that makes a new QoraClient, got object/
		);
	});

	test('refuses a factory that hands out one client to two requests, so neither payload carries the other user’s data', async () => {
		const shared = new QoraClient();
		let releaseAlice!: () => void;
		const aliceWaits = new Promise<void>((resolve) => (releaseAlice = resolve));
		let prefetched!: () => void;
		const alicePrefetched = new Promise<void>((resolve) => (prefetched = resolve));
		const alice = prefetchOnServer(async (qora) => {
			await qora.prefetchQuery({ key: ['me'], fetcher: () => 'alice' });
			prefetched();
			await aliceWaits;
		}, () => shared);
		await alicePrefetched;
		await expect(prefetchOnServer((qora) => qora.prefetchQuery({ key: ['feed'], fetcher: () => 'bob' }), () => shared)).rejects.toThrow(
			/every request needs its own client/
		);
		// The refused request neither used nor disposed the client: the first one's payload is whole.
		releaseAlice();
		expect((await alice).entries.map((entry) => entry.key)).toEqual([['me']]);
	});

	test('refuses a client loadQoraClient already handed to a request, and a disposed one', async () => {
		const requestClient = loadQoraClient(() => new QoraClient());
		await expect(prefetchOnServer(() => {}, () => requestClient)).rejects.toThrow(/returned before/);
		expect(requestClient.isDisposed).toBe(false);
		const disposed = new QoraClient();
		disposed.dispose();
		await expect(prefetchOnServer(() => {}, () => disposed)).rejects.toThrow(/disposed QoraClient/);
		// A factory that seeds each new client is fine.
		const seeded = await prefetchOnServer(() => {}, () => {
			const client = new QoraClient();
			client.setQueryData(['site'], { name: 'Qora' });
			return client;
		});
		expect(seeded.entries.map((entry) => entry.key)).toEqual([['site']]);
	});

	test('rejects a run that is not a function (the query itself passed by mistake), naming it, before making a client', async () => {
		const { factory, created } = tracked();
		const query = { key: ['posts'], fetcher: () => [] };
		await expect(prefetchOnServer(query as never, factory)).rejects.toThrow(/^prefetchOnServer\(run\): expected a function \(client\) => Promise$/);
		expect(created).toHaveLength(0);
	});

	test('rejects a factory that returns no client', async () => {
		await expect(prefetchOnServer(async () => {}, () => ({}) as QoraClient)).rejects.toThrow(TypeError);
	});

	test('names an async factory and leaves no unhandled rejection behind, even when its promise rejects (Node would stop the server)', async () => {
		const reasons = await unhandledRejectionsDuring(async () => {
			const failing = async (): Promise<QoraClient> => {
				throw new Error('no database');
			};
			await expect(prefetchOnServer(async () => {}, failing as never)).rejects.toThrow(
				/^prefetchOnServer: the factory must return a new QoraClient, got a promise/
			);
			await expect(prefetchOnServer(async () => {}, (async () => new QoraClient()) as never)).rejects.toThrow(/got a promise/);
		});
		expect(reasons).toEqual([]);
	});

	test("throws SvelteKit's error() from a fetcher on as itself, so the server load answers with the error page", async () => {
		const { factory } = tracked();
		const failure = await prefetchOnServer(
			(client) => client.fetchQuery({ key: ['users', 999], fetcher: async () => error(404, 'No such user') }),
			factory
		).catch((reason: unknown) => reason);
		expect(isHttpError(failure, 404)).toBe(true);
	});
});
