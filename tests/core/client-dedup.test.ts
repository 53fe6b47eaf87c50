import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, QoraKey } from '../../src/lib/index.js';
import { controlledFetcher, flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('deduplication', () => {
	it('N concurrent fetchQuery calls for one key share one fetcher call and one result', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<{ n: number }>();
		const results = Array.from({ length: 10 }, () => client.fetchQuery({ key: ['k'], fetcher }));
		expect(fetcher).toHaveBeenCalledTimes(1);
		const data = { n: 1 };
		call(0).resolve(data);
		const settled = await Promise.all(results);
		for (const result of settled) expect(result).toBe(data);
	});

	it('N concurrent callers share one rejection', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		const { fetcher, call } = controlledFetcher<number>();
		const results = Array.from({ length: 5 }, () => client.fetchQuery({ key: ['k'], fetcher }).catch((e: unknown) => e));
		const error = new Error('shared');
		call(0).reject(error);
		for (const result of await Promise.all(results)) expect(result).toBe(error);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('N watchers and fetchQuery callers together share one fetcher call', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const watchers = Array.from({ length: 5 }, () => record(client.watchQuery({ key: ['k'], fetcher })));
		const fetches = Array.from({ length: 5 }, () => client.fetchQuery({ key: ['k'], fetcher }));
		void client.prefetchQuery({ key: ['k'], fetcher });
		expect(fetcher).toHaveBeenCalledTimes(1);
		call(0).resolve('one');
		expect(await Promise.all(fetches)).toEqual(Array(5).fill('one'));
		await flush();
		for (const watcher of watchers) expect(watcher.last.data).toBe('one');
	});

	it('structurally equal keys (raw, reordered, QoraKey) share one call', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const a = client.fetchQuery({ key: ['todos', { page: 1, done: false }], fetcher });
		const b = client.fetchQuery({ key: ['todos', { done: false, page: 1 }], fetcher });
		const c = client.fetchQuery({ key: QoraKey.withFilter('todos', { page: 1, done: false }), fetcher });
		expect(fetcher).toHaveBeenCalledTimes(1);
		call(0).resolve('same');
		expect(await Promise.all([a, b, c])).toEqual(['same', 'same', 'same']);
		expect(client.size).toBe(1);
	});

	it('different keys fetch separately', () => {
		const client = new QoraClient();
		const { fetcher } = controlledFetcher<string>();
		void client.fetchQuery({ key: ['todos', 1], fetcher });
		void client.fetchQuery({ key: ['todos', 2], fetcher });
		void client.fetchQuery({ key: ['todos'], fetcher });
		expect(fetcher).toHaveBeenCalledTimes(3);
	});

	it('the first caller’s fetcher runs; a second caller’s fetcher is not called while it is in flight', async () => {
		const client = new QoraClient();
		const first = controlledFetcher<string>();
		const second = vi.fn(async () => 'second');
		const a = client.fetchQuery({ key: ['k'], fetcher: first.fetcher });
		const b = client.fetchQuery({ key: ['k'], fetcher: second });
		first.call(0).resolve('first');
		expect(await Promise.all([a, b])).toEqual(['first', 'first']);
		expect(second).not.toHaveBeenCalled();
	});

	it('after the fetch settles, a stale key fetches again (dedup is only for concurrent calls)', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 0 } });
		const fetcher = vi.fn(async () => 'x');
		await client.fetchQuery({ key: ['k'], fetcher });
		await client.fetchQuery({ key: ['k'], fetcher });
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
	});
});
