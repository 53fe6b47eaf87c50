/**
 * Fault injection: fetchers that throw synchronously, reject with non-Error
 * values, never settle, or settle after their entry is gone; listeners (and
 * the error reporter) that throw; retry policies that throw; connectivity
 * flapping during retries. Nothing may crash, leak an unhandled rejection
 * (the file fails on any), or leave a state whose fields disagree.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, QoraClient, type FetchContext, type QoraState } from '../../src/lib/index.js';
import {
	FakeOnline,
	FakeServer,
	T0,
	advance,
	assertConsistent,
	failOnUnhandledRejections,
	fcParams,
	flush,
	track,
	useFakeTime
} from './support.js';

failOnUnhandledRejections();
beforeEach(() => useFakeTime());
afterEach(() => {
	vi.useRealTimers();
});

const SEC = 1000;

function cyclic(): unknown {
	const o: Record<string, unknown> = { name: 'cycle' };
	o.self = o;
	return o;
}

/** Values no fetcher should throw, and every one a fetcher will eventually throw. */
const nastyValues: [string, () => unknown][] = [
	['a string', () => 'plain string'],
	['a number', () => 42],
	['NaN', () => NaN],
	['null', () => null],
	['undefined', () => undefined],
	['false', () => false],
	['a symbol', () => Symbol('s')],
	['a bigint', () => 10n],
	['a plain object', () => ({ code: 'E_FAIL', status: 500 })],
	['an object with a null prototype', () => Object.create(null)],
	['a cyclic object', cyclic],
	['an object whose toJSON throws', () => ({ toJSON: () => { throw new Error('toJSON'); } })],
	['an object whose toJSON and toString throw', () => ({ toJSON: () => undefined, toString: () => { throw new Error('toString'); } })],
	['a function', () => () => 'fn'],
	['an array', () => [1, 2, 3]],
	['a frozen Error subclass', () => Object.freeze(new RangeError('frozen'))],
	['a DOMException-like AbortError', () => new DOMException('aborted', 'AbortError')]
];

function expectErrorFor(error: unknown, thrown: unknown): void {
	expect(error).toBeInstanceOf(Error);
	if (thrown instanceof Error) expect(error).toBe(thrown);
	else expect(Object.is((error as Error & { cause?: unknown }).cause, thrown)).toBe(true);
	expect(typeof (error as Error).message).toBe('string');
}

