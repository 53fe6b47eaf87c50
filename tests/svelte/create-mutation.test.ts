import { fireEvent, render, screen } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { CancelledError, QoraClient } from '../../src/lib/index.js';
import { createMutation, type MutationState } from '../../src/lib/svelte/index.js';
import Provide from './components/Provide.svelte';
import TodoTitle from './components/TodoTitle.svelte';
import { manualFocus, manualOnline } from '../core/helpers.js';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

/** Subscribes to a mutation store and records every state it emits. */
function record<TData, TVariables>(store: { subscribe: (run: (state: MutationState<TData, TVariables>) => void) => () => void }) {
	const states: MutationState<TData, TVariables>[] = [];
	const stop = store.subscribe((state) => states.push(state));
	return { states, stop, statuses: () => states.map((state) => state.status) };
}

describe('optimistic update in a component', () => {
	it('shows the new value at once and rolls back when the server fails', async () => {
		const save = deferred<string>();
		const load = vi.fn(async () => 'Buy milk');
		render(Provide, { client, view: TodoTitle, viewProps: { load, save: () => save.promise } });
		await flush();
		expect(screen.getByTestId('title')).toHaveTextContent('Buy milk');

		await fireEvent.click(screen.getByRole('button', { name: 'rename' }));
		expect(screen.getByTestId('title')).toHaveTextContent('Buy oat milk');
		expect(screen.getByTestId('mutation')).toHaveTextContent('pending');

		load.mockImplementation(() => new Promise(() => {})); // the refetch after settling stays in flight
		save.reject(new Error('409 conflict'));
		await flush();
		expect(screen.getByTestId('title')).toHaveTextContent('Buy milk');
		expect(screen.getByTestId('mutation')).toHaveTextContent('error: 409 conflict');
		expect(load).toHaveBeenCalledTimes(2); // onSettled invalidated the key
	});

	it('keeps the new value when the server accepts it, and refetches once settled', async () => {
		const load = vi.fn(async () => 'Buy milk');
		render(Provide, { client, view: TodoTitle, viewProps: { load, save: async (title: string) => title } });
		await flush();

		load.mockImplementation(async () => 'Buy oat milk');
		await fireEvent.click(screen.getByRole('button', { name: 'rename' }));
		expect(screen.getByTestId('title')).toHaveTextContent('Buy oat milk');
		await flush();
		expect(screen.getByTestId('mutation')).toHaveTextContent('success');
		expect(screen.getByTestId('title')).toHaveTextContent('Buy oat milk');
		expect(load).toHaveBeenCalledTimes(2);
	});
});

