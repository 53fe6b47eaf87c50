/**
 * Claims of the README's method table and "Coming from TanStack Query" that no other test pinned,
 * each quoted in its test's name.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dehydrate, hydrate, QoraClient, type KeyParts } from '../../src/lib/index.js';
import { advance, controlledFetcher, flush, manualOnline, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

const keys = [['todos'], ['todos', 1], ['users', 2]];
function seeded(): QoraClient {
	const client = new QoraClient();
	for (const key of keys) client.setQueryData(key, 'x');
	return client;
}
const invalidated = (client: QoraClient) => client.keys().filter((key) => client.getState(key)?.isInvalidated);

describe('README: invalidateWhere', () => {
	it('"one that returns a promise throws a TypeError and invalidates nothing": also when it answered true for earlier keys, and no watched match refetches', () => {
		const client = seeded();
		const { fetcher } = controlledFetcher<string>();
		const stop = client.watchQuery({ key: ['todos'], fetcher }).subscribe(() => {});
		const answers: unknown[] = [];
		// True for the first key it is asked about, a promise for every later one.
		const predicate = (_parts: KeyParts) => {
			const answer = answers.length === 0 ? true : Promise.resolve(true);
			answers.push(answer);
			return answer;
		};
		expect(() => client.invalidateWhere(predicate as never)).toThrow(/^invalidateWhere: the predicate must return a boolean, not a promise$/);
		expect(answers[0]).toBe(true);
		expect(answers.length).toBeGreaterThan(1);
		expect(invalidated(client)).toEqual([]);
		expect(fetcher).not.toHaveBeenCalled();
		stop();
		client.dispose();
	});

	it('"the empty prefix [], which every key starts with, invalidates everything"', async () => {
		const client = seeded();
		await client.invalidateWhere([]);
		expect(invalidated(client)).toEqual(keys);
		client.dispose();
	});

	it('"invalidate([\'todos\']) leaves [\'todos\', 1] alone; use invalidateWhere([\'todos\'])"', async () => {
		const client = seeded();
		await client.invalidate(['todos']);
		expect(invalidated(client)).toEqual([['todos']]);
		await client.invalidateWhere(['todos']);
		expect(invalidated(client)).toEqual([['todos'], ['todos', 1]]);
		client.dispose();
	});

	it('"watched entries refetch now ... Resolves when they are done"', async () => {
		const client = seeded();
		const { fetcher, call } = controlledFetcher<string>();
		const stop = client.watchQuery({ key: ['todos', 1], fetcher }).subscribe(() => {});
		let resolved = false;
		void client.invalidateWhere(['todos']).then(() => (resolved = true));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(resolved).toBe(false);
		call(0).resolve('fresh');
		await flush();
		expect(resolved).toBe(true);
		expect(client.getQueryData(['todos', 1])).toBe('fresh');
		stop();
		client.dispose();
	});
});

describe('README (SvelteKit): "Give the queries you prefetch a staleTime above 0"', () => {
	async function navigation(staleTime: number) {
		const client = new QoraClient({ defaultOptions: { staleTime } });
		const fetcher = vi.fn(async () => 'user');
		await client.prefetchQuery({ key: ['users', 1], fetcher }); // the load
		const stop = client.watchQuery({ key: ['users', 1], fetcher }).subscribe(() => {}); // the page's query mounts
		await flush();
		stop();
		client.dispose();
		return fetcher.mock.calls.length;
	}

	it('"With 0, ... a client-side navigation fetches twice: once in the load\'s prefetchQuery, then again when the page\'s query mounts"', async () => {
		expect(await navigation(0)).toBe(2);
	});

	it('with 60_000, once', async () => {
		expect(await navigation(60_000)).toBe(1);
	});
});

describe('README (SvelteKit, streaming): "A query on the page for a key that is still streaming therefore sends the same slow request from the browser, in parallel with the server\'s, and ends on the browser\'s answer whichever arrives first"', () => {
	/** A server load's prefetch of ['posts'] that answers when told, and the browser page's query of the same key. */
	async function race(order: 'browser first' | 'server first') {
		const server = new QoraClient({ defaultOptions: { retry: 0 } });
		const serverAnswer = controlledFetcher<string>();
		const streamed = server.prefetchQuery({ key: ['posts'], fetcher: serverAnswer.fetcher }).then(() => dehydrate(server));
		await advance(100); // the page renders at once; its JavaScript loads
		const browser = new QoraClient();
		const browserAnswer = controlledFetcher<string>();
		const stop = browser.watchQuery({ key: ['posts'], fetcher: browserAnswer.fetcher }).subscribe(() => {});
		await flush();
		expect(browserAnswer.fetcher).toHaveBeenCalledTimes(1);
		await advance(100);
		if (order === 'browser first') {
			browserAnswer.call(0).resolve('from the browser');
			await advance(100);
			serverAnswer.call(0).resolve('from the server');
			hydrate(browser, await streamed);
		} else {
			serverAnswer.call(0).resolve('from the server');
			hydrate(browser, await streamed);
			await advance(100);
			browserAnswer.call(0).resolve('from the browser');
		}
		await flush();
		const shown = browser.getQueryData(['posts']);
		stop();
		browser.dispose();
		server.dispose();
		return shown;
	}

	it('the browser answering last: its data is shown', async () => {
		expect(await race('server first')).toBe('from the browser');
	});

	it('the stream answering last: the browser\'s data stays (the server\'s request went out earlier)', async () => {
		expect(await race('browser first')).toBe('from the browser');
	});
});

describe('README (options, refetchInterval): "A poll falling due offline waits for the connection (one paused fetch, however many polls fall due) and goes out at reconnect, keeping the rhythm"', () => {
	it('three polls due offline make one paused fetch, sent at reconnect; the next poll follows at the old rhythm, sooner than the period', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online, defaultOptions: { retry: 0 } });
		const { fetcher, call } = controlledFetcher<number>();
		const states: string[] = [];
		const stop = client.watchQuery({ key: ['feed'], fetcher, options: { refetchInterval: 1000 } }).subscribe((state) => void states.push(state.fetchStatus));
		call(0).resolve(0);
		await flush();
		online.set(false);
		await advance(3500); // polls fall due at 1 s, 2 s and 3 s
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getState(['feed'])?.fetchStatus).toBe('paused');
		expect(states.filter((status) => status === 'paused')).toHaveLength(1);
		online.set(true); // at 3.5 s
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		call(1).resolve(1);
		await advance(499);
		expect(fetcher).toHaveBeenCalledTimes(2);
		await advance(1); // 4 s: the rhythm's next poll, half a period after the one sent at reconnect
		expect(fetcher).toHaveBeenCalledTimes(3);
		stop();
		client.dispose();
	});
});