describe('faults: what a fetcher throws or rejects with', () => {
	for (const [name, make] of nastyValues) {
		for (const how of ['throws synchronously', 'rejects'] as const) {
			it(`a fetcher that ${how} ${name} ends in an Error state (original kept) after its retries, callers reject with it`, async () => {
				const reported: unknown[] = [];
				const client = new QoraClient({ defaultOptions: { retry: 1, retryDelay: 10 }, onError: (e) => reported.push(e) });
				const thrown = make();
				let calls = 0;
				const fetcher = (): Promise<never> => {
					calls++;
					if (how === 'throws synchronously') throw thrown;
					return Promise.reject(thrown);
				};
				const states: QoraState<unknown>[] = [];
				const stop = client.watchQuery({ key: ['k'], fetcher }).subscribe((s) => {
					assertConsistent(s);
					states.push(s);
				});
				const caller = track(client.fetchQuery({ key: ['k'], fetcher }));
				await advance(100);
				expect(calls).toBe(2);
				expect(caller.state).toBe('rejected');
				expectErrorFor(caller.reason, thrown);
				const state = client.getState(['k']);
				expect(state).toMatchObject({ status: 'error', fetchStatus: 'idle', failureCount: 2 });
				expectErrorFor(state?.error, thrown);
				expect(states.at(-1)).toBe(state);
				expect(reported).toEqual([]);
				stop();
			});
		}
	}

	it('a rejection value that cannot even be inspected (a revoked Proxy) still ends the fetch with an Error', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 }, onError: () => {} });
		const { proxy, revoke } = Proxy.revocable({}, {});
		revoke();
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: () => Promise.reject(proxy) }));
		await advance(10);
		expect(caller.state).toBe('rejected');
		expect(caller.reason).toBeInstanceOf(Error);
		expect(client.getState(['k'])).toMatchObject({ status: 'error', fetchStatus: 'idle' });
	});

	it('a fetcher that resolves undefined fails at once, without retries (a missing return), even with retries on', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 3 } });
		const fetcher = vi.fn(async () => undefined);
		const caller = track(client.fetchQuery({ key: ['u'], fetcher }));
		await flush();
		expect(caller.reason).toBeInstanceOf(TypeError);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getState(['u'])).toMatchObject({ status: 'error', fetchStatus: 'idle', failureCount: 1 });
	});

	it('a fetcher that resolves undefined fails with a TypeError naming the fix; resolving null is data', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const bad = track(client.fetchQuery({ key: ['u'], fetcher: async () => undefined }));
		const syncBad = track(client.fetchQuery({ key: ['s'], fetcher: () => undefined as unknown as Promise<null> }));
		const good = track(client.fetchQuery({ key: ['n'], fetcher: async () => null }));
		await flush();
		expect(bad.reason).toBeInstanceOf(TypeError);
		expect(String((bad.reason as Error).message)).toMatch(/null/);
		expect(syncBad.reason).toBeInstanceOf(TypeError);
		expect(good.value).toBeNull();
		expect(client.getState(['n'])).toMatchObject({ status: 'success', data: null });
		expect(client.getState(['u'])).toMatchObject({ status: 'error', isLoadingError: true });
	});

	it('keeps the message of a fetcher that resolves undefined short when its key is large (a filter of 10,000 ids): the key is cut as quoted values are', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const key = ['todos', { ids: Array.from({ length: 10_000 }, (_, i) => i) }];
		const caller = track(client.fetchQuery({ key, fetcher: async () => undefined }));
		await flush();
		const { message } = caller.reason as Error;
		expect(message).toMatch(/^The fetcher of query \["todos",\{"ids":\[0,1,2,/);
		expect(message).toMatch(/resolve null for "no value"$/);
		expect(message.length).toBeLessThan(300);
	});

	it('hostile thenables (then getter throws, then calls both callbacks, then throws after resolving) settle the fetch once', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 0 } });
		const getterThrows = track(
			client.fetchQuery({
				key: ['g'],
				fetcher: () =>
					({
						get then() {
							throw new Error('then getter');
						}
					}) as unknown as Promise<number>
			})
		);
		const both = track(
			client.fetchQuery({
				key: ['b'],
				fetcher: () =>
					({
						then(resolve: (v: number) => void, reject: (e: unknown) => void) {
							resolve(1);
							reject(new Error('ignored'));
							resolve(2);
						}
					}) as unknown as Promise<number>
			})
		);
		const throwsAfter = track(
			client.fetchQuery({
				key: ['t'],
				fetcher: () =>
					({
						then(resolve: (v: number) => void) {
							resolve(3);
							throw new Error('after resolve');
						}
					}) as unknown as Promise<number>
			})
		);
		await flush();
		expect(getterThrows.state).toBe('rejected');
		expect((getterThrows.reason as Error).message).toBe('then getter');
		expect(both.value).toBe(1);
		expect(throwsAfter.value).toBe(3);
		for (const key of ['g', 'b', 't']) assertConsistent(client.getState([key]));
	});

	it('retry and retryDelay policies that throw end the fetch with an Error instead of hanging it', async () => {
		const client = new QoraClient();
		const policyThrows = track(
			client.fetchQuery({
				key: ['r'],
				fetcher: () => Promise.reject(new Error('first')),
				options: {
					retry: () => {
						throw new Error('retry policy broke');
					}
				}
			})
		);
		const delayThrows = track(
			client.fetchQuery({
				key: ['d'],
				fetcher: () => Promise.reject(new Error('first')),
				options: {
					retry: 3,
					retryDelay: () => {
						throw new Error('delay policy broke');
					}
				}
			})
		);
		const delayNaN = track(
			client.fetchQuery({ key: ['n'], fetcher: () => Promise.reject(new Error('x')), options: { retry: 2, retryDelay: () => NaN } })
		);
		await advance(10);
		expect(policyThrows.state).toBe('rejected');
		expect(delayThrows.state).toBe('rejected');
		expect(delayNaN.state).toBe('rejected');
		for (const key of ['r', 'd', 'n']) {
			expect(client.getState([key])).toMatchObject({ status: 'error', fetchStatus: 'idle' });
			assertConsistent(client.getState([key]));
		}
	});
});

