/**
 * Property test of watchers of one key with different options: random
 * sequences of watchers with their own staleTime, enabled and refetchOnFocus
 * subscribing and leaving, time passing, writes, invalidations and focus
 * events. After every step it checks, against a model of the watchers:
 * - the entry's staleness is decided by the shortest staleTime among the
 *   enabled watchers, and every watcher has been told the current state;
 * - a watcher subscribing fetches exactly when the data is stale by its own
 *   staleTime;
 * - focus refetches exactly when an enabled watcher asking for it finds the
 *   data stale by its own staleTime;
 * - every fetch uses the fetcher of the newest enabled watcher still subscribed;
 * - a watcher given new options (createQuery's config store) fetches exactly
 *   when it turns enabled and finds the data stale by its new staleTime, and
 *   counts as the newest watcher from then on.
 * Replay a failure with QORA_FC_SEED / QORA_FC_PATH (see support.ts).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type QoraState } from '../../src/lib/index.js';
import { FakeFocus, advance, failOnUnhandledRejections, fcParams, flush, useFakeTime } from './support.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());
failOnUnhandledRejections();

interface WatcherSpec {
	/** An observer (observeQuery) never fetches and asks for nothing. */
	observer: boolean;
	staleTime: number;
	enabled: boolean;
	refetchOnFocus: boolean;
}

type Step =
	| { kind: 'subscribe'; spec: WatcherSpec }
	| { kind: 'unsubscribe'; pick: number }
	| { kind: 'update'; pick: number; spec: WatcherSpec }
	| { kind: 'advance'; ms: number }
	| { kind: 'write' }
	| { kind: 'invalidate' }
	| { kind: 'focus' };

const spec = fc.record({
	observer: fc.constantFrom(false, false, false, true),
	staleTime: fc.constantFrom(0, 1_000, 5_000, Infinity),
	enabled: fc.boolean(),
	refetchOnFocus: fc.boolean()
});

const step: fc.Arbitrary<Step> = fc.oneof(
	{ arbitrary: spec.map((s) => ({ kind: 'subscribe', spec: s }) as const), weight: 4 },
	{ arbitrary: fc.nat({ max: 9 }).map((pick) => ({ kind: 'unsubscribe', pick }) as const), weight: 3 },
	{ arbitrary: fc.tuple(fc.nat({ max: 9 }), spec).map(([pick, s]) => ({ kind: 'update', pick, spec: s }) as const), weight: 2 },
	{ arbitrary: fc.constantFrom(500, 1_000, 1_500, 6_000).map((ms) => ({ kind: 'advance', ms }) as const), weight: 3 },
	{ arbitrary: fc.constant({ kind: 'write' } as const), weight: 1 },
	{ arbitrary: fc.constant({ kind: 'invalidate' } as const), weight: 1 },
	{ arbitrary: fc.constant({ kind: 'focus' } as const), weight: 2 }
);

interface Watcher {
	id: number;
	spec: WatcherSpec;
	last: QoraState<unknown> | null;
	stop: () => void;
	/** New options for a watcher; null for an observer. */
	update: ((options: { staleTime: number; enabled: boolean; refetchOnFocus: boolean }) => void) | null;
}

function staleBy(state: QoraState<unknown>, staleTime: number, now: number): boolean {
	return state.data === undefined || state.isInvalidated || now - state.dataUpdatedAt >= staleTime;
}

