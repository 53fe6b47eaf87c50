/**
 * "No per-query timers": staleness is computed from timestamps, and gc, staleness
 * flips, polling and retry backoff all run from the client's one scheduler. So
 * 100,000 entries, however they came to be, cost at most one pending platform
 * timer, and gc still removes every entry at its own deadline.
 *
 * The client uses its default clock (the globals, read at call time), so these
 * are the real platform timers, counted by vitest's fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type QoraState } from '../../src/lib/index.js';

const N = 100_000;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const GC = 5 * MINUTE; // the built-in gcTime
const SLOW = 120_000; // per-test timeout: 100,000 entries on a busy 2-core CI machine

const timers = () => vi.getTimerCount();
const flush = () => vi.advanceTimersByTimeAsync(0);
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

let client: QoraClient;

beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(Date.UTC(2024, 0, 1));
});

afterEach(() => {
	client?.dispose();
	vi.useRealTimers();
});

describe('100,000 entries cost at most one timer', () => {
	it(
		'setQueryData: one timer while writing, each batch collected exactly gcTime after its own write',
		async () => {
			client = new QoraClient();
			const BATCHES = 10;
			const perBatch = N / BATCHES;
			// Ten batches written one second apart: ten different gc deadlines.
			for (let b = 0; b < BATCHES; b++) {
				for (let i = 0; i < perBatch; i++) {
					client.setQueryData(['users', b * perBatch + i, { page: i % 10, filter: 'active' }], { id: i });
				}
				expect(timers()).toBe(1);
				if (b < BATCHES - 1) await advance(SECOND);
			}
			expect(client.size).toBe(N);
			// The first batch was written (BATCHES - 1) seconds ago.
			await advance(GC - (BATCHES - 1) * SECOND - 1);
			expect(client.size).toBe(N);
			for (let b = 0; b < BATCHES; b++) {
				await advance(1);
				// Exactly batch b is gone, the later ones are all still there.
				expect(client.size).toBe(N - (b + 1) * perBatch);
				expect(client.getQueryData(['users', b * perBatch, { page: 0, filter: 'active' }])).toBeUndefined();
				if (b < BATCHES - 1) {
					expect(client.getQueryData(['users', (b + 1) * perBatch, { filter: 'active', page: 0 }])).toEqual({ id: 0 });
					expect(timers()).toBe(1);
					await advance(SECOND - 1);
					expect(client.size).toBe(N - (b + 1) * perBatch);
				}
			}
			expect(client.size).toBe(0);
			expect(timers()).toBe(0);
		},
		SLOW
	);

	it(
		'setQueryData: a later overwrite moves the gc deadline of every entry, still with one timer',
		async () => {
			client = new QoraClient();
			for (let i = 0; i < N; i++) client.setQueryData(['item', i], i);
			await advance(MINUTE);
			for (let i = 0; i < N; i++) client.setQueryData(['item', i], i + 1);
			expect(timers()).toBe(1);
			// The first deadline passes: nothing may go, every entry was written again since.
			await advance(GC - MINUTE);
			expect(client.size).toBe(N);
			expect(timers()).toBe(1);
			await advance(MINUTE - 1);
			expect(client.size).toBe(N);
			await advance(1);
			expect(client.size).toBe(0);
			expect(timers()).toBe(0);
		},
		SLOW
	);

	it(
		'fetchQuery: 100,000 fetches in flight, then settled, then collected',
		async () => {
			client = new QoraClient();
			let calls = 0;
			const fetcher = ({ key }: { key: readonly unknown[] }) => {
				calls++;
				return Promise.resolve().then(() => ({ id: key[1] }));
			};
			const pending: Promise<unknown>[] = [];
			for (let i = 0; i < N; i++) {
				pending.push(client.fetchQuery({ key: ['post', i], fetcher }));
				if (i % 10_000 === 0) expect(timers()).toBeLessThanOrEqual(1);
			}
			expect(timers()).toBeLessThanOrEqual(1);
			expect(client.getState(['post', 0])?.fetchStatus).toBe('fetching');
			const results = await Promise.all(pending);
			expect(calls).toBe(N);
			expect(results[N - 1]).toEqual({ id: N - 1 });
			expect(timers()).toBe(1);
			// A fetching entry is never collected; a settled one goes gcTime after it settled.
			await advance(GC - 1);
			expect(client.size).toBe(N);
			await advance(1);
			expect(client.size).toBe(0);
			expect(timers()).toBe(0);
		},
		SLOW
	);

	it(
		'fetchQuery with retries: every retry backoff shares the one timer',
		async () => {
			// 10,000 here: the 100,000-fetch case is above, this one is about backoff deadlines.
			const N = 10_000;
			client = new QoraClient();
			const attempts = new Map<number, number>();
			const fetcher = ({ key }: { key: readonly unknown[] }) => {
				const id = key[1] as number;
				const n = (attempts.get(id) ?? 0) + 1;
				attempts.set(id, n);
				return n === 1 ? Promise.reject(new Error('first attempt fails')) : Promise.resolve(id);
			};
			const pending: Promise<unknown>[] = [];
			for (let i = 0; i < N; i++) {
				pending.push(client.fetchQuery({ key: ['flaky', i], fetcher, options: { retry: 1, retryDelay: 2 * SECOND } }));
			}
			await flush();
			// Every fetch failed once and now waits 2 s for its retry.
			expect(client.getState(['flaky', 7])?.failureCount).toBe(1);
			expect(timers()).toBe(1);
			await advance(2 * SECOND - 1);
			expect([...attempts.values()].every((n) => n === 1)).toBe(true);
			await advance(1);
			const results = await Promise.all(pending);
			expect(results[123]).toBe(123);
			expect([...attempts.values()].every((n) => n === 2)).toBe(true);
			expect(timers()).toBe(1); // now only gc deadlines
			await advance(GC);
			expect(client.size).toBe(0);
			expect(timers()).toBe(0);
		},
		SLOW
	);

	it(
		'watched entries: 100,000 watchers with staleTime and polling, then unwatched and collected',
		async () => {
			client = new QoraClient();
			let calls = 0;
			const fetcher = ({ key }: { key: readonly unknown[] }) => {
				calls++;
				return Promise.resolve({ id: key[1], call: calls });
			};
			const latest: QoraState<{ id: number }>[] = new Array(N);
			const stops: (() => void)[] = [];
			for (let i = 0; i < N; i++) {
				const store = client.watchQuery({
					key: ['todo', i],
					fetcher,
					options: { staleTime: 10 * SECOND, refetchInterval: MINUTE }
				});
				stops.push(store.subscribe((state) => (latest[i] = state as QoraState<{ id: number }>)));
				if (i % 10_000 === 0) expect(timers()).toBeLessThanOrEqual(1);
			}
			await flush();
			expect(calls).toBe(N);
			expect(latest.every((s) => s.status === 'success' && !s.isStale)).toBe(true);
			// Staleness deadlines and polling deadlines for all of them: one timer.
			expect(timers()).toBe(1);

			// Watchers hear that their data went stale, on time.
			await advance(10 * SECOND - 1);
			expect(latest[0]?.isStale).toBe(false);
			await advance(1);
			expect(latest.every((s) => s.isStale)).toBe(true);
			expect(timers()).toBe(1);

			// Polling refetches every watched entry once a minute.
			await advance(MINUTE - 10 * SECOND);
			expect(calls).toBe(2 * N);
			expect(latest.every((s) => s.status === 'success' && !s.isStale && s.fetchStatus === 'idle')).toBe(true);
			expect(timers()).toBe(1);

			for (const stop of stops) stop();
			expect(client.size).toBe(N);
			expect(timers()).toBe(1);
			await advance(GC - 1);
			expect(client.size).toBe(N);
			expect(calls).toBe(2 * N); // polling stopped with the last watcher
			await advance(1);
			expect(client.size).toBe(0);
			expect(timers()).toBe(0);
		},
		SLOW
	);
});
