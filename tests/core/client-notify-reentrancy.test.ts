/** Watchers in a DenseList, re-entrant listeners, and the cache's walks, at the client's surface. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type QoraState } from '../../src/lib/index.js';
import { useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

function watchers(client: QoraClient, n: number, onRun?: (i: number, state: QoraState<number>) => void) {
	const log: string[] = [];
	const stops: (() => void)[] = [];
	for (let i = 0; i < n; i++) {
		stops.push(
			client.observeQuery<number>(['k']).subscribe((state) => {
				log.push(`${i}:${String(state.data)}`);
				onRun?.(i, state);
			})
		);
	}
	return { log, stops };
}

describe('watcher lists under re-entrancy', () => {
	it('a listener that unsubscribes 30 others mid-walk: they are skipped, and after compaction the right ones stay', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 0);
		let armed = false;
		const { log, stops } = watchers(client, 40, (i) => {
			if (armed && i === 0) for (let j = 1; j <= 30; j++) stops[j]?.();
		});
		armed = true;
		log.length = 0;
		client.setQueryData(['k'], 1);
		armed = false;
		expect(log).toEqual(['0:1', ...Array.from({ length: 9 }, (_, j) => `${31 + j}:1`)]);
		// After the walk the list compacted: unsubscribing by (new) index removes exactly the one asked for.
		stops[35]?.();
		stops[35]?.(); // twice: harmless
		stops[3]?.(); // already gone: harmless
		log.length = 0;
		client.setQueryData(['k'], 2);
		expect(log).toEqual(['0:2', '31:2', '32:2', '33:2', '34:2', '36:2', '37:2', '38:2', '39:2']);
	});

	it('a listener that unsubscribes itself, and one that subscribes a new watcher, during a notification', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 0);
		const late: string[] = [];
		let once = true;
		const { log, stops } = watchers(client, 3, (i, state) => {
			if (state.data !== 1) return;
			if (i === 0) stops[0]?.();
			if (i === 1 && once) {
				once = false;
				client.observeQuery<number>(['k']).subscribe((s) => late.push(`late:${String(s.data)}`));
			}
		});
		log.length = 0;
		client.setQueryData(['k'], 1);
		expect(log).toEqual(['0:1', '1:1', '2:1']);
		expect(late).toEqual(['late:1']); // once, at subscribe; the walk does not repeat it
		log.length = 0;
		client.setQueryData(['k'], 2);
		expect(log).toEqual(['1:2', '2:2']);
		expect(late).toEqual(['late:1', 'late:2']);
	});

	it('a nested write from a listener cuts the outer walk short and everyone ends on the newest data, in order', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 0);
		const { log } = watchers(client, 4, (i, state) => {
			if (i === 1 && state.data === 1) client.setQueryData(['k'], 2);
		});
		log.length = 0;
		client.setQueryData(['k'], 1);
		expect(log).toEqual(['0:1', '1:1', '0:2', '1:2', '2:2', '3:2']);
	});

	it('a listener that throws is reported, the others still run, and the list still compacts afterwards', () => {
		const errors: unknown[] = [];
		const client = new QoraClient({ onError: (error) => errors.push(error) });
		client.setQueryData(['k'], 0);
		const { log, stops } = watchers(client, 40, (i, state) => {
			if (i === 2 && state.data === 1) throw new Error('listener');
		});
		log.length = 0;
		client.setQueryData(['k'], 1);
		expect(errors).toHaveLength(1);
		expect(log).toHaveLength(40);
		for (let j = 0; j < 39; j++) stops[j]?.();
		log.length = 0;
		client.setQueryData(['k'], 2);
		expect(log).toEqual(['39:2']);
	});

	it('unsubscribing after remove, clear and dispose is harmless', () => {
		const client = new QoraClient();
		client.setQueryData(['k'], 0);
		const { log, stops } = watchers(client, 3);
		client.remove(['k']);
		stops[0]?.();
		client.clear();
		stops[1]?.();
		log.length = 0;
		client.setQueryData(['k'], 5);
		expect(log).toEqual(['2:5']);
		client.dispose();
		stops[2]?.();
		stops[2]?.();
		expect(client.size).toBe(0);
	});
});

describe('the cache walks in insertion order', () => {
	it('an invalidateWhere predicate that removes entries and adds new ones: each old entry tested once, order kept', async () => {
		const client = new QoraClient();
		for (let i = 0; i < 40; i++) client.setQueryData(['e', i], i);
		const tested: number[] = [];
		await client.invalidateWhere((parts) => {
			const i = parts[1] as number;
			tested.push(i);
			if (i % 2 === 0) client.remove(['e', i + 1]);
			client.setQueryData(['new', i], i);
			return false;
		});
		expect(tested).toEqual(Array.from({ length: 20 }, (_, j) => 2 * j));
		expect(client.keys()).toEqual([
			...Array.from({ length: 20 }, (_, j) => ['e', 2 * j]),
			...Array.from({ length: 20 }, (_, j) => ['new', 2 * j])
		]);
		client.remove(['e', 0]);
		client.setQueryData(['e', 0], 'back');
		expect(client.keys().at(-1)).toEqual(['e', 0]);
		expect(client.size).toBe(40);
	});
});

describe("the first page's deferral under re-entrancy", () => {
	it('keeps the data written when a listener, told of a fetchQuery seed in the deferral, drops the key and writes it afresh (no call of a missing fetcher when the deferral ends)', async () => {
		const client = new QoraClient();
		client._deferRevalidation(true);
		// An observer that, told of the seed, lets go, drops the key and writes it anew (invalidated, so stale):
		// the entry fetchQuery goes on with is the listener's, which no fetchQuery or watcher configured.
		let seen = 0;
		const stop = client.observeQuery<string>(['k']).subscribe(() => {
			if (++seen !== 2) return;
			stop();
			client.remove(['k']);
			client.setQueryData(['k'], 'written');
			void client.invalidate(['k']);
		});
		const fetcher = vi.fn(async () => 'fetched');
		await expect(client.fetchQuery({ key: ['k'], fetcher, options: { initialData: 'seed' } })).resolves.toBe('written');
		client._deferRevalidation(false);
		await vi.advanceTimersByTimeAsync(10_000);
		// Before 741df18 the deferral's end skipped an entry with no fetcher; now it calls null, and
		// "fetcher is not a function" (retried 3 times) turns the written data into an error.
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'written', error: null, failureCount: 0 });
		client.dispose();
	});
});
