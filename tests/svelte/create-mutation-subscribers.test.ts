/**
 * A subscriber of a mutation store that throws breaks nothing: the mutation's callbacks and retries
 * run, mutate() never throws, the error goes to the client's onError, and svelte/store's queue,
 * shared by every store of the app, keeps working. (Before, a throw out of the store's set skipped
 * onSuccess/onError, hung a retrying call, and stopped every other store from notifying.)
 */
import { get, writable } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { createMutation, createQuery, createQueryState } from '../../src/lib/svelte/index.js';
import { manualOnline } from '../core/helpers.js';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('a mutation store subscriber that throws on its first call', () => {
	it('gets that very error from its subscribe', () => {
		const broken = new TypeError('cannot read the state');
		const mutation = createMutation({ mutationFn: async () => 'saved' }, client);
		let thrown: unknown = null;
		try {
			mutation.subscribe(() => {
				throw broken;
			});
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBe(broken);
	});
});

describe('a mutation store subscriber that throws', () => {
	it('does not skip onSuccess/onSettled nor turn a successful write into a rejection', async () => {
		const onError = vi.fn();
		const reporting = new QoraClient({ onError });
		const calls: string[] = [];
		const mutation = createMutation(
			{
				mutationFn: async () => 'saved',
				onSuccess: () => void calls.push('onSuccess'),
				onError: () => void calls.push('onError'),
				onSettled: () => void calls.push('onSettled')
			},
			reporting
		);
		mutation.subscribe((state) => {
			if (state.status === 'success') throw new Error('subscriber bug');
		});
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush();
		// Expected: the write succeeded; the subscriber's error goes to the client's onError like a listener's.
		await expect(result).resolves.toBe('saved');
		expect(calls).toEqual(['onSuccess', 'onSettled']);
		reporting.dispose();
	});

	it('runs onError (the optimistic rollback) even when a subscriber throws on the error state', async () => {
		const reporting = new QoraClient({ onError: () => {} });
		const rollback = vi.fn();
		const mutation = createMutation({ mutationFn: async () => Promise.reject(new Error('409')), onError: rollback }, reporting);
		mutation.subscribe((state) => {
			if (state.status === 'error') throw new Error('subscriber bug');
		});
		mutation.mutate();
		await flush();
		expect(rollback).toHaveBeenCalledTimes(1);
		reporting.dispose();
	});

	it('does not leave a retrying mutation pending forever when a subscriber throws on a failure count', async () => {
		const reporting = new QoraClient({ onError: () => {} });
		let attempts = 0;
		const mutation = createMutation(
			{
				mutationFn: async () => {
					attempts++;
					if (attempts === 1) throw new Error('500');
					return 'ok';
				},
				retry: 1,
				retryDelay: 10
			},
			reporting
		);
		mutation.subscribe((state) => {
			if (state.status === 'pending' && state.failureCount === 1) throw new Error('subscriber bug');
		});
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush(1_000);
		expect(attempts).toBe(2);
		expect(get(mutation).status).toBe('success');
		reporting.dispose();
	});

	it('mutate() never throws synchronously, even when a subscriber throws on pending', async () => {
		const reporting = new QoraClient({ onError: () => {} });
		const mutation = createMutation({ mutationFn: async () => 1 }, reporting);
		mutation.subscribe((state) => {
			if (state.status === 'pending') throw new Error('subscriber bug');
		});
		expect(() => mutation.mutate()).not.toThrow();
		await flush();
		reporting.dispose();
	});

	it('does not break every other svelte store of the app (svelte/store shares one subscriber queue)', async () => {
		const reporting = new QoraClient({ onError: () => {} });
		const mutation = createMutation({ mutationFn: async () => 1 }, reporting);
		mutation.subscribe((state) => {
			if (state.status === 'success') throw new Error('subscriber bug');
		});
		mutation.mutate();
		await flush();
		const other = writable(0);
		const seen: number[] = [];
		other.subscribe((value) => seen.push(value));
		other.set(1);
		expect(seen).toEqual([0, 1]);
		reporting.dispose();
	});
});

describe('a mutation stopped by a dispose during its retry wait', () => {
	it('keeps the last attempt’s error as failureReason (CancelledError is no attempt’s failure)', async () => {
		const disposable = new QoraClient();
		const mutation = createMutation({ mutationFn: async () => Promise.reject(new Error('500')), retry: 3, retryDelay: 30_000 }, disposable);
		mutation.mutate();
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'pending', failureCount: 1, failureReason: { message: '500' } });
		disposable.dispose();
		await flush(10);
		const state = get(mutation);
		expect(state.status).toBe('error');
		expect(state.failureCount).toBe(1);
		expect(state.failureReason?.message).toBe('500');
	});
});

describe('a query store subscriber that throws on a later value', () => {
	it('is reported to the client’s onError, and the query and every other store go on', async () => {
		const onError = vi.fn();
		const reporting = new QoraClient({ onError });
		const query = createQuery({ key: ['k'], fetcher: async () => 'data' }, reporting);
		const state = createQueryState<string>(['k'], reporting);
		const thrower = (value: { status: string }) => {
			if (value.status === 'success') throw new Error('subscriber bug');
		};
		const stopQuery = query.subscribe(thrower);
		const stopState = state.subscribe(thrower);
		const seen: string[] = [];
		const stopSeen = query.subscribe((value) => seen.push(value.status));
		await flush();
		expect(onError.mock.calls.map(([error]) => String(error))).toEqual(['Error: subscriber bug', 'Error: subscriber bug']);
		expect(seen).toContain('success');
		const other = writable(0);
		const values: number[] = [];
		other.subscribe((value) => values.push(value));
		other.set(1);
		expect(values).toEqual([0, 1]);
		stopQuery();
		stopState();
		stopSeen();
		reporting.dispose();
	});
});

