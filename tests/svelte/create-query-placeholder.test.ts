/** createQuery: behaviours found untested by mutation testing. */
import { get, writable } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient, type FetchContext, type QoraState } from '../../src/lib/index.js';
import { createQuery, keepPrevious, type CreateQueryConfig } from '../../src/lib/svelte/index.js';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('createQuery keepPrevious', () => {
	it('brings back no data that left the screen: a key shown pending without a placeholder ends what the next key could keep', async () => {
		const answers = new Map<number, ReturnType<typeof deferred<string>>>();
		const fetcher = vi.fn(({ key }: FetchContext) => {
			const answer = deferred<string>();
			answers.set(key[1] as number, answer);
			return answer.promise;
		});
		const config = writable<CreateQueryConfig<string>>({ key: ['page', 1], fetcher });
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, client).subscribe((state) => seen.push(state));
		answers.get(1)?.resolve('page 1 data');
		await flush();
		expect(seen.at(-1)?.data).toBe('page 1 data');

		// Page 2 without keepPrevious: page 1's data leaves the screen while page 2 loads.
		config.set({ key: ['page', 2], fetcher });
		await flush();
		expect(seen.at(-1)).toMatchObject({ status: 'pending', data: undefined });

		// Page 3 with keepPrevious: nothing is on screen to keep, so page 1's data does not come back.
		config.set({ key: ['page', 3], fetcher, options: { placeholderData: keepPrevious } });
		await flush();
		expect(seen.at(-1)).toMatchObject({ status: 'pending', data: undefined, isPlaceholderData: false });
		expect(seen.some((state, i) => i > 1 && state.data === 'page 1 data')).toBe(false);
		answers.get(3)?.resolve('page 3 data');
		await flush();
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'page 3 data', isPlaceholderData: false });
		stop();
	});
});

describe('restoreQueryData(key, $query) while $query shows the previous key’s data as a placeholder', () => {
	it('keeps page 2’s own rows when it rolls back an optimistic write made while the store showed page 1’s as a placeholder', async () => {
		const page2 = deferred<string[]>();
		const fetcher = async ({ key }: FetchContext) => (key[1] === 1 ? ['page 1 row'] : page2.promise);
		const config = writable<CreateQueryConfig<string[]>>({ key: ['page', 1], fetcher, options: { placeholderData: keepPrevious } });
		const query = createQuery(config, client);
		const stop = query.subscribe(() => {});
		await flush();
		config.set({ ...get(config), key: ['page', 2] });
		await flush();
		// onMutate: the snapshot from the store the component renders (the README: "or a state a store of
		// the key delivered, $query"), then the optimistic row.
		const snapshot = get(query);
		expect(snapshot).toMatchObject({ status: 'success', data: ['page 1 row'], isPlaceholderData: true });
		client.setQueryData<string[]>(['page', 2], (rows = []) => [...rows, 'draft']);
		// The save fails: onError rolls back to what page 2 was, pending (page 1's rows were never page 2's).
		let thrown: unknown = null;
		try {
			client.restoreQueryData(['page', 2], snapshot);
		} catch (error) {
			thrown = error;
		}
		const rolledBack = client.getState(['page', 2])?.status;
		page2.resolve(['page 2 row']);
		await flush();
		const shown = get(query).data;
		stop();
		// Refused, the draft stayed as page 2's data, and (a direct write) won over page 2's fetch in flight.
		expect({ thrown, rolledBack, cached: client.getQueryData(['page', 2]), shown }).toEqual({
			thrown: null,
			rolledBack: 'pending',
			cached: ['page 2 row'],
			shown: ['page 2 row']
		});
	});
});
