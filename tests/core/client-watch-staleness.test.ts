/** Behaviour pinned by a mutation-testing pass: watchers, held fetches and their options. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { MINUTE, flush, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('_holdFetches with several subscribers of one key', () => {
	it.each([
		['the strict one first', [0, MINUTE]],
		['the strict one last', [MINUTE, 0]]
	])('fetches at the release when any held subscriber finds the data stale (%s)', async (_name, staleTimes) => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'seeded');
		const fetcher = vi.fn(async () => 'fetched');
		const release = client._holdFetches();
		const watchers = staleTimes.map((staleTime) => record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime } })));
		expect(fetcher).not.toHaveBeenCalled();
		release();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(watchers[0]?.last).toMatchObject({ data: 'fetched' });
		for (const watcher of watchers) watcher.stop();
	});
});

describe('_holdFetches when a held subscriber leaves before the release', () => {
	it('keeps fresh data unfetched when the only held subscriber that found it stale has unmounted (or turned disabled) by the release', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'seeded');
		const fetcher = vi.fn(async () => 'fetched');
		const release = client._holdFetches();
		// A header (staleTime 0) and the page (staleTime a minute) mount while a streamed payload is on its way.
		const header = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }));
		const toggled = client._watch({ key: ['k'], fetcher, options: { staleTime: 0 } }, () => {});
		const page = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: MINUTE } }));
		// Before the payload lands, the header unmounts and the other strict query is disabled.
		header.stop();
		toggled.update({ key: ['k'], fetcher, options: { staleTime: 0, enabled: false } });
		release();
		await flush();
		// Only the page is left to decide, and the data is fresh by its staleTime: the gone watchers' staleTime must not fetch.
		expect(fetcher).not.toHaveBeenCalled();
		expect(page.last).toMatchObject({ data: 'seeded' });
		page.stop();
		toggled.stop();
	});
});

describe('a watcher whose staleTime makes fresh data stale', () => {
	it('tells the watchers already there that the data is stale now, when the newcomer is disabled (no fetch to tell them)', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'seeded');
		const fetcher = vi.fn(async () => 'fetched');
		const patient = record(client.watchQuery({ key: ['k'], fetcher, options: { enabled: false, staleTime: MINUTE } }));
		expect(patient.last.isStale).toBe(false);
		const strict = record(client.watchQuery({ key: ['k'], fetcher, options: { enabled: false, staleTime: 0 } }));
		expect(strict.last.isStale).toBe(true);
		expect(patient.last.isStale).toBe(true);
		expect(fetcher).not.toHaveBeenCalled();
		patient.stop();
		strict.stop();
	});

	it('tells the watchers already there when the newcomer’s fetch is held back (_holdFetches)', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'seeded');
		const fetcher = vi.fn(async () => 'fetched');
		const patient = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: MINUTE } }));
		expect(patient.last.isStale).toBe(false);
		const release = client._holdFetches();
		const strict = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }));
		expect(fetcher).not.toHaveBeenCalled();
		expect(patient.last.isStale).toBe(true);
		release();
		await flush();
		expect(patient.last).toMatchObject({ data: 'fetched' });
		patient.stop();
		strict.stop();
	});
});

describe('timers left behind by the last watcher', () => {
	it('the staleness deadline goes with the last watcher: with gcTime Infinity, no timer stays armed', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'fetched');
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: MINUTE, gcTime: Infinity } }));
		await flush();
		expect(watcher.last).toMatchObject({ data: 'fetched', isStale: false });
		expect(vi.getTimerCount()).toBe(1); // the flip to stale, a minute from now
		watcher.stop();
		expect(vi.getTimerCount()).toBe(0);
	});
});

describe('the staleness timer of a watched entry', () => {
	it('goes when the data turns stale at any age: invalidating fresh data drops its flip', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'a');
		const stop = client.observeQuery(['k']).subscribe(() => {});
		expect(vi.getTimerCount()).toBe(1); // the flip to stale, five minutes from now
		void client.invalidate(['k']);
		expect(client.getState(['k'])).toMatchObject({ isInvalidated: true, isStale: true });
		expect(vi.getTimerCount()).toBe(0);
		stop();
	});
});

describe('a disabled watcher given new options (_watch update)', () => {
	it('its new staleTime decides the staleness it sees, as when it subscribed with it', async () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 'seeded');
		const fetcher = vi.fn(async () => 'fetched');
		const states: boolean[] = [];
		const watcher = client._watch<string>({ key: ['k'], fetcher, options: { enabled: false, staleTime: MINUTE } }, (state) => states.push(state.isStale));
		expect(states).toEqual([false]);
		watcher.update({ key: ['k'], fetcher, options: { enabled: false, staleTime: 0 } });
		expect(states).toEqual([false, true]);
		expect(client.getState(['k'])?.isStale).toBe(true);
		expect(fetcher).not.toHaveBeenCalled();
		watcher.stop();
	});
});