describe('createMutation callbacks', () => {
	it('runs onMutate, mutationFn, onSuccess, onSettled in order, passing the context from onMutate', async () => {
		const calls: unknown[][] = [];
		const mutation = createMutation<string, number, { before: string }>(
			{
				onMutate: async (id) => {
					calls.push(['onMutate', id]);
					return { before: 'snapshot' };
				},
				mutationFn: async (id) => {
					calls.push(['mutationFn', id]);
					return `saved ${id}`;
				},
				onSuccess: (data, id, context) => void calls.push(['onSuccess', data, id, context]),
				onError: () => void calls.push(['onError']),
				onSettled: (data, error, id, context) => void calls.push(['onSettled', data, error, id, context])
			},
			client
		);
		await expect(mutation.mutateAsync(7)).resolves.toBe('saved 7');
		expect(calls).toEqual([
			['onMutate', 7],
			['mutationFn', 7],
			['onSuccess', 'saved 7', 7, { before: 'snapshot' }],
			['onSettled', 'saved 7', null, 7, { before: 'snapshot' }]
		]);
		expect(get(mutation)).toMatchObject({ status: 'success', data: 'saved 7', variables: 7, isSuccess: true });
	});

	it('runs onMutate, mutationFn, onError, onSettled on failure, with the error and the context', async () => {
		const calls: unknown[][] = [];
		const failure = new Error('rejected');
		const mutation = createMutation<string, string, string>(
			{
				onMutate: (title) => {
					calls.push(['onMutate', title]);
					return 'ctx';
				},
				mutationFn: async () => {
					calls.push(['mutationFn']);
					throw failure;
				},
				onSuccess: () => void calls.push(['onSuccess']),
				onError: (error, title, context) => void calls.push(['onError', error, title, context]),
				onSettled: (data, error, title, context) => void calls.push(['onSettled', data, error, title, context])
			},
			client
		);
		await expect(mutation.mutateAsync('x')).rejects.toBe(failure);
		expect(calls).toEqual([
			['onMutate', 'x'],
			['mutationFn'],
			['onError', failure, 'x', 'ctx'],
			['onSettled', undefined, failure, 'x', 'ctx']
		]);
		expect(get(mutation)).toMatchObject({ status: 'error', error: failure, variables: 'x', isError: true, failureCount: 1 });
	});

	it('awaits an async onSuccess before onSettled', async () => {
		const order: string[] = [];
		const slow = deferred<void>();
		const mutation = createMutation(
			{
				mutationFn: async () => 1,
				onSuccess: async () => {
					await slow.promise;
					order.push('onSuccess done');
				},
				onSettled: () => void order.push('onSettled')
			},
			client
		);
		const done = mutation.mutateAsync();
		await flush();
		expect(order).toEqual([]);
		slow.resolve();
		await done;
		expect(order).toEqual(['onSuccess done', 'onSettled']);
	});

	it('is pending from the call until mutationFn settles, and settles before the callbacks finish', async () => {
		const server = deferred<string>();
		const settledCallback = deferred<void>();
		const mutation = createMutation({ mutationFn: () => server.promise, onSettled: () => settledCallback.promise }, client);
		const { states, stop } = record(mutation);
		mutation.mutate();
		expect(states.at(-1)).toMatchObject({ status: 'pending', isPending: true, variables: undefined });

		server.resolve('done');
		await flush();
		expect(states.at(-1)).toMatchObject({ status: 'success', data: 'done' });
		settledCallback.resolve();
		stop();
	});

	it('fails without calling mutationFn when onMutate throws, and does not stay pending', async () => {
		const mutationFn = vi.fn(async () => 'never');
		const onError = vi.fn();
		const onSettled = vi.fn();
		const mutation = createMutation<string, void>(
			{
				mutationFn,
				onMutate: () => {
					throw new Error('cannot snapshot');
				},
				onError,
				onSettled
			},
			client
		);
		await expect(mutation.mutateAsync()).rejects.toThrow('cannot snapshot');
		expect(mutationFn).not.toHaveBeenCalled();
		expect(get(mutation)).toMatchObject({ status: 'error', isPending: false });
		expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'cannot snapshot' }), undefined, undefined);
		expect(onSettled).toHaveBeenCalledWith(undefined, expect.objectContaining({ message: 'cannot snapshot' }), undefined, undefined);
	});

	it('turns a throwing onSuccess into the mutation’s error, still running onSettled', async () => {
		const onSettled = vi.fn();
		const mutation = createMutation<string, void>(
			{
				mutationFn: async () => 'ok',
				onSuccess: () => {
					throw new Error('bad cache update');
				},
				onSettled
			},
			client
		);
		await expect(mutation.mutateAsync()).rejects.toThrow('bad cache update');
		expect(get(mutation)).toMatchObject({ status: 'error', error: { message: 'bad cache update' } });
		expect(onSettled).toHaveBeenCalledWith(undefined, expect.objectContaining({ message: 'bad cache update' }), undefined, undefined);
	});

	it('runs onError with onMutate’s context when onSuccess throws, so an optimistic update is rolled back', async () => {
		client.setQueryData(['todo'], 'saved title');
		const calls: string[] = [];
		const mutation = createMutation<string, string, ReturnType<typeof client.getState>>(
			{
				onMutate: (title) => {
					const snapshot = client.getState(['todo']);
					client.setQueryData(['todo'], title);
					return snapshot;
				},
				mutationFn: async () => 'ok',
				onSuccess: () => {
					calls.push('onSuccess');
					throw new Error('bad cache update');
				},
				onError: (error, _title, snapshot) => {
					calls.push(`onError: ${error.message}`);
					client.restoreQueryData(['todo'], snapshot);
				},
				onSettled: () => void calls.push('onSettled')
			},
			client
		);
		await expect(mutation.mutateAsync('optimistic title')).rejects.toThrow('bad cache update');
		expect(calls).toEqual(['onSuccess', 'onError: bad cache update', 'onSettled']);
		expect(client.getQueryData(['todo'])).toBe('saved title');
	});

	it('reports a throwing onError to the client’s onError, where the app sends its errors', async () => {
		const onError = vi.fn();
		const reporting = new QoraClient({ onError });
		const mutation = createMutation(
			{
				mutationFn: async () => Promise.reject(new Error('server said no')),
				onError: () => {
					throw new Error('rollback failed');
				}
			},
			reporting
		);
		await expect(mutation.mutateAsync()).rejects.toThrow('server said no');
		expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'rollback failed' }));
		reporting.dispose();
	});

	it('keeps the original error when onError throws too, reporting the callback’s error', async () => {
		const report = vi.spyOn(console, 'error').mockImplementation(() => {});
		const mutation = createMutation(
			{
				mutationFn: async () => {
					throw new Error('server said no');
				},
				onError: () => {
					throw new Error('rollback failed');
				}
			},
			client
		);
		await expect(mutation.mutateAsync()).rejects.toThrow('server said no');
		expect(get(mutation)).toMatchObject({ status: 'error', error: { message: 'server said no' } });
		expect(report).toHaveBeenCalledWith(expect.stringContaining('[qora]'), expect.objectContaining({ message: 'rollback failed' }));
		report.mockRestore();
	});
});


/** [status, isPaused] of a call made offline that is saved once the connection is back. */
const pausedThenSaved = [
	['idle', false],
	['pending', true],
	['pending', false],
	['success', false]
];

