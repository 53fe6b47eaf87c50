/**
 * restoreQueryData with a snapshot that came from a store rather than from getState.
 *
 * In Svelte the natural snapshot is the value the query's store already shows (`$todos`,
 * `get(todos)` in a mutation's onMutate): it is a `QoraState<T>` like getState's, and
 * restoreQueryData accepts it (it even names getState in its error for a placeholder state).
 * Restoring it works, but the logout guard does not: a snapshot with data taken before a
 * `clear()` must put nothing back, and one that came from a store does.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('restoreQueryData with the state a store showed', () => {
	it('puts nothing back after a clear when the snapshot is the watchQuery store’s value (a logout while a save was out)', async () => {
		const client = new QoraClient();
		const page = record(client.watchQuery({ key: ['todos'], fetcher: async () => ['old user’s todo'] }));
		await flush();
		const snapshot = page.last; // what `$todos` holds in onMutate
		expect(snapshot).toMatchObject({ status: 'success', data: ['old user’s todo'] });
		client.setQueryData(['todos'], ['old user’s todo', 'optimistic']);
		client.clear(); // logout
		client.restoreQueryData(['todos'], snapshot); // the save's onError
		expect(client.getQueryData(['todos'])).toBeUndefined();
		page.stop();
	});

	it('puts nothing back after a clear when the snapshot is the observeQuery store’s value', async () => {
		const client = new QoraClient();
		await client.fetchQuery({ key: ['todos'], fetcher: async () => ['old user’s todo'] });
		let snapshot: unknown;
		client.observeQuery(['todos']).subscribe((state) => (snapshot = state))();
		client.clear();
		client.restoreQueryData(['todos'], snapshot as never);
		expect(client.getQueryData(['todos'])).toBeUndefined();
	});
});
