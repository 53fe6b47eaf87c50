// Interleavings of connectivity, retry backoff, invalidate, cancel, remove, polling and gc.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, dehydrate, hydrate } from '../../src/lib/index.js';
import { T0, advance, controlledFetcher, counter, flush, manualFocus, manualOnline, phase, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

function timedFailing() {
	const at: number[] = [];
	const fetcher = vi.fn(async () => {
		at.push(Date.now() - T0);
		throw new Error('down');
	});
	return { at, fetcher };
}

describe('retry timing as the connection comes and goes', () => {
	it('default backoff 1s/2s/4s', async () => {
		const client = new QoraClient();
		const { at, fetcher } = timedFailing();
		const w = record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(20_000);
		expect(at).toEqual([0, 1000, 3000, 7000]);
		expect(w.last).toMatchObject({ status: 'error', fetchStatus: 'idle', failureCount: 4 });
	});

	it('offline/online flap inside a backoff does not change the rhythm', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const { at, fetcher } = timedFailing();
		record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(1500);
		online.set(false);
		await advance(500);
		online.set(true);
		await advance(20_000);
		expect(at).toEqual([0, 1000, 3000, 7000]);
	});

	it('a backoff that ends offline waits, then the next delays go on from the count', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const { at, fetcher } = timedFailing();
		const w = record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(1500); // attempts at 0, 1000; backoff 2 s until 3000
		online.set(false);
		await advance(7000); // 8500
		expect(w.last.fetchStatus).toBe('paused');
		expect(at).toEqual([0, 1000]);
		online.set(true);
		await advance(20_000);
		expect(at).toEqual([0, 1000, 8500, 12500]);
		expect(w.last).toMatchObject({ status: 'error', fetchStatus: 'idle', failureCount: 4 });
	});

	it('invalidate of a paused watched fetch: one request on reconnect', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const fetcher = counter();
		const w = record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		await client.invalidate(['k']);
		await client.invalidate(['k']);
		expect(w.last.fetchStatus).toBe('paused');
		online.set(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(w.last).toMatchObject({ status: 'success', data: 1, fetchStatus: 'idle', isInvalidated: false });
	});

	it('remove during a backoff stops the retries and arms no timer', async () => {
		const client = new QoraClient();
		const { at, fetcher } = timedFailing();
		const w = record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(1500);
		client.remove(['k']);
		expect(phase(w.last)).toBe('pending/idle');
		expect(w.last.failureCount).toBe(0);
		await advance(20_000);
		expect(at).toEqual([0, 1000]);
		w.stop();
		await advance(10 * 60_000);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('a paused fetchQuery keeps its entry past gcTime, lands on reconnect and is collected gcTime later', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online, defaultOptions: { gcTime: 1000 } });
		const p = client.fetchQuery({ key: ['k'], fetcher: counter() });
		await advance(5000);
		expect(client.getState(['k'])?.fetchStatus).toBe('paused');
		online.set(true);
		await expect(p).resolves.toBe(1);
		await advance(999);
		expect(client.size).toBe(1);
		await advance(1);
		expect(client.size).toBe(0);
	});

	it('polling while offline: one paused fetch, one request on reconnect, rhythm kept', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const fetcher = counter();
		const w = record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		online.set(false);
		await advance(3500);
		expect(w.last.fetchStatus).toBe('paused');
		online.set(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		await advance(500); // 4000: poll
		expect(fetcher).toHaveBeenCalledTimes(3);
	});

	it('cancel while paused: idle at once; on reconnect the watched entry, stale without data, is fetched once', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const fetcher = counter();
		const w = record(client.watchQuery({ key: ['k'], fetcher }));
		client.cancel(['k']);
		expect(phase(w.last)).toBe('pending/idle');
		online.set(true);
		await flush();
		// Reconnect refetches watched stale entries (pending is stale): the cancel does not stop that.
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(phase(w.last)).toBe('success/idle');
	});

	it('setQueryData during a paused first load: the request sent after it lands', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const fetcher = counter();
		const w = record(client.watchQuery({ key: ['k'], fetcher }));
		client.setQueryData(['k'], 'seed');
		expect(w.last).toMatchObject({ status: 'success', data: 'seed', fetchStatus: 'paused' });
		online.set(true);
		await flush();
		expect(w.last).toMatchObject({ status: 'success', data: 1, fetchStatus: 'idle' });
	});

	it('hydrate during an in-flight fetch started after the server data: fetch lands', async () => {
		const client = new QoraClient();
		const f = controlledFetcher<string>();
		const w = record(client.watchQuery({ key: ['k'], fetcher: f.fetcher }));
		await advance(100);
		const server = new QoraClient();
		vi.setSystemTime(T0 - 1000);
		server.setQueryData(['k'], 'server');
		vi.setSystemTime(T0 + 100);
		hydrate(client, dehydrate(server));
		expect(w.last).toMatchObject({ data: 'server', fetchStatus: 'fetching' });
		f.call(0).resolve('fresh');
		await flush();
		expect(w.last).toMatchObject({ data: 'fresh', fetchStatus: 'idle', isStale: false });
	});
});

describe('dispose and gc in busy states', () => {
	it('dispose with polling, a backoff, a paused fetch and gc timers leaves no timer or source listener', async () => {
		const online = manualOnline(true);
		const focus = manualFocus();
		const client = new QoraClient({ online, focus });
		const { fetcher } = timedFailing();
		record(client.watchQuery({ key: ['poll'], fetcher: counter(), options: { refetchInterval: 1000 } }));
		record(client.watchQuery({ key: ['fail'], fetcher }));
		client.setQueryData(['gc'], 1);
		await advance(1500);
		online.set(false);
		void client.fetchQuery({ key: ['paused'], fetcher: counter() }).catch(() => {});
		client.dispose();
		expect(vi.getTimerCount()).toBe(0);
		expect(online.listenerCount).toBe(0);
		expect(focus.listenerCount).toBe(0);
	});

	it('gc: a write after the last watcher left moves the deadline; an invalidation does not', async () => {
		const client = new QoraClient({ defaultOptions: { gcTime: 1000 } });
		const w = record(client.watchQuery({ key: ['k'], fetcher: counter() }));
		await flush();
		w.stop();
		await advance(500);
		client.setQueryData(['k'], 5);
		await advance(400);
		void client.invalidate(['k']);
		await advance(599);
		expect(client.size).toBe(1);
		await advance(1);
		expect(client.size).toBe(0);
	});
});