describe('createMutation state', () => {
	it('submittedAt is when the call was made: kept through retries, a pause and a failing onSuccess, new for the next call, 0 after reset', async () => {
		vi.setSystemTime(50_000);
		const online = manualOnline(false);
		const offlineClient = new QoraClient({ online });
		let attempts = 0;
		const mutation = createMutation<string, number>(
			{
				mutationFn: async (n) => {
					if (++attempts === 1) throw new Error('503');
					return `saved ${n}`;
				},
				onSuccess: (_data, n) => {
					if (n === 2) throw new Error('onSuccess');
				},
				retry: 1,
				retryDelay: 1000
			},
			offlineClient
		);
		const { states, stop } = record(mutation);
		mutation.mutate(1);
		await vi.advanceTimersByTimeAsync(5000);
		expect(get(mutation)).toMatchObject({ status: 'pending', isPaused: true, submittedAt: 50_000 });
		online.set(true);
		await vi.advanceTimersByTimeAsync(2000);
		expect(get(mutation)).toMatchObject({ status: 'success', data: 'saved 1', failureCount: 0, submittedAt: 50_000 });
		expect(states.slice(1).map((state) => state.submittedAt)).toEqual(states.slice(1).map(() => 50_000));
		expect(states.filter((state) => state.failureCount === 1)).not.toEqual([]);

		const secondAt = Date.now();
		expect(secondAt).toBeGreaterThan(50_000);
		mutation.mutate(2);
		expect(get(mutation)).toMatchObject({ status: 'pending', submittedAt: secondAt });
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'error', error: { message: 'onSuccess' }, submittedAt: secondAt });
		mutation.reset();
		expect(get(mutation).submittedAt).toBe(0);
		stop();
		offlineClient.dispose();
	});

	it('counts only failed attempts: a call that failed in onMutate, or in onSuccess after retries, shows no failure reason', async () => {
		const failing = createMutation(
			{
				mutationFn: async () => 'ok',
				onMutate: () => {
					throw new Error('onMutate');
				}
			},
			client
		);
		failing.mutate();
		await flush();
		expect(get(failing)).toMatchObject({ status: 'error', error: { message: 'onMutate' }, failureCount: 0, failureReason: null });

		let attempts = 0;
		const afterRetries = createMutation(
			{
				mutationFn: async () => {
					if (++attempts < 3) throw new Error(`attempt ${attempts}`);
					return 'ok';
				},
				onSuccess: () => {
					throw new Error('onSuccess');
				},
				retry: 3,
				retryDelay: 10
			},
			client
		);
		const { states, stop } = record(afterRetries);
		afterRetries.mutate();
		await flush(100);
		expect(states.map((state) => [state.status, state.failureCount, state.failureReason?.message ?? null])).toEqual([
			['idle', 0, null],
			['pending', 0, null],
			['pending', 1, 'attempt 1'],
			['pending', 2, 'attempt 2'],
			['success', 0, null],
			['error', 0, null]
		]);
		stop();
	});

	it('lets the latest call own the state: an older call settling later does not overwrite it', async () => {
		const answers = [deferred<string>(), deferred<string>()];
		const onSettled = vi.fn();
		const mutation = createMutation<string, number>({ mutationFn: (n) => answers[n]!.promise, onSettled }, client);
		const { states, stop } = record(mutation);

		const older = mutation.mutateAsync(0);
		const newer = mutation.mutateAsync(1);
		expect(states.at(-1)).toMatchObject({ status: 'pending', variables: 1 });

		answers[1]!.resolve('second');
		await newer;
		expect(states.at(-1)).toMatchObject({ status: 'success', data: 'second', variables: 1 });

		answers[0]!.reject(new Error('first failed late'));
		await expect(older).rejects.toThrow('first failed late');
		expect(states.at(-1)).toMatchObject({ status: 'success', data: 'second', variables: 1 });
		expect(onSettled).toHaveBeenCalledTimes(2); // the older call's callbacks still ran
		stop();
	});

	it('reset returns to idle, and a call still running no longer changes the state', async () => {
		const answer = deferred<string>();
		const mutation = createMutation({ mutationFn: () => answer.promise }, client);
		const { statuses, stop } = record(mutation);
		mutation.mutate();
		mutation.reset();
		expect(statuses()).toEqual(['idle', 'pending', 'idle']);

		answer.resolve('late');
		await flush();
		expect(statuses()).toEqual(['idle', 'pending', 'idle']);
		mutation.reset(); // already idle: no emission
		expect(statuses()).toEqual(['idle', 'pending', 'idle']);
		stop();
	});

	it('emits only real changes: a second call with the same variables while pending is not news', async () => {
		const answer = deferred<string>();
		const mutation = createMutation<string, number>({ mutationFn: () => answer.promise }, client);
		const { states, statuses, stop } = record(mutation);
		mutation.mutate(1);
		mutation.mutate(1);
		expect(statuses()).toEqual(['idle', 'pending']);

		mutation.mutate(2); // other variables: that is news
		expect(statuses()).toEqual(['idle', 'pending', 'pending']);
		expect(states.at(-1)).toMatchObject({ status: 'pending', variables: 2 });

		answer.resolve('done');
		await flush();
		expect(statuses()).toEqual(['idle', 'pending', 'pending', 'success']);
		stop();
	});

	it('does not retry by default', async () => {
		const mutationFn = vi.fn(async () => {
			throw new Error('nope');
		});
		const mutation = createMutation({ mutationFn }, client);
		await expect(mutation.mutateAsync()).rejects.toThrow('nope');
		await flush(60_000);
		expect(mutationFn).toHaveBeenCalledTimes(1);
		expect(get(mutation)).toMatchObject({ status: 'error', failureCount: 1 });
	});

	it('retries per the retry option, showing failureCount while pending', async () => {
		let attempt = 0;
		const mutationFn = vi.fn(async () => {
			attempt++;
			if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
			return 'third time lucky';
		});
		const mutation = createMutation({ mutationFn, retry: 2, retryDelay: 500 }, client);
		const { states, stop } = record(mutation);
		mutation.mutate();
		await flush();
		expect(states.at(-1)).toMatchObject({ status: 'pending', failureCount: 1, failureReason: { message: 'attempt 1 failed' } });

		await flush(499);
		expect(mutationFn).toHaveBeenCalledTimes(1);
		await flush(1);
		expect(states.at(-1)).toMatchObject({ status: 'pending', failureCount: 2 });

		await flush(500);
		expect(mutationFn).toHaveBeenCalledTimes(3);
		expect(states.at(-1)).toMatchObject({ status: 'success', data: 'third time lucky', failureCount: 0 });
		stop();
	});

	it("keeps mutationFn's error when the retry or retryDelay policy throws: the policy's error goes to the client's onError", async () => {
		const onError = vi.fn();
		const reporting = new QoraClient({ onError });
		const failing = async () => Promise.reject(new Error('Failed to fetch'));
		const byStatus = (_count: number, error: Error) => (error as Error & { response: { status: number } }).response.status >= 500;
		const retried = createMutation({ mutationFn: failing, retry: byStatus }, reporting);
		const delayed = createMutation({ mutationFn: failing, retry: 1, retryDelay: () => Number.parseInt((undefined as unknown as string).trim()) }, reporting);
		await expect(retried.mutateAsync()).rejects.toThrow('Failed to fetch');
		await expect(delayed.mutateAsync()).rejects.toThrow('Failed to fetch');
		expect(get(retried)).toMatchObject({ status: 'error', error: { message: 'Failed to fetch' } });
		expect(get(delayed)).toMatchObject({ status: 'error', error: { message: 'Failed to fetch' } });
		await flush();
		expect(onError).toHaveBeenCalledTimes(2);
		for (const [error] of onError.mock.calls) expect(error).toBeInstanceOf(TypeError);
		reporting.dispose();
	});

	it("keeps mutationFn's error when the retryDelay policy returns a promise (an async policy): no retry at once, a TypeError naming retryDelay goes to onError", async () => {
		const onError = vi.fn();
		const reporting = new QoraClient({ onError });
		const mutationFn = vi.fn(async () => Promise.reject(new Error('Failed to fetch')));
		const mutation = createMutation({ mutationFn, retry: 2, retryDelay: (async (attempt: number) => 1000 * 2 ** attempt) as never }, reporting);
		const settled = mutation.mutateAsync().catch((error: Error) => error.message);
		await flush();
		expect({ calls: mutationFn.mock.calls.length, state: get(mutation) }).toMatchObject({ calls: 1, state: { status: 'error', error: { message: 'Failed to fetch' } } });
		expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual(['"retryDelay" returned a promise, not a number']);
		expect(await settled).toBe('Failed to fetch');
		reporting.dispose();
	});

	it('uses the client’s default retryDelay when retrying without one', async () => {
		const withDelay = new QoraClient({ defaultOptions: { retryDelay: 10_000 } });
		const mutationFn = vi.fn(async () => {
			throw new Error('down');
		});
		const mutation = createMutation({ mutationFn, retry: 1 }, withDelay);
		mutation.mutate();
		await flush(9_999);
		expect(mutationFn).toHaveBeenCalledTimes(1);
		await flush(1);
		expect(mutationFn).toHaveBeenCalledTimes(2);
		withDelay.dispose();
	});

	it('stops retrying once the client is disposed (its app is gone)', async () => {
		const disposable = new QoraClient();
		const mutationFn = vi.fn(async () => Promise.reject(new Error('down')));
		const mutation = createMutation({ mutationFn, retry: 5, retryDelay: 1000 }, disposable);
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush();
		disposable.dispose();
		await flush(10_000);
		expect(mutationFn).toHaveBeenCalledTimes(1);
		await expect(result).rejects.toMatchObject({ name: 'CancelledError' });
		expect(get(mutation)).toMatchObject({ status: 'error' });
		// A mutation started on a disposed client sends nothing either.
		await expect(mutation.mutateAsync()).rejects.toMatchObject({ name: 'CancelledError' });
		expect(mutationFn).toHaveBeenCalledTimes(1);
	});

	it('waits for the connection while offline, as fetches do: onMutate runs at once, the request when the client is online', async () => {
		const online = manualOnline(false);
		const offline = new QoraClient({ online });
		const calls: string[] = [];
		const mutation = createMutation(
			{
				mutationFn: async (title: string) => {
					calls.push(`mutationFn ${title}`);
					return title.toUpperCase();
				},
				onMutate: (title) => void calls.push(`onMutate ${title}`)
			},
			offline
		);
		const { states, stop } = record(mutation);
		const result = mutation.mutateAsync('milk');
		await flush(60_000);
		expect(calls).toEqual(['onMutate milk']);
		expect(states.at(-1)).toMatchObject({ status: 'pending', isPaused: true, failureCount: 0 });
		online.set(true);
		await expect(result).resolves.toBe('MILK');
		expect(calls).toEqual(['onMutate milk', 'mutationFn milk']);
		expect(states.map((state) => [state.status, state.isPaused])).toEqual(pausedThenSaved);
		stop();
		offline.dispose();
	});

	it('a retry waits for the connection too, keeping its failure count', async () => {
		const online = manualOnline(true);
		const flaky = new QoraClient({ online });
		let attempt = 0;
		const mutationFn = vi.fn(async () => {
			if (++attempt === 1) {
				online.set(false);
				throw new TypeError('Failed to fetch');
			}
			return 'saved';
		});
		const mutation = createMutation({ mutationFn, retry: 2, retryDelay: 1000 }, flaky);
		const result = mutation.mutateAsync();
		await flush(60_000);
		expect(mutationFn).toHaveBeenCalledTimes(1);
		expect(get(mutation)).toMatchObject({ status: 'pending', isPaused: true, failureCount: 1, failureReason: { message: 'Failed to fetch' } });
		online.set(true);
		await expect(result).resolves.toBe('saved');
		expect(mutationFn).toHaveBeenCalledTimes(2);
		flaky.dispose();
	});

	it('gives up waiting when the client is disposed: it fails with a CancelledError and sends nothing', async () => {
		const offline = new QoraClient({ online: manualOnline(false) });
		const mutationFn = vi.fn(async () => 'never');
		const mutation = createMutation({ mutationFn }, offline);
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush();
		expect(get(mutation)).toMatchObject({ isPaused: true });
		offline.dispose();
		await expect(result).rejects.toMatchObject({ name: 'CancelledError' });
		expect(mutationFn).not.toHaveBeenCalled();
		expect(get(mutation)).toMatchObject({ status: 'error', isPaused: false });
	});

	it('shows isPaused while an async onMutate runs offline, and drops it when the request goes out', async () => {
		const online = manualOnline(false);
		const offline = new QoraClient({ online });
		const gate = deferred<void>();
		const mutation = createMutation({ mutationFn: async () => 'saved', onMutate: () => gate.promise }, offline);
		const { states, stop } = record(mutation);
		const result = mutation.mutateAsync();
		expect(states.at(-1)).toMatchObject({ status: 'pending', isPaused: true });
		online.set(true);
		gate.resolve();
		await expect(result).resolves.toBe('saved');
		expect(states.map((state) => [state.status, state.isPaused])).toEqual(pausedThenSaved);
		stop();
		offline.dispose();
	});

	it('on reconnect, a paused write goes out before a paused refetch of what it changes, so the optimistic update stands', async () => {
		const online = manualOnline(true);
		const focus = manualFocus();
		const shared = new QoraClient({ online, focus });
		const sent: string[] = [];
		let likes = 0;
		const fetcher = vi.fn(async () => {
			sent.push('GET');
			return likes;
		});
		const stop = shared.watchQuery({ key: ['likes'], fetcher, options: { staleTime: 0 } }).subscribe(() => {});
		await flush();
		const like = createMutation(
			{
				mutationFn: async () => {
					sent.push('POST');
					likes++;
				},
				onMutate: () => {
					shared.cancel(['likes']);
					shared.setQueryData<number>(['likes'], (n) => (n ?? 0) + 1);
				}
			},
			shared
		);
		online.set(false);
		like.mutate();
		await flush();
		focus.focus(); // the stale list refetches, and pauses
		await flush();
		expect(shared.getState(['likes'])).toMatchObject({ fetchStatus: 'paused', data: 1 });
		online.set(true);
		await flush();
		expect(sent).toEqual(['GET', 'POST', 'GET']);
		expect(shared.getQueryData(['likes'])).toBe(1);
		stop();
		shared.dispose();
	});

	it('fails at once when the client is disposed during a retry backoff, instead of waiting it out', async () => {
		const disposable = new QoraClient();
		const mutation = createMutation({ mutationFn: async () => Promise.reject(new Error('500')), retry: 3, retryDelay: 30_000 }, disposable);
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush();
		disposable.dispose();
		await flush(10);
		expect(get(mutation)).toMatchObject({ status: 'error', error: { name: 'CancelledError' } });
		await expect(result).rejects.toMatchObject({ name: 'CancelledError' });
	});

	it('an attempt that fails after the client was disposed does not wait out a retry delay', async () => {
		const disposable = new QoraClient();
		const answer = deferred<string>();
		const mutationFn = vi.fn(() => answer.promise);
		const mutation = createMutation({ mutationFn, retry: 3, retryDelay: 30_000 }, disposable);
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush();
		disposable.dispose();
		answer.reject(new Error('500'));
		await flush(10);
		expect(mutationFn).toHaveBeenCalledTimes(1);
		expect(get(mutation)).toMatchObject({ status: 'error', error: { name: 'CancelledError' } });
	});

	it('stops showing isPaused when the connection comes back while an async onMutate still runs', async () => {
		const online = manualOnline(false);
		const offline = new QoraClient({ online });
		const gate = deferred<void>();
		const mutation = createMutation({ mutationFn: async () => 'ok', onMutate: () => gate.promise }, offline);
		mutation.mutate();
		expect(get(mutation)).toMatchObject({ status: 'pending', isPaused: true });
		online.set(true);
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'pending', isPaused: false });
		gate.resolve();
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'success' });
		offline.dispose();
	});

	it('keeps showing isPaused when the connection drops again while an async onMutate still runs', async () => {
		const online = manualOnline(false);
		const flaky = new QoraClient({ online });
		const gate = deferred<void>();
		const mutationFn = vi.fn(async () => 'ok');
		// An onMutate that waits (for a token, a cancel), while the network flaps: back for a moment, then gone again.
		const mutation = createMutation({ mutationFn, onMutate: () => gate.promise }, flaky);
		mutation.mutate();
		online.set(true);
		online.set(false);
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'pending', isPaused: true });
		gate.resolve();
		await flush();
		expect(mutationFn).not.toHaveBeenCalled();
		expect(get(mutation)).toMatchObject({ status: 'pending', isPaused: true });
		online.set(true);
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'success' });
		flaky.dispose();
	});

	it('stops showing isPaused when the client is disposed while an async onMutate runs offline', async () => {
		const offline = new QoraClient({ online: manualOnline(false) });
		const gate = deferred<void>();
		const mutation = createMutation({ mutationFn: async () => 'ok', onMutate: () => gate.promise }, offline);
		mutation.mutate();
		offline.dispose();
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'pending', isPaused: false });
		gate.resolve();
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'error', error: { name: 'CancelledError' } });
	});

	it('an attempt in flight when the client is disposed still settles as it answers', async () => {
		const disposable = new QoraClient();
		const answer = deferred<string>();
		const mutation = createMutation({ mutationFn: () => answer.promise }, disposable);
		const result = mutation.mutateAsync();
		await flush();
		disposable.dispose();
		answer.resolve('saved before the page went away');
		await expect(result).resolves.toBe('saved before the page went away');
	});

	it('times its retries with the client’s clock', async () => {
		const timers: { at: number; run: () => void }[] = [];
		let now = 0;
		const clock = {
			now: () => now,
			setTimeout: (run: () => void, ms: number) => timers.push({ at: now + ms, run }),
			clearTimeout: () => {}
		};
		const manual = new QoraClient({ clock });
		let attempt = 0;
		const mutationFn = vi.fn(async () => {
			if (++attempt === 1) throw new Error('first attempt failed');
			return 'second';
		});
		const mutation = createMutation({ mutationFn, retry: 1, retryDelay: 1000 }, manual);
		const result = mutation.mutateAsync();
		await flush(60_000); // global (fake) time passing does not retry
		expect(mutationFn).toHaveBeenCalledTimes(1);
		now = 1000;
		for (const timer of timers.splice(0)) if (timer.at <= now) timer.run();
		await expect(result).resolves.toBe('second');
		expect(mutationFn).toHaveBeenCalledTimes(2);
		manual.dispose();
	});

	it('names the option a misspelt one most likely meant, as query options do', () => {
		expect(() => createMutation({ mutationFn: async () => 1, onSucess: () => {} } as never, client)).toThrow(
			/^createMutation: unknown option "onSucess"; did you mean "onSuccess"\?$/
		);
		expect(() => createMutation({ mutationFn: async () => 1, retryDelays: 5 } as never, client)).toThrow(/did you mean "retryDelay"\?$/);
	});

	it('rejects unknown options and a missing mutationFn at creation', () => {
		expect(() => createMutation({ mutationFn: async () => 1, onSucess: () => {} } as never, client)).toThrow(
			/unknown option "onSucess"/
		);
		expect(() => createMutation({} as never, client)).toThrow(/"mutationFn" must be a function/);
		expect(() => createMutation({ mutationFn: async () => 1, retry: -1 }, client)).toThrow(/option "retry"/);
	});
});

