import { render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { get, writable } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient, type KeyInput, type QoraState } from '../../src/lib/index.js';
import { createQueryState } from '../../src/lib/svelte/index.js';
import Provide from './components/Provide.svelte';
import QueryView from './components/QueryView.svelte';
import StateView from './components/StateView.svelte';
import { flush, freshClientPerTest, plainStore } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('createQueryState', () => {
	it('renders cached data and follows writes, never calling a fetcher', async () => {
		const fetcher = vi.fn(async () => 'fetched');
		// A stale entry with a fetcher on record: a watcher would refetch it, an observer must not.
		await client.fetchQuery({ key: ['profile'], fetcher, options: { staleTime: 0 } });
		expect(fetcher).toHaveBeenCalledTimes(1);

		render(Provide, { client, view: StateView, viewProps: { stateKey: ['profile'] } });
		expect(screen.getByTestId('state')).toHaveTextContent('success: fetched');

		client.setQueryData(['profile'], 'written');
		await tick();
		expect(screen.getByTestId('state')).toHaveTextContent('success: written');

		window.dispatchEvent(new Event('focus'));
		await client.invalidate(['profile']);
		await flush(60_000);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('shows a key with no entry as pending, and the data once a watcher elsewhere fetches it', async () => {
		render(Provide, { client, view: StateView, viewProps: { stateKey: ['later'] } });
		expect(screen.getByTestId('state')).toHaveTextContent('pending: nothing');

		render(Provide, { client, view: QueryView, viewProps: { config: { key: ['later'], fetcher: async () => 'arrived' } } });
		await flush();
		expect(screen.getByTestId('state')).toHaveTextContent('success: arrived');
	});

	it('switches entries when its key store changes, and ignores an equal key', () => {
		client.setQueryData(['user', 1], 'Ada');
		client.setQueryData(['user', 2], 'Grace');
		const key = writable<KeyInput>(['user', 1]);
		const seen: QoraState<string>[] = [];
		const stop = createQueryState<string>(key, client).subscribe((state) => seen.push(state));
		expect(seen.map((s) => s.data)).toEqual(['Ada']);

		key.set(['user', 1]);
		expect(seen).toHaveLength(1);
		key.set(['user', 2]);
		expect(seen.map((s) => s.data)).toEqual(['Ada', 'Grace']);
		stop();
	});

	it('gives a subscriber that comes back after the last one left the same state object, once', () => {
		client.setQueryData(['profile'], 'Ada');
		const store = createQueryState<string>(['profile'], client);
		const stop = store.subscribe(() => {});
		const before = get(store);
		stop();

		const seen: QoraState<string>[] = [];
		const stopAgain = store.subscribe((state) => seen.push(state));
		expect(seen).toHaveLength(1);
		expect(seen[0]).toBe(before);
		stopAgain();
	});

	it('throws at creation for an invalid key', () => {
		expect(() => createQueryState([Symbol('no')], client)).toThrow(/Invalid query key: key\[0\]/);
	});

	it('throws on subscribe for an invalid first key from a store, leaving no observer behind', async () => {
		const keys = writable<unknown[]>(['user', undefined]);
		const state = createQueryState(keys, client);
		expect(() => state.subscribe(() => {})).toThrow(/Invalid query key: key\[1\]/);
		keys.set(['user', 1]);
		expect(client.size).toBe(0);
		client.setQueryData(['user', 1], 'Ada');
		await flush(10 * 60_000);
		expect(client.getState(['user', 1])).toBeUndefined(); // nothing observed it, so gc took it
	});

	it('recovers from a subscribe that threw: a later subscriber observes afresh', () => {
		client.setQueryData(['user', 1], 'Ada');
		// Observing fails once (as it would for a key whose getter throws on a later read).
		vi.spyOn(client, 'observeQuery').mockImplementationOnce(() => {
			throw new Error('key read failed');
		});
		const keys = writable<KeyInput>(['user', 1]);
		const state = createQueryState<string>(keys, client);
		expect(() => state.subscribe(() => {})).toThrow('key read failed');
		keys.set(['user', 2]); // nobody subscribes: nothing may observe it
		expect(client.getState(['user', 2])).toBeUndefined();
		keys.set(['user', 1]);

		const seen: QoraState<string>[] = [];
		const stop = state.subscribe((value) => seen.push(value));
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'Ada' });
		stop();
	});
});

describe('createQueryState with a key store that later holds an invalid key', () => {
	it('reports it, keeps showing the current key, and leaves other stores working', () => {
		const reported: unknown[] = [];
		const reporting = new QoraClient({ onError: (error) => reported.push(error) });
		reporting.setQueryData(['user', 1], 'Ada');
		const key = writable<KeyInput>(['user', 1]);
		const seen: QoraState<string>[] = [];
		const stop = createQueryState<string>(key, reporting).subscribe((state) => seen.push(state));
		expect(() => key.set(['user', undefined])).not.toThrow();
		expect(String(reported[0])).toContain('key[1] is undefined');
		expect(seen.at(-1)).toMatchObject({ data: 'Ada' });
		const other = writable(1);
		const values: number[] = [];
		other.subscribe((value) => values.push(value));
		other.set(2);
		expect(values).toEqual([1, 2]);
		stop();
		reporting.dispose();
	});

	it('follows the key the store ends on when a subscriber changes it during the first emission of a new key', () => {
		client.setQueryData(['k', 1], 'one');
		client.setQueryData(['k', 2], 'two');
		client.setQueryData(['k', 3], 'three');
		const key = plainStore<KeyInput>(['k', 1]);
		const seen: QoraState<string>[] = [];
		let redirect = true;
		const stop = createQueryState<string>(key, client).subscribe((state) => {
			seen.push(state);
			if (redirect && state.data === 'two') {
				redirect = false;
				key.set(['k', 3]);
			}
		});
		key.set(['k', 2]);
		expect(seen.at(-1)).toMatchObject({ data: 'three' });
		key.set(['k', 2]);
		expect(seen.at(-1)).toMatchObject({ data: 'two' });
		stop();
	});
});
