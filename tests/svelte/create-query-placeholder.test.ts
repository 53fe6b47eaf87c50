/** createQuery: behaviours found untested by mutation testing. */
import { writable } from 'svelte/store';
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