describe('mutate', () => {
	it('never produces an unhandled rejection, whatever fails', async () => {
		vi.useRealTimers();
		const unhandled = vi.fn();
		process.on('unhandledRejection', unhandled);
		try {
			const failing = createMutation(
				{
					mutationFn: async () => {
						throw new Error('server error');
					},
					onSettled: () => {
						throw new Error('settle error');
					}
				},
				client
			);
			const report = vi.spyOn(console, 'error').mockImplementation(() => {});
			failing.mutate();
			createMutation({ mutationFn: () => Promise.reject('not even an Error') }, client).mutate();
			createMutation({ mutationFn: async () => 1, onMutate: () => Promise.reject(new Error('onMutate')) }, client).mutate();
			createMutation({ mutationFn: async () => 1, onSuccess: () => Promise.reject(new Error('onSuccess')) }, client).mutate();
			// Two macrotask turns: Node reports unhandled rejections after the microtask queue drains.
			await new Promise((resolve) => setTimeout(resolve, 0));
			await new Promise((resolve) => setTimeout(resolve, 0));
			expect(get(failing)).toMatchObject({ status: 'error', error: { message: 'server error' } });
			report.mockRestore();
		} finally {
			process.off('unhandledRejection', unhandled);
		}
		expect(unhandled).not.toHaveBeenCalled();
	});

	it('wraps a non-Error rejection in an Error kept as its cause', async () => {
		const mutation = createMutation({ mutationFn: () => Promise.reject('plain string') }, client);
		mutation.mutate();
		await flush();
		const state = get(mutation);
		expect(state.status).toBe('error');
		expect(state.error).toBeInstanceOf(Error);
		expect(state.error?.cause).toBe('plain string');
	});
});