describe('faults: fetchers that never settle, or settle too late', () => {
	it('a never-settling fetch is freed by cancel: callers reject, signal aborts, state returns, the entry is collected', async () => {
		const client = new QoraClient({ defaultOptions: { gcTime: 10 * SEC } });
		let signal: AbortSignal | undefined;
		const never = (context: FetchContext) => {
			signal = context.signal;
			return new Promise<never>(() => {});
		};
		client.setQueryData(['k'], 'previous');
		const before = client.getState(['k']);
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: never, options: { staleTime: 0 } })); // stale: background fetch
		const joiner = track(client.fetchQuery({ key: ['empty'], fetcher: never }));
		await advance(60 * SEC);
		expect(joiner.state).toBe('pending');
		expect(client.getState(['k'])?.fetchStatus).toBe('fetching');
		client.cancel(['k']);
		client.cancel(['empty']);
		await flush();
		expect(signal?.aborted).toBe(true);
		expect(caller.value).toBe('previous');
		expect(joiner.reason).toBeInstanceOf(CancelledError);
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'previous', fetchStatus: 'idle', dataUpdatedAt: before?.dataUpdatedAt });
		expect(client.getState(['empty'])).toMatchObject({ status: 'pending', fetchStatus: 'idle' });
		await advance(10 * SEC);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('dispose frees every never-settling fetch: all callers reject, no timer is left', async () => {
		const client = new QoraClient();
		const callers = Array.from({ length: 20 }, (_, i) =>
			track(client.fetchQuery({ key: ['k', i], fetcher: () => new Promise<never>(() => {}) }))
		);
		const stop = client.watchQuery({ key: ['w'], fetcher: () => new Promise<never>(() => {}) }).subscribe(() => {});
		client.dispose();
		await flush();
		for (const caller of callers) expect(caller.reason).toBeInstanceOf(CancelledError);
		expect(vi.getTimerCount()).toBe(0);
		stop();
		expect(() => client.fetchQuery({ key: ['k'], fetcher: async () => 1 })).toThrow(/disposed/);
	});

	it('a response arriving after its unwatched entry was removed creates nothing and schedules nothing', async () => {
		const server = new FakeServer();
		const client = new QoraClient();
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
		client.remove(['k']);
		await flush();
		expect(caller.reason).toBeInstanceOf(CancelledError);
		server.byId('k#1').resolve('too late');
		await flush();
		expect(client.size).toBe(0);
		expect(client.getState(['k'])).toBeUndefined();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('a response arriving after its watched entry was removed (reset) is not shown to the watchers', async () => {
		const server = new FakeServer();
		const client = new QoraClient();
		const states: QoraState<unknown>[] = [];
		const stop = client.watchQuery({ key: ['k'], fetcher: server.fetcher('k') }).subscribe((s) => states.push(s));
		client.remove(['k']);
		const afterReset = states.length;
		expect(states.at(-1)).toMatchObject({ status: 'pending', fetchStatus: 'idle' });
		server.byId('k#1').resolve('too late');
		server.byId('k#1').reject(new Error('also too late'));
		await flush();
		expect(states.length).toBe(afterReset);
		expect(client.getState(['k'])).toMatchObject({ status: 'pending', fetchStatus: 'idle', data: undefined });
		stop();
	});

	it('a response arriving after dispose changes nothing and throws nothing', async () => {
		const server = new FakeServer();
		const client = new QoraClient();
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
		client.dispose();
		server.byId('k#1').resolve('after dispose');
		await flush();
		expect(caller.reason).toBeInstanceOf(CancelledError);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});
});

describe('faults: listeners that throw', () => {
	it('a listener that throws on every state never stops the others, is reported, and leaves the cache intact', async () => {
		const reported: unknown[] = [];
		const server = new FakeServer();
		const client = new QoraClient({ onError: (e) => reported.push(e) });
		const store = client.watchQuery({ key: ['k'], fetcher: server.fetcher('k') });
		const before: unknown[] = [];
		const after: unknown[] = [];
		const stops = [
			store.subscribe((s) => before.push(s.data)),
			store.subscribe(() => {
				throw new Error('listener broke');
			}),
			store.subscribe((s) => after.push(s.data))
		];
		server.byId('k#1').resolve('v1');
		await flush();
		client.setQueryData(['k'], 'v2');
		expect(before).toEqual([undefined, 'v1', 'v2']);
		expect(after).toEqual([undefined, 'v1', 'v2']);
		expect(reported.length).toBeGreaterThanOrEqual(2);
		for (const e of reported) expect((e as Error).message).toBe('listener broke');
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'v2', fetchStatus: 'idle' });
		for (const stop of stops) stop();
	});

	it('a listener that throws on its very first (synchronous) call leaves no watcher behind: the entry is still collected', async () => {
		const reported: unknown[] = [];
		const client = new QoraClient({ defaultOptions: { gcTime: SEC }, onError: (e) => reported.push(e) });
		let unsubscribe: (() => void) | undefined;
		let threw: unknown;
		try {
			unsubscribe = client.watchQuery({ key: ['k'], fetcher: async () => 1 }).subscribe(() => {
				throw new Error('first call');
			});
		} catch (error) {
			threw = error;
		}
		// Either the throw reaches the subscriber (who then has no unsubscribe) or onError, never neither.
		expect(threw !== undefined || reported.length > 0).toBe(true);
		unsubscribe?.();
		await advance(5 * SEC);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('a listener that writes to its own key and then throws leaves a consistent state that every listener agrees on', async () => {
		const reported: unknown[] = [];
		const client = new QoraClient({ onError: (e) => reported.push(e) });
		const seen: QoraState<unknown>[] = [];
		const stopA = client.observeQuery(['k']).subscribe((s) => {
			if (s.data === 'outer') {
				client.setQueryData(['k'], 'inner');
				throw new Error('after a nested write');
			}
		});
		const stopB = client.observeQuery(['k']).subscribe((s) => seen.push(s));
		client.setQueryData(['k'], 'outer');
		expect(client.getQueryData(['k'])).toBe('inner');
		expect(seen.at(-1)?.data).toBe('inner');
		assertConsistent(client.getState(['k']));
		expect(reported).toHaveLength(1);
		stopA();
		stopB();
	});

	it('an onError reporter that itself throws breaks nothing: fetches settle, callers resolve, no unhandled rejection', async () => {
		const client = new QoraClient({
			onError: () => {
				throw new Error('the reporter broke too');
			}
		});
		const stop = client.observeQuery(['k']).subscribe((s) => {
			if (s.status === 'success') throw new Error('listener broke');
		});
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: async () => 'data' }));
		await flush();
		expect(caller.state).toBe('resolved');
		expect(caller.value).toBe('data');
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'idle' });
		stop();
		await advance(10 * 60 * SEC);
		expect(client.size).toBe(0); // gc still ran after the failed notification
	});
});

