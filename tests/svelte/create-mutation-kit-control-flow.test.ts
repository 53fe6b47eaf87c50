/**
 * On qora/sveltekit's clients, SvelteKit's `error()` and `redirect()` thrown by a fetcher are
 * control flow: not retried, and handed to the caller as themselves. A mutation on the same
 * client treats them the same way: an app whose shared `json()` helper throws
 * `redirect(303, '/login')` on a 401 must not send the doomed write `retry + 1` times.
 * (Found dogfooding: a mutation with `retry: 2` sent three requests for a 401.)
 * The client here gets what `loadQoraClient` and `prefetchOnServer` give theirs.
 */
import { error, isHttpError, isRedirect, redirect } from '@sveltejs/kit';
import { get } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { createMutation } from '../../src/lib/svelte/index.js';
import { passKitControlFlow } from '../../src/lib/sveltekit/control-flow.js';
import { flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => {
	client = fresh;
	passKitControlFlow(client);
});

describe('createMutation on a qora/sveltekit client: SvelteKit control flow from mutationFn', () => {
	it('a query fetcher throwing redirect() is not retried (what the mutation matches)', async () => {
		const fetcher = vi.fn(async (): Promise<string> => redirect(303, '/login'));
		const outcome = client.fetchQuery({ key: ['me'], fetcher, options: { retry: 2, retryDelay: 10 } }).catch((thrown: unknown) => thrown);
		await flush(1000);
		expect(isRedirect(await outcome)).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('a mutationFn throwing redirect() is not retried; mutateAsync rejects with the redirect itself, the state and onError hold an Error', async () => {
		const mutationFn = vi.fn(async (): Promise<string> => redirect(303, '/login'));
		const onError = vi.fn();
		const mutation = createMutation({ mutationFn, retry: 2, retryDelay: 10, onError }, client);
		const outcome = mutation.mutateAsync().catch((thrown: unknown) => thrown);
		await flush(1000);
		const thrown = await outcome;
		expect(isRedirect(thrown)).toBe(true);
		expect(thrown).toMatchObject({ status: 303, location: '/login' });
		expect(mutationFn).toHaveBeenCalledTimes(1);
		const state = get(mutation);
		expect(state).toMatchObject({ status: 'error', failureCount: 1 });
		expect(state.error).toBeInstanceOf(Error);
		expect(state.error?.cause).toBe(thrown);
		expect(onError).toHaveBeenCalledWith(state.error, undefined, undefined);
	});

	it('a mutationFn throwing error(403) is not retried, and reaches the caller as the HttpError', async () => {
		const mutationFn = vi.fn(async (): Promise<string> => error(403, 'Forbidden'));
		const mutation = createMutation({ mutationFn, retry: 2, retryDelay: 10 }, client);
		const outcome = mutation.mutateAsync().catch((thrown: unknown) => thrown);
		await flush(1000);
		expect(isHttpError(await outcome, 403)).toBe(true);
		expect(mutationFn).toHaveBeenCalledTimes(1);
	});

	it('an ordinary failure is still retried, and rejects as an Error', async () => {
		const mutationFn = vi.fn(async (): Promise<string> => {
			throw new Error('503');
		});
		const mutation = createMutation({ mutationFn, retry: 2, retryDelay: 10 }, client);
		const outcome = mutation.mutateAsync().catch((thrown: unknown) => thrown);
		await flush(1000);
		expect(await outcome).toMatchObject({ message: '503' });
		expect(mutationFn).toHaveBeenCalledTimes(3);
	});

	it('on a client of the app’s own (no control flow passed), a redirect is an ordinary failure: retried and wrapped', async () => {
		const own = new QoraClient();
		const mutationFn = vi.fn(async (): Promise<string> => redirect(303, '/login'));
		const mutation = createMutation({ mutationFn, retry: 1, retryDelay: 10 }, own);
		const outcome = mutation.mutateAsync().catch((thrown: unknown) => thrown);
		await flush(1000);
		expect(await outcome).toBeInstanceOf(Error);
		expect(mutationFn).toHaveBeenCalledTimes(2);
		own.dispose();
	});
});

describe('a control-flow test that throws, for a mutation', () => {
	it('is reported once per failure, and the value is an ordinary failure', async () => {
		const reported: unknown[] = [];
		const own = new QoraClient({ onError: (error) => reported.push(error) });
		own._passThrough(() => {
			throw new Error('the test broke');
		});
		const mutation = createMutation({ mutationFn: async () => redirect(303, '/login') }, own);
		const outcome = await mutation.mutateAsync().catch((thrown: unknown) => thrown);
		expect(outcome).toBeInstanceOf(Error);
		expect(reported).toEqual([new Error('the test broke')]);
		own.dispose();
	});
});