describe('watchers of one key with different options (property)', () => {
	it('staleness follows the strictest enabled watcher; subscribe and focus fetch by each watcher’s own staleTime', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
				const focus = new FakeFocus();
				// gcTime Infinity: the entry never disappears between steps, so every check sees it.
				const client = new QoraClient({ focus, defaultOptions: { gcTime: Infinity, retry: false } });
				let calls = 0;
				/** Which watcher's fetcher each call went to (watchers are numbered as they subscribe). */
				const callers: number[] = [];
				let nextId = 0;
				const key = ['k'];
				const watchers: Watcher[] = [];
				const state = () => client.getState(key) as QoraState<unknown>;

				for (const s of steps) {
					const before = calls;
					const now = Date.now();
					switch (s.kind) {
						case 'subscribe': {
							const current = client.getState(key);
							// For the model an observer is a watcher that is never enabled.
							const effective = { ...s.spec, enabled: s.spec.enabled && !s.spec.observer };
							const watcher: Watcher = { id: nextId++, spec: effective, last: null, stop: () => {}, update: null };
							const fetcher = async () => {
								callers.push(watcher.id);
								return ++calls;
							};
							const expectFetch = effective.enabled && (current === undefined || staleBy(current, s.spec.staleTime, now));
							const options = { staleTime: s.spec.staleTime, enabled: s.spec.enabled, refetchOnFocus: s.spec.refetchOnFocus };
							const run = (value: QoraState<unknown>) => {
								watcher.last = value;
							};
							if (s.spec.observer) {
								watcher.stop = client.observeQuery(key).subscribe(run);
							} else {
								const watch = client._watch({ key, fetcher, options }, run);
								watcher.stop = watch.stop;
								watcher.update = (next) => watch.update({ key, fetcher, options: next });
							}
							watchers.push(watcher);
							expect(calls - before, `subscribe ${JSON.stringify(s.spec)} fetches iff stale by its own staleTime`).toBe(expectFetch ? 1 : 0);
							break;
						}
						case 'unsubscribe': {
							if (watchers.length === 0) break;
							const [gone] = watchers.splice(s.pick % watchers.length, 1);
							gone?.stop();
							break;
						}
						case 'update': {
							const candidates = watchers.filter((w) => w.update !== null);
							if (candidates.length === 0) break;
							const watcher = candidates[s.pick % candidates.length] as Watcher;
							const current = client.getState(key);
							const { staleTime, enabled, refetchOnFocus } = s.spec;
							const expectFetch =
								enabled && !watcher.spec.enabled && (current === undefined || staleBy(current, staleTime, now));
							watcher.update?.({ staleTime, enabled, refetchOnFocus });
							watcher.spec = { observer: false, staleTime, enabled, refetchOnFocus };
							// Updated, it joins again: the newest watcher.
							watchers.splice(watchers.indexOf(watcher), 1);
							watchers.push(watcher);
							expect(calls - before, `update to ${JSON.stringify(s.spec)} fetches iff it turns enabled and finds the data stale`).toBe(
								expectFetch ? 1 : 0
							);
							break;
						}
						case 'advance':
							await advance(s.ms);
							break;
						case 'write':
							client.setQueryData(key, -now);
							break;
						case 'invalidate':
							await client.invalidate(key);
							break;
						case 'focus': {
							const current = state();
							const expectFetch = watchers.some(
								(w) => w.spec.enabled && w.spec.refetchOnFocus && staleBy(current, w.spec.staleTime, now)
							);
							focus.focus();
							expect(calls - before, 'focus refetches iff an enabled watcher asking for it finds the data stale').toBe(expectFetch ? 1 : 0);
							break;
						}
					}
					await flush(); // every fetch settles before the next step
					const newestEnabled = watchers.filter((w) => w.spec.enabled).at(-1);
					for (const caller of callers.splice(0)) {
						expect(caller, 'the fetch used the newest enabled watcher’s fetcher').toBe(newestEnabled?.id);
					}

					const enabled = watchers.filter((w) => w.spec.enabled);
					if (enabled.length === 0) continue;
					const current = state();
					const strictest = Math.min(...enabled.map((w) => w.spec.staleTime));
					expect(current.isStale, `isStale by the strictest enabled watcher (staleTime ${strictest})`).toBe(
						staleBy(current, strictest, Date.now())
					);
					for (const w of watchers) expect(w.last, 'every watcher has been told the current state').toBe(current);
				}
				for (const w of watchers) w.stop();
				client.dispose();
			}),
			fcParams(150)
		);
	});
});
