/** createMutation: behaviours found untested by mutation testing. */
import { get } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { createMutation } from '../../src/lib/svelte/index.js';
import { flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('createMutation callbacks', () => {
	it('an onSettled that throws after a success fails the mutation: the state shows its error and mutateAsync rejects with it', async () => {
		const onError = vi.fn();
		const reported = vi.spyOn(client, '_report');
		const mutation = createMutation<string, string>(
			{
				mutationFn: async (title) => title,
				onError,
				onSettled: () => {
					throw new Error('invalidate failed');
				}
			},
			client
		);
		const outcome = mutation.mutateAsync('Buy milk').then(
			() => 'resolved',
			(error: unknown) => error
		);
		await flush();
		const error = await outcome;
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toBe('invalidate failed');
		expect(get(mutation)).toMatchObject({ status: 'error', error, variables: 'Buy milk', failureCount: 0, failureReason: null });
		// Its own failure, not a side error of a failed call: nothing is reported, onError does not run (it ran before onSettled).
		expect(reported).not.toHaveBeenCalled();
		expect(onError).not.toHaveBeenCalled();
	});
});