describe('a mutation retry waiting out its delay when the connection comes back', () => {
	it('goes out at once, before the paused refetch of what it changes, so the optimistic update stands (the failure came from the dropped connection)', async () => {
		const online = manualOnline(true);
		const focus = manualFocus();
		const client = new QoraClient({ online, focus });
		const sent: string[] = [];
		let likes = 0;
		const stop = client
			.watchQuery({
				key: ['likes'],
				fetcher: async () => {
					sent.push('GET');
					return likes;
				},
				options: { staleTime: 0 }
			})
			.subscribe(() => {});
		await flush();
		let attempt = 0;
		const like = createMutation(
			{
				mutationFn: async () => {
					sent.push('POST');
					if (++attempt === 1) {
						online.set(false); // the connection drops: the request fails
						throw new TypeError('Failed to fetch');
					}
					likes++;
				},
				onMutate: () => {
					client.cancel(['likes']);
					client.setQueryData<number>(['likes'], (n) => (n ?? 0) + 1);
				},
				retry: 3,
				retryDelay: 1000
			},
			client
		);
		like.mutate();
		await flush(100);
		focus.focus(); // the stale count refetches, and pauses
		await flush(100);
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'paused', data: 1 });
		online.set(true); // back within the retry delay
		await flush();
		expect(client.getQueryData(['likes'])).toBe(1);
		expect(sent).toEqual(['GET', 'POST', 'POST', 'GET']);
		stop();
		client.dispose();
	});
});

