/**
 * Property test of the time- and network-driven fetches of one key watched by
 * several watchers with their own options (enabled, staleTime, refetchInterval,
 * refetchOnFocus, refetchOnReconnect): random sequences of watchers subscribing,
 * leaving and given new options, time passing, answers and failures (retried
 * twice, 500 ms apart), the connection dropping and coming back, and focus.
 * Against a model, at every poll and retry deadline and after every step:
 * - polling runs at the shortest interval of the enabled watchers, counted from
 *   the moment that shortest interval last changed, but a faster poller joining
 *   never puts off the poll already due, and one leaving before the poll it
 *   brought forward puts back the rhythm it found; a tick is skipped while a
 *   fetch is in flight;
 * - a retry goes out its delay after the failure, or waits for the connection
 *   (at once when the failure came while offline) and goes out on reconnect;
 * - a fetch started offline waits (`paused`) and goes out on reconnect; a
 *   reconnect otherwise refetches when an enabled watcher asking for it finds
 *   the data stale by its own staleTime, and focus likewise;
 * - a watcher subscribing, or turning enabled, fetches when the data is stale
 *   by its own staleTime and no fetch is in flight;
 * - no fetcher call is made offline, `paused` shows exactly while a fetch
 *   waits for the connection, every watcher holds what getState shows, one
 *   platform timer at most, none after dispose.
 * Replay a failure with QORA_FC_SEED / QORA_FC_PATH (see support.ts).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type QoraState } from '../../src/lib/index.js';
import { deferred, manualFocus, manualOnline, type Deferred } from '../core/helpers.js';
import { failOnUnhandledRejections, fcParams, useFakeTime } from './support.js';

afterEach(() => vi.useRealTimers());
failOnUnhandledRejections();

const RETRIES = 2;
const RETRY_DELAY = 500;

interface Spec {
	enabled: boolean;
	staleTime: number;
	refetchInterval: number;
	refetchOnFocus: boolean;
	refetchOnReconnect: boolean;
}

type Step =
	| { kind: 'subscribe'; spec: Spec }
	| { kind: 'unsubscribe'; pick: number }
	| { kind: 'update'; pick: number; spec: Spec }
	| { kind: 'advance'; ms: number }
	| { kind: 'answer'; ok: boolean }
	| { kind: 'online'; on: boolean }
	| { kind: 'focus' };

const spec: fc.Arbitrary<Spec> = fc.record({
	enabled: fc.constantFrom(true, true, false),
	staleTime: fc.constantFrom(0, 1000, 5000, Infinity),
	refetchInterval: fc.constantFrom(0, 0, 700, 1000, 2500),
	refetchOnFocus: fc.boolean(),
	refetchOnReconnect: fc.boolean()
});

const step: fc.Arbitrary<Step> = fc.oneof(
	{ arbitrary: spec.map((s) => ({ kind: 'subscribe', spec: s }) as const), weight: 3 },
	{ arbitrary: fc.nat(9).map((pick) => ({ kind: 'unsubscribe', pick }) as const), weight: 2 },
	{ arbitrary: fc.tuple(fc.nat(9), spec).map(([pick, s]) => ({ kind: 'update', pick, spec: s }) as const), weight: 2 },
	{ arbitrary: fc.constantFrom(1, 300, 499, 500, 699, 700, 1000, 3000).map((ms) => ({ kind: 'advance', ms }) as const), weight: 4 },
	{ arbitrary: fc.boolean().map((ok) => ({ kind: 'answer', ok }) as const), weight: 3 },
	{ arbitrary: fc.boolean().map((on) => ({ kind: 'online', on }) as const), weight: 2 },
	{ arbitrary: fc.constant({ kind: 'focus' } as const), weight: 1 }
);

const staleBy = (state: QoraState<unknown> | undefined, staleTime: number, now: number): boolean =>
	state === undefined || state.data === undefined || state.isInvalidated || state.status === 'error' || now - state.dataUpdatedAt >= staleTime;

const optionsOf = (s: Spec) => ({ ...s, refetchInterval: s.refetchInterval > 0 ? s.refetchInterval : (false as const) });

describe('polling, retries, pauses, focus and reconnect with watchers of different options (property)', () => {
	it('fetch exactly when the model says, never offline, paused exactly while waiting for the connection', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 60 }), async (steps) => {
				vi.useRealTimers();
				useFakeTime();
				const online = manualOnline(true);
				const focus = manualFocus();
				const client = new QoraClient({ online, focus, defaultOptions: { retry: RETRIES, retryDelay: RETRY_DELAY, gcTime: Infinity } });
				const key = ['k'];
				const requests: { answer: Deferred<number>; sentOnline: boolean }[] = [];
				let answers = 0;
				const fetcher = () => {
					const answer = deferred<number>();
					requests.push({ answer, sentOnline: client.isOnline() });
					return answer.promise;
				};
				const watchers: { spec: Spec; last: QoraState<unknown> | null; stop: () => void; update: (s: Spec) => void }[] = [];

				// The model: one fetch at a time (nothing here replaces one).
				let inFlight = false;
				/** The fetch waits for the connection (started offline, or its retry does). */
				let paused = false;
				/** The request of the fetch in flight is out (an answer can come). */
				let sent = false;
				let failures = 0;
				let retryAt: number | null = null;
				let interval = 0;
				let pollAt: number | null = null;
				let expectedRequests = 0;

				const send = () => {
					expectedRequests++;
					paused = false;
					sent = true;
				};
				const startFetch = () => {
					inFlight = true;
					failures = 0;
					sent = false;
					if (client.isOnline()) send();
					else paused = true;
				};
				const shortestInterval = () => {
					let shortest = Infinity;
					for (const w of watchers) if (w.spec.enabled && w.spec.refetchInterval > 0) shortest = Math.min(shortest, w.spec.refetchInterval);
					return shortest === Infinity ? 0 : shortest;
				};
				/**
				 * While a poll brought forward by faster pollers has not run: the rhythms they put off, the
				 * outermost first, each its interval and when its poll was due (stacked pollers: a tooltip over a
				 * panel over a list put back each rhythm in turn as they leave).
				 */
				let putOff: { interval: number; due: number }[] = [];
				const followPolling = () => {
					const shortest = shortestInterval();
					if (shortest === interval) return;
					const previous = interval;
					interval = shortest;
					if (shortest === 0) {
						pollAt = null;
						putOff = [];
					} else if (shortest < previous) {
						if (pollAt !== null) putOff.push({ interval: previous, due: pollAt });
						pollAt = Math.min(pollAt ?? Infinity, Date.now() + shortest);
					} else {
						// Back to a slower interval: the due it had (those of faster ones go), or a slower one's if sooner.
						let due = Date.now() + shortest;
						for (let last = putOff.at(-1); last && last.interval <= shortest; last = putOff.at(-1)) {
							due = last.due;
							putOff.pop();
						}
						pollAt = Math.min(due, putOff.at(-1)?.due ?? Infinity);
					}
				};
				const anyWants = (flag: 'refetchOnFocus' | 'refetchOnReconnect', state: QoraState<unknown> | undefined, now: number) =>
					watchers.some((w) => w.spec.enabled && w.spec[flag] && staleBy(state, w.spec.staleTime, now));

				const history: string[] = [];
				const where = () => history.join('\n');
				for (const s of steps) {
					history.push(JSON.stringify(s));
					const now = Date.now();
					const state = client.getState(key);
					switch (s.kind) {
						case 'subscribe': {
							const watcher = { spec: s.spec, last: null as QoraState<unknown> | null, stop: () => {}, update: (_: Spec) => {} };
							const watch = client._watch({ key, fetcher, options: optionsOf(s.spec) }, (value) => (watcher.last = value));
							watcher.stop = watch.stop;
							watcher.update = (next) => watch.update({ key, fetcher, options: optionsOf(next) });
							watchers.push(watcher);
							if (s.spec.enabled && !inFlight && staleBy(state, s.spec.staleTime, now)) startFetch();
							followPolling();
							break;
						}
						case 'unsubscribe': {
							if (watchers.length === 0) break;
							const [gone] = watchers.splice(s.pick % watchers.length, 1);
							gone?.stop();
							followPolling();
							break;
						}
						case 'update': {
							if (watchers.length === 0) break;
							const watcher = watchers[s.pick % watchers.length] as (typeof watchers)[number];
							const turnsEnabled = !watcher.spec.enabled && s.spec.enabled;
							watcher.spec = s.spec;
							watcher.update(s.spec);
							if (turnsEnabled && !inFlight && staleBy(state, s.spec.staleTime, now)) startFetch();
							followPolling();
							break;
						}
						case 'advance': {
							const end = now + s.ms;
							for (;;) {
								const next = Math.min(pollAt !== null && pollAt <= end ? pollAt : Infinity, retryAt !== null && retryAt <= end ? retryAt : Infinity);
								if (next === Infinity) break;
								await vi.advanceTimersByTimeAsync(next - Date.now());
								if (retryAt === next) {
									retryAt = null;
									if (client.isOnline()) send();
									else paused = true;
								}
								if (pollAt === next) {
									putOff = [];
									if (!inFlight) startFetch();
									pollAt = next + Math.max(interval, 1);
								}
								expect(requests.length, `requests at ${next - now} ms into the advance\n${where()}`).toBe(expectedRequests);
							}
							await vi.advanceTimersByTimeAsync(end - Date.now());
							break;
						}
						case 'answer': {
							if (!sent) break;
							const request = requests[requests.length - 1] as (typeof requests)[number];
							sent = false;
							if (s.ok) request.answer.resolve(++answers);
							else request.answer.reject(new Error(`failure ${failures + 1}`));
							await vi.advanceTimersByTimeAsync(0);
							if (s.ok || ++failures > RETRIES) inFlight = false;
							// A failure while offline waits for the connection, not for the retry delay.
							else if (client.isOnline()) retryAt = Date.now() + RETRY_DELAY;
							else paused = true;
							break;
						}
						case 'online': {
							const cameBack = s.on && !client.isOnline();
							online.set(s.on);
							if (cameBack) {
								if (paused) send();
								else if (!inFlight && anyWants('refetchOnReconnect', state, now)) startFetch();
							}
							break;
						}
						case 'focus': {
							focus.focus();
							if (!inFlight && anyWants('refetchOnFocus', state, now)) startFetch();
							break;
						}
					}
					await vi.advanceTimersByTimeAsync(0);
					expect(requests.length, `requests after the step\n${where()}`).toBe(expectedRequests);
					expect(requests.every((request) => request.sentOnline), `a request went out offline\n${where()}`).toBe(true);
					const after = client.getState(key);
					if (after) {
						expect(after.fetchStatus === 'paused', `paused\n${where()}`).toBe(paused);
						for (const w of watchers) expect(w.last, `a watcher holds what getState shows\n${where()}`).toEqual(after);
					}
					expect(vi.getTimerCount(), `platform timers\n${where()}`).toBeLessThanOrEqual(1);
				}
				for (const w of watchers) w.stop();
				client.dispose();
				expect(vi.getTimerCount()).toBe(0);
			}),
			fcParams(300)
		);
	});
});