describe('faults: connectivity flapping during retries', () => {
	it('property: 100 online/offline flips during a retrying fetch never run two attempts at once, pause only while offline, and end consistent', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.tuple(fc.integer({ min: 0, max: 1_500 }), fc.boolean()), { minLength: 100, maxLength: 100 }),
				fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
				async (flips, answers) => {
					vi.useFakeTimers();
					vi.setSystemTime(T0);
					const online = new FakeOnline(true);
					const reported: unknown[] = [];
					const server = new FakeServer();
					const client = new QoraClient({ defaultOptions: { retry: 8, retryDelay: 400 }, online, onError: (e) => reported.push(e) });
					const states: QoraState<unknown>[] = [];
					const stop = client.watchQuery({ key: ['k'], fetcher: server.fetcher('k') }).subscribe((s) => {
						assertConsistent(s);
						states.push(s);
					});
					let answered = 0;
					const check = () => {
						const state = client.getState(['k']);
						assertConsistent(state);
						const inFlight = server.requests.filter((r) => !r.settled && !r.signal.aborted);
						expect(inFlight.length).toBeLessThanOrEqual(1);
						if (state?.fetchStatus === 'paused') expect(online.isOnline()).toBe(false);
						if (online.isOnline() && state?.fetchStatus !== 'idle') expect(state?.fetchStatus).toBe('fetching');
					};
					for (const [wait, answerNow] of flips) {
						online.set(!online.isOnline());
						check();
						if (answerNow) {
							const open = server.pending();
							const req = open.at(-1);
							if (req) {
								const ok = answers[answered++ % answers.length];
								if (ok) req.resolve(`v${answered}`);
								else req.reject(new Error(`f${answered}`));
							}
						}
						await advance(wait);
						check();
					}
					online.set(true);
					// Let everything finish: answer whatever is asked, with successes.
					for (let i = 0; i < 40 && client.getState(['k'])?.fetchStatus !== 'idle'; i++) {
						for (const req of server.pending()) req.resolve('final');
						await advance(1_000);
					}
					const end = client.getState(['k']);
					expect(end?.fetchStatus).toBe('idle');
					check();
					expect(reported).toEqual([]);
					stop();
					client.dispose();
					vi.useRealTimers();
				}
			),
			fcParams(40)
		);
	});

	it('while offline, 100 flips with no time passing start at most one attempt per reconnect and never more than the retry budget', async () => {
		const online = new FakeOnline(false);
		const server = new FakeServer();
		const client = new QoraClient({ defaultOptions: { retry: 2, retryDelay: 100 }, online });
		const caller = track(client.fetchQuery({ key: ['k'], fetcher: server.fetcher('k') }));
		expect(client.getState(['k'])?.fetchStatus).toBe('paused');
		for (let i = 0; i < 100; i++) {
			online.set(true);
			online.set(false);
		}
		expect(server.count('k')).toBe(1); // the first reconnect resumed it; the rest found it running
		server.byId('k#1').reject(new Error('1'));
		await advance(100); // backoff ends while offline: paused again
		expect(client.getState(['k'])?.fetchStatus).toBe('paused');
		for (let i = 0; i < 100; i++) {
			online.set(true);
			online.set(false);
		}
		server.byId('k#2').reject(new Error('2'));
		await advance(100);
		online.set(true);
		server.byId('k#3').reject(new Error('3'));
		await advance(1_000);
		expect(server.count('k')).toBe(3);
		expect(caller.state).toBe('rejected');
		expect(client.getState(['k'])).toMatchObject({ status: 'error', fetchStatus: 'idle', failureCount: 3 });
	});
});