describe('mutateAsync with onSettled returning invalidate (the README recipe), offline', () => {
	it('settles once the mutation has failed, even while offline', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const stop = client.watchQuery({ key: ['todos'], fetcher: async () => ['A'] }).subscribe(() => {});
		await flush();
		const add = createMutation(
			{
				mutationFn: async () => {
					online.set(false); // the network drops while the POST is out: fetch rejects
					throw new TypeError('Failed to fetch');
				},
				onSettled: () => client.invalidate(['todos'])
			},
			client
		);
		let outcome = 'none';
		add.mutateAsync().then(
			() => (outcome = 'resolved'),
			(error: Error) => (outcome = `rejected: ${error.message}`)
		);
		await flush(10 * 60_000);
		expect(get(add)).toMatchObject({ status: 'error', error: { message: 'Failed to fetch' } });
		expect(outcome).toBe('rejected: Failed to fetch');
		stop();
		client.dispose();
	});
});

describe("a mutation retry waiting in the client's scheduler", () => {
	it('still goes out after its delay when the cache is cleared meanwhile (a clear cancels the entries\' deadlines, not a retry)', async () => {
		// An unwatched entry: its gc deadline shares the client's one timer with the retry.
		client.setQueryData(['todos'], ['A']);
		let attempts = 0;
		const save = createMutation(
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
		const result = save.mutateAsync();
		await flush();
		expect(attempts).toBe(1);
		client.clear();
		await flush(999);
		expect(attempts).toBe(1);
		await flush(1);
		await expect(result).resolves.toBe('saved');
		expect(attempts).toBe(2);
		expect(get(save)).toMatchObject({ status: 'success', data: 'saved', failureCount: 0 });
	});
});

describe('a mutation on a disposed client', () => {
	it('a mutation on a disposed client never ran mutationFn: failureCount 0, no failureReason', async () => {
		const disposable = new QoraClient();
		const mutationFn = vi.fn(async () => 'saved');
		const mutation = createMutation({ mutationFn }, disposable);
		disposable.dispose();
		await expect(mutation.mutateAsync()).rejects.toMatchObject({ name: 'CancelledError' });
		expect(mutationFn).not.toHaveBeenCalled();
		expect(get(mutation)).toMatchObject({ status: 'error', failureCount: 0, failureReason: null });
	});

	it('disposed while an async onMutate runs: mutationFn never ran, failureCount 0', async () => {
		const disposable = new QoraClient();
		const gate = deferred<void>();
		const mutationFn = vi.fn(async () => 'saved');
		const mutation = createMutation({ mutationFn, onMutate: () => gate.promise }, disposable);
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush();
		disposable.dispose();
		gate.resolve();
		await expect(result).rejects.toMatchObject({ name: 'CancelledError' });
		expect(mutationFn).not.toHaveBeenCalled();
		expect(get(mutation)).toMatchObject({ status: 'error', failureCount: 0, failureReason: null });
	});
});

describe('createMutation options that are not what it takes', () => {
	it('refuses options that are not an object (a bare mutationFn, null), naming what it got', () => {
		expect(() => createMutation((async () => 1) as never, client)).toThrow(/^createMutation: expected \{ mutationFn, \.\.\. \}, got function$/);
		expect(() => createMutation(null as never, client)).toThrow(/^createMutation: expected \{ mutationFn, \.\.\. \}, got null$/);
		expect(() => createMutation('save' as never, client)).toThrow(/^createMutation: expected \{ mutationFn, \.\.\. \}, got string$/);
	});

	it('refuses a callback that is not a function, naming it', () => {
		for (const name of ['onMutate', 'onSuccess', 'onError', 'onSettled']) {
			expect(() => createMutation({ mutationFn: async () => 1, [name]: 'invalidate' } as never, client)).toThrow(
				new RegExp(`^createMutation: "${name}" must be a function, got string$`)
			);
		}
	});
});

describe('createMutation failures', () => {
	it('fails the call when mutationFn throws synchronously, as when it rejects, and retries it per retry', async () => {
		let attempt = 0;
		const mutation = createMutation(
			{
				mutationFn: (): Promise<string> => {
					attempt++;
					throw new Error(`sync throw ${attempt}`);
				},
				retry: 1,
				retryDelay: 100
			},
			client
		);
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush(100);
		await expect(result).rejects.toThrow('sync throw 2');
		expect(get(mutation)).toMatchObject({ status: 'error', data: undefined, failureCount: 2 });
	});

	it('shows the last attempt’s error as the failure reason once the retries run out', async () => {
		let attempt = 0;
		const mutation = createMutation(
			{
				mutationFn: async () => {
					throw new Error(`attempt ${++attempt}`);
				},
				retry: 2,
				retryDelay: 10
			},
			client
		);
		mutation.mutate();
		await flush(100);
		expect(get(mutation)).toMatchObject({
			status: 'error',
			error: { message: 'attempt 3' },
			failureCount: 3,
			failureReason: { message: 'attempt 3' }
		});
	});

	it('shows a CancelledError that mutationFn rejected with (a fetch it awaited was cancelled) as the failure reason', async () => {
		const mutation = createMutation(
			{
				mutationFn: async () => {
					const refetch = client.fetchQuery({ key: ['slow'], fetcher: () => new Promise<string>(() => {}) });
					client.cancel(['slow']);
					return refetch;
				}
			},
			client
		);
		await expect(mutation.mutateAsync()).rejects.toMatchObject({ name: 'CancelledError' });
		const state = get(mutation);
		expect(state).toMatchObject({ status: 'error', failureCount: 1 });
		expect(state.failureReason).toBe(state.error);
	});

	it('keeps the error of an attempt that failed while the client was disposed as the failure reason', async () => {
		const disposable = new QoraClient();
		const answer = deferred<string>();
		const mutation = createMutation({ mutationFn: () => answer.promise, retry: 3, retryDelay: 30_000 }, disposable);
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush();
		disposable.dispose();
		answer.reject(new Error('500'));
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'error', error: { name: 'CancelledError' }, failureCount: 1, failureReason: { message: '500' } });
	});

	it('counts no failed attempt for a call that waited offline and was given up when the client was disposed', async () => {
		const offline = new QoraClient({ online: manualOnline(false) });
		const mutation = createMutation({ mutationFn: async () => 'never', retry: 3 }, offline);
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush();
		offline.dispose();
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'error', error: { name: 'CancelledError' }, failureCount: 0, failureReason: null });
	});

	it('sends nothing when a subscriber disposes the client on seeing a paused call resume', async () => {
		const online = manualOnline(false);
		const offline = new QoraClient({ online });
		const mutationFn = vi.fn(async () => 'saved');
		const mutation = createMutation({ mutationFn }, offline);
		const stop = mutation.subscribe((state) => {
			if (state.status === 'pending' && !state.isPaused) offline.dispose(); // e.g. a logout that the resumed write triggers
		});
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush();
		online.set(true);
		await flush();
		expect(mutationFn).not.toHaveBeenCalled();
		await expect(result).rejects.toMatchObject({ name: 'CancelledError' });
		stop();
	});
});

