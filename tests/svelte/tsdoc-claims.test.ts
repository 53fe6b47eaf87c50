/**
 * Claims the public TSDoc of qora/svelte makes (what app developers read on hover) that no other
 * test pins down. Each test names the declaration whose doc makes the claim.
 */
import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { QoraClient, keepPrevious as coreKeepPrevious } from '../../src/lib/index.js';
import { createMutation, keepPrevious } from '../../src/lib/svelte/index.js';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('keepPrevious', () => {
	it('is the same value from qora and qora/svelte, so shared query definitions need no Svelte', () => {
		expect(keepPrevious).toBe(coreKeepPrevious);
	});
});

describe('createMutation', () => {
	it('turns pending and runs onMutate at once, in the mutate call, with the variables', () => {
		const seen: string[] = [];
		const mutation = createMutation<string, string>(
			{ mutationFn: async (title) => title, onMutate: (title) => void seen.push(`onMutate ${title}`) },
			client
		);
		mutation.mutate('milk');
		expect(seen).toEqual(['onMutate milk']);
		expect(get(mutation)).toMatchObject({ status: 'pending', isPending: true, variables: 'milk', submittedAt: Date.now() });
	});

	it('awaits each async callback in turn: onSettled runs after an async onSuccess has finished', async () => {
		const order: string[] = [];
		const gate = deferred<void>();
		const mutation = createMutation<string, string>(
			{
				mutationFn: async (title) => title,
				onSuccess: async () => {
					order.push('onSuccess start');
					await gate.promise;
					order.push('onSuccess end');
				},
				onSettled: () => void order.push('onSettled')
			},
			client
		);
		const done = mutation.mutateAsync('milk');
		await flush();
		// The state settles when mutationFn does, before onSuccess has finished.
		expect(get(mutation)).toMatchObject({ status: 'success', data: 'milk' });
		expect(order).toEqual(['onSuccess start']);
		gate.resolve();
		await expect(done).resolves.toBe('milk');
		expect(order).toEqual(['onSuccess start', 'onSuccess end', 'onSettled']);
	});
});

describe('MutationStateBase.failureCount', () => {
	it('goes back to 0 (failureReason null) on success, after a failed attempt was retried', async () => {
		let attempts = 0;
		const mutation = createMutation(
			{
				mutationFn: async () => {
					if (++attempts === 1) throw new Error('503');
					return 'saved';
				},
				retry: 1,
				retryDelay: 1000
			},
			client
		);
		const done = mutation.mutateAsync();
		await flush(1000);
		await expect(done).resolves.toBe('saved');
		expect(attempts).toBe(2);
		expect(get(mutation)).toMatchObject({ status: 'success', failureCount: 0, failureReason: null });
	});
});
