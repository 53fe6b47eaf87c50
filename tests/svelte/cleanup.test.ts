/** The stores end everything they started when the last subscriber leaves (gaps found by mutation testing). */
import { writable } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient, type KeyInput } from '../../src/lib/index.js';
import { createMutation, createQuery, createQueryState } from '../../src/lib/svelte/index.js';
import { flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

/** Counts the subscriptions to `client.observeQuery` stores that are still open. */
function countObservations(target: QoraClient) {
	let open = 0;
	const original = target.observeQuery.bind(target);
	vi.spyOn(target, 'observeQuery').mockImplementation(((key: KeyInput) => {
		const store = original(key);
		return {
			subscribe(run: Parameters<typeof store.subscribe>[0]) {
				open++;
				const stop = store.subscribe(run);
				return () => {
					open--;
					stop();
				};
			}
		};
	}) as typeof target.observeQuery);
	return () => open;
}

/** How many listeners the client's `method` holds, counted through a spy. */
function countListeners(method: '_onRemove' | '_onResume'): () => number {
	let listening = 0;
	const original = client[method].bind(client) as (listener: never) => () => void;
	vi.spyOn(client, method).mockImplementation(((listener: never) => {
		listening++;
		const stop = original(listener);
		return () => {
			listening--;
			stop();
		};
	}) as never);
	return () => listening;
}

describe('createQueryState', () => {
	it('ends its observation of the key when the last subscriber leaves', () => {
		const open = countObservations(client);
		client.setQueryData(['profile'], 'cached');
		const stop = createQueryState<string>(['profile'], client).subscribe(() => {});
		expect(open()).toBe(1);
		stop();
		expect(open()).toBe(0);
	});

	it('ends the observation of the current key, not only the key store, for a key that is a store', () => {
		const open = countObservations(client);
		const key = writable<KeyInput>(['a']);
		const stop = createQueryState<string>(key, client).subscribe(() => {});
		key.set(['b']);
		expect(open()).toBe(1); // switching left ['a']
		stop();
		expect(open()).toBe(0);
	});

	it("ends the observation even when the key store's unsubscriber throws", () => {
		const open = countObservations(client);
		const keys = writable<KeyInput>(['profile']);
		const key = {
			subscribe(run: (key: KeyInput) => void) {
				const stop = keys.subscribe(run);
				return () => {
					stop();
					throw new Error('key store teardown failed');
				};
			}
		};
		const stop = createQueryState<string>(key, client).subscribe(() => {});
		expect(open()).toBe(1);
		expect(stop).toThrow('key store teardown failed');
		expect(open()).toBe(0);
	});
});

describe('createQueryState with a key store', () => {
	it('keeps observing through an equal key set again (a new array, same key): no new observation', () => {
		const observe = vi.spyOn(client, 'observeQuery');
		const key = writable<KeyInput>(['a', { page: 1 }]);
		const stop = createQueryState<string>(key, client).subscribe(() => {});
		key.set(['a', { page: 1 }]);
		expect(observe).toHaveBeenCalledTimes(1);
		stop();
	});
});

describe('createQuery', () => {
	it('stops listening for removals when the last subscriber leaves', async () => {
		const listening = countListeners('_onRemove');
		const stop = createQuery({ key: ['todos'], fetcher: async () => ['a'] }, client).subscribe(() => {});
		await flush();
		expect(listening()).toBe(1);
		stop();
		expect(listening()).toBe(0);
	});
});

describe('createMutation', () => {
	it('stops listening for the connection once a call has settled, whether it succeeded or failed', async () => {
		const listening = countListeners('_onResume');
		const mutation = createMutation<string, string>({ mutationFn: async (title) => title }, client);
		const failing = createMutation<string, string>(
			{
				mutationFn: async () => {
					throw new Error('409 conflict');
				}
			},
			client
		);
		mutation.mutate('a');
		failing.mutate('b');
		expect(listening()).toBe(2);
		await flush();
		expect(listening()).toBe(0);
	});
});
