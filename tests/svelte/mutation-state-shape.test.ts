/** The full shape of every mutation state: each field, its flags, and the fields' order. */
import { get } from 'svelte/store';
import { expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { createMutation, type MutationState } from '../../src/lib/svelte/index.js';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

const fieldOrder = ['status', 'data', 'error', 'variables', 'failureCount', 'failureReason', 'isPaused', 'submittedAt', 'isIdle', 'isPending', 'isSuccess', 'isError'];

function expectShape(state: MutationState<unknown, unknown>, fields: Record<string, unknown>): void {
	expect(Object.keys(state)).toEqual(fieldOrder);
	expect(state).toStrictEqual(fields);
}

it('idle, pending, success and error states carry every field, with flags that match the status', async () => {
	vi.setSystemTime(1_000_000);
	const save = deferred<string>();
	const mutation = createMutation<string, number>({ mutationFn: () => save.promise }, client);
	const idle = get(mutation);
	expectShape(idle, {
		status: 'idle', data: undefined, error: null, variables: undefined, failureCount: 0, failureReason: null, isPaused: false, submittedAt: 0,
		isIdle: true, isPending: false, isSuccess: false, isError: false
	});
	expect(Object.isFrozen(idle)).toBe(true);

	mutation.mutate(1);
	expectShape(get(mutation), {
		status: 'pending', data: undefined, error: null, variables: 1, failureCount: 0, failureReason: null, isPaused: false, submittedAt: 1_000_000,
		isIdle: false, isPending: true, isSuccess: false, isError: false
	});
	vi.setSystemTime(1_000_500);
	save.resolve('saved');
	await flush();
	expectShape(get(mutation), {
		status: 'success', data: 'saved', error: null, variables: 1, failureCount: 0, failureReason: null, isPaused: false, submittedAt: 1_000_000,
		isIdle: false, isPending: false, isSuccess: true, isError: false
	});

	const failure = new Error('409');
	const failing = createMutation<string, number>({ mutationFn: () => Promise.reject(failure) }, client);
	failing.mutate(2);
	await flush();
	expectShape(get(failing), {
		status: 'error', data: undefined, error: failure, variables: 2, failureCount: 1, failureReason: failure, isPaused: false, submittedAt: 1_000_500,
		isIdle: false, isPending: false, isSuccess: false, isError: true
	});
	failing.reset();
	expect(get(failing)).toBe(idle);
});
