import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, QoraClient } from '../../src/lib/index.js';
import { controlledFetcher, flush, phase, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

/** A watched entry with a first fetch in flight, then replaced by an invalidation: two fetches race. */
async function racing() {
	const client = new QoraClient();
	const { fetcher, call } = controlledFetcher<string>();
	const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
	const older = call(0);
	const done = client.invalidate(['k']);
	const newer = call(1);
	return { client, watcher, older, newer, done };
}

describe('races: an older response never overwrites a newer one', () => {
	it('the older fetch resolving after the newer is ignored', async () => {
		const { client, watcher, older, newer, done } = await racing();
		newer.resolve('newer');
		await done;
		older.resolve('older');
		await flush();
		expect(client.getQueryData(['k'])).toBe('newer');
		expect(watcher.states.map((s) => s.data)).not.toContain('older');
	});

	it('the older fetch resolving first is ignored too: the entry keeps fetching until the newer one lands', async () => {
		const { client, watcher, older, newer } = await racing();
		older.resolve('older');
		await flush();
		expect(client.getState(['k'])).toMatchObject({ status: 'pending', fetchStatus: 'fetching', data: undefined });
		newer.resolve('newer');
		await flush();
		expect(watcher.last).toMatchObject({ status: 'success', data: 'newer' });
		expect(watcher.states.map((s) => s.data)).not.toContain('older');
	});

	it('the older fetch failing late leaves no error behind', async () => {
		const { client, older, newer, done } = await racing();
		newer.resolve('newer');
		await done;
		older.reject(new Error('old failure'));
		await flush();
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'newer', error: null, failureCount: 0 });
	});

	it('the replaced fetch’s signal is aborted and its callers get the newer result', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		record(client.watchQuery({ key: ['k'], fetcher }));
		const early = client.fetchQuery({ key: ['k'], fetcher });
		void client.invalidate(['k']);
		expect(call(0).signal.aborted).toBe(true);
		call(1).resolve('newer');
		await expect(early).resolves.toBe('newer');
	});

	it('a fetch cancelled and started again: the first one’s late result is ignored', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		void client.fetchQuery({ key: ['k'], fetcher }).catch(() => {});
		client.cancel(['k']);
		const second = client.fetchQuery({ key: ['k'], fetcher });
		call(1).resolve('second');
		await second;
		call(0).resolve('first');
		await flush();
		expect(client.getQueryData(['k'])).toBe('second');
	});

	it('a removed entry’s late result never lands in the entry created after it', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const first = client.fetchQuery({ key: ['k'], fetcher });
		client.remove(['k']);
		await expect(first).rejects.toBeInstanceOf(CancelledError);
		client.setQueryData(['k'], 'fresh');
		call(0).resolve('stale result');
		await flush();
		expect(client.getQueryData(['k'])).toBe('fresh');
	});

	it('a write during a fetch is newer than the fetch’s result, which is dropped', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		client.setQueryData(['k'], 'written');
		call(0).resolve('fetched before the write');
		await flush();
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'written' });
		expect(watcher.states.map((s) => s.data)).not.toContain('fetched before the write');
	});

	it('callers of a fetch never get undefined when a rollback to "no data" lands during it', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string[]>();
		const watcher = record(client.watchQuery({ key: ['todos'], fetcher }));
		const result = client.fetchQuery({ key: ['todos'], fetcher });
		// an optimistic update and its rollback while the first load is in flight
		const snapshot = client.getState<string[]>(['todos']);
		client.setQueryData<string[]>(['todos'], (old) => [...(old ?? []), 'optimistic']);
		client.restoreQueryData(['todos'], snapshot);
		call(0).resolve(['from server']);
		await expect(result).resolves.toEqual(['from server']);
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: ['from server'] });
	});

	it('a success racing with a cancel: whichever comes first wins, the other is ignored', async () => {
		const client = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const result = client.fetchQuery({ key: ['k'], fetcher });
		call(0).resolve('landed');
		await result;
		client.cancel(['k']);
		expect(phase(client.getState(['k']))).toBe('success/idle');
		expect(client.getQueryData(['k'])).toBe('landed');
	});
});