describe('createMutation errors reported to the client', () => {
	it('reports nothing for a failed call without onError', async () => {
		const onError = vi.fn();
		const reporting = new QoraClient({ onError });
		const mutation = createMutation({ mutationFn: async () => Promise.reject(new Error('409')) }, reporting);
		await expect(mutation.mutateAsync()).rejects.toThrow('409');
		expect(onError).not.toHaveBeenCalled();
		reporting.dispose();
	});

	it('reports an onSettled that throws after a failure, keeping the failure as the call’s error', async () => {
		const onError = vi.fn();
		const reporting = new QoraClient({ onError });
		const mutation = createMutation(
			{
				mutationFn: async () => Promise.reject(new Error('409')),
				onSettled: () => {
					throw new Error('invalidate failed');
				}
			},
			reporting
		);
		await expect(mutation.mutateAsync()).rejects.toThrow('409');
		expect(get(mutation)).toMatchObject({ status: 'error', error: { message: '409' } });
		expect(onError.mock.calls).toEqual([[expect.objectContaining({ message: 'invalidate failed' })]]);
		reporting.dispose();
	});
});

describe('reset and later calls', () => {
	it('a call started before reset does not change the state of a call started after it', async () => {
		const answers = [deferred<string>(), deferred<string>()];
		const mutation = createMutation<string, number>({ mutationFn: (n) => answers[n]!.promise }, client);
		const older = mutation.mutateAsync(0);
		mutation.reset();
		const newer = mutation.mutateAsync(1);
		answers[0]!.resolve('first');
		await older;
		expect(get(mutation)).toMatchObject({ status: 'pending', variables: 1 });
		answers[1]!.resolve('second');
		await newer;
		expect(get(mutation)).toMatchObject({ status: 'success', data: 'second', variables: 1 });
	});
});

