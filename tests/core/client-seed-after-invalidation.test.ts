/**
 * A seed (initialData) laid on an entry that was invalidated while it had no data: the seed is of
 * unknown age (or dated before the invalidation), so it answers no invalidation, as it answers no
 * failed fetch: it shows, stale, and the watcher or fetchQuery still fetches.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { MINUTE, T0, advance, controlledFetcher, flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

interface Todo {
	id: number;
	title: string;
}

/** A header observes todo 1 (no data yet); then a save invalidates every todo. */
async function invalidatedWhileEmpty() {
	const client = new QoraClient();
	const header = record(client.observeQuery<Todo>(['todo', 1]));
	await advance(MINUTE);
	await client.invalidateWhere(['todo']);
	expect(client.getState(['todo', 1])).toMatchObject({ status: 'pending', isInvalidated: true });
	return { client, header };
}

describe('initialData over an entry invalidated while it had no data', () => {
	it('a watcher’s seed dated before the invalidation goes in stale, and the watcher fetches', async () => {
		const { client, header } = await invalidatedWhileEmpty();
		const { fetcher, call } = controlledFetcher<Todo>();
		// The detail page seeds from the list, fetched before the save (at T0, a minute ago).
		const page = record(
			client.watchQuery({ key: ['todo', 1], fetcher, options: { initialData: { id: 1, title: 'before the save' }, initialDataUpdatedAt: T0 } })
		);
		expect(page.last).toMatchObject({ status: 'success', data: { title: 'before the save' }, isInvalidated: true, isStale: true, fetchStatus: 'fetching' });
		expect(fetcher).toHaveBeenCalledTimes(1);
		call(0).resolve({ id: 1, title: 'after the save' });
		await flush();
		expect(page.last).toMatchObject({ data: { title: 'after the save' }, isInvalidated: false, isStale: false });
		page.stop();
		header.stop();
	});

	it('fetchQuery answers with a seed dated before the invalidation, and fetches', async () => {
		const { client, header } = await invalidatedWhileEmpty();
		const { fetcher } = controlledFetcher<Todo>();
		await expect(
			client.fetchQuery({ key: ['todo', 1], fetcher, options: { initialData: { id: 1, title: 'before the save' }, initialDataUpdatedAt: T0 } })
		).resolves.toEqual({ id: 1, title: 'before the save' });
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getState(['todo', 1])).toMatchObject({ isInvalidated: true, isStale: true, fetchStatus: 'fetching' });
		header.stop();
	});
});
