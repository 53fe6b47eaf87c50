/** A store whose start throws (createQuery with a throwing initialData): gaps found by mutation testing. */
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { createQuery } from '../../src/lib/svelte/index.js';
import { flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('createQuery whose start throws', () => {
	it('never calls the subscriber whose subscribe threw, not even with the initial state; the next subscriber starts afresh', async () => {
		let broken = true;
		const store = createQuery(
			{
				key: ['settings'],
				fetcher: async () => 'fetched',
				options: {
					initialData: () => {
						if (broken) throw new Error('corrupt local cache');
						return undefined;
					}
				}
			},
			client
		);
		const run = vi.fn();
		expect(() => store.subscribe(run)).toThrow('corrupt local cache');
		expect(run).not.toHaveBeenCalled();

		broken = false;
		const next = vi.fn();
		const stop = store.subscribe(next);
		await flush();
		expect(next).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'success', data: 'fetched' }));
		expect(run).not.toHaveBeenCalled();
		stop();
	});
});

describe('the error a failed start throws', () => {
	it('is the very error the start threw, from the subscribe that ran it', () => {
		const corrupt = new SyntaxError('corrupt local cache');
		const store = createQuery(
			{
				key: ['settings'],
				fetcher: async () => 'fetched',
				options: {
					initialData: () => {
						throw corrupt;
					}
				}
			},
			client
		);
		let thrown: unknown = null;
		try {
			store.subscribe(() => {});
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBe(corrupt);
	});
});