describe('a retried mutation whose last attempt rejects with a CancelledError of its own', () => {
	it('shows that CancelledError as the failure reason, not the earlier attempt’s error', async () => {
		// The second attempt awaits a fetch that a cancel (a logout's clear, say) stops: mutationFn
		// rejects with the fetch's CancelledError. No dispose is involved: it is the attempt's own failure.
		let attempt = 0;
		const mutation = createMutation(
			{
				mutationFn: async () => {
					if (++attempt === 1) throw new Error('503');
					const token = client.fetchQuery({ key: ['token'], fetcher: () => new Promise<string>(() => {}) });
					client.cancel(['token']);
					return token;
				},
				retry: 1,
				retryDelay: 10
			},
			client
		);
		const result = mutation.mutateAsync();
		result.catch(() => {});
		await flush(10);
		await expect(result).rejects.toBeInstanceOf(CancelledError);
		expect(attempt).toBe(2);
		const state = get(mutation);
		expect(state).toMatchObject({ status: 'error', failureCount: 2 });
		// The error of the last failed attempt (as without the retry: see create-mutation.test.ts).
		expect(state.failureReason).toBe(state.error);
	});
});

describe('a mutation attempt that fails while offline, with retries left', () => {
	it('never shows the retry as not paused: the next attempt waits for the connection', async () => {
		const online = manualOnline(true);
		const offlineSoon = new QoraClient({ online });
		let attempt = 0;
		const mutation = createMutation(
			{
				mutationFn: async () => {
					if (++attempt === 1) {
						online.set(false); // the connection drops while the request is out
						throw new TypeError('Failed to fetch');
					}
					return 'saved';
				},
				retry: 2,
				retryDelay: 1000
			},
			offlineSoon
		);
		const seen: string[] = [];
		const stop = mutation.subscribe((state: MutationState<string, void>) => seen.push(`${state.status} paused=${state.isPaused} failures=${state.failureCount}`));
		mutation.mutate();
		await flush();
		expect(seen).toEqual(['idle paused=false failures=0', 'pending paused=false failures=0', 'pending paused=true failures=1']);
		online.set(true);
		await flush();
		expect(seen.slice(3)).toEqual(['pending paused=false failures=1', 'success paused=false failures=0']);
		stop();
		offlineSoon.dispose();
	});
});
