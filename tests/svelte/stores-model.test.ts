/**
 * Random sequences against the stores' rules (fast-check; replay a failure with
 * QORA_FC_SEED / QORA_FC_PATH, see tests/reliability/support.ts):
 * - createQuery shows its current key's state as the core has it, or, with keepPrevious
 *   while that key is pending, the last data it showed, never data removed or cleared since;
 *   createQueryState shows the core's state of its key; after the last unsubscribe nothing
 *   keeps an entry from gc.
 * - createMutation runs each call's callbacks once and in order, settles every call, shows
 *   isPaused only while offline, and leaves the state to the latest call.
 */
import fc from 'fast-check';
import { writable } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient, type FetchContext, type QoraState } from '../../src/lib/index.js';
import { createMutation, createQuery, createQueryState, keepPrevious, type CreateQueryConfig, type MutationState } from '../../src/lib/svelte/index.js';
import { manualFocus, manualOnline } from '../core/helpers.js';
import { fcParams } from '../reliability/support.js';

const key = fc.integer({ min: 0, max: 2 });

type QueryStep =
	| { t: 'switch'; k: number; keep: boolean; enabled: boolean }
	| { t: 'options'; keep: boolean; enabled: boolean }
	| { t: 'resolve' | 'reject' | 'set' | 'remove' | 'invalidate'; k: number }
	| { t: 'clear' | 'resubscribe' | 'focus' }
	| { t: 'time'; ms: number }
	| { t: 'online'; on: boolean };

const queryStep: fc.Arbitrary<QueryStep> = fc.oneof(
	fc.record({ t: fc.constant('switch' as const), k: key, keep: fc.boolean(), enabled: fc.boolean() }),
	fc.record({ t: fc.constant('options' as const), keep: fc.boolean(), enabled: fc.boolean() }),
	fc.record({ t: fc.constantFrom('resolve' as const, 'reject' as const, 'set' as const, 'remove' as const, 'invalidate' as const), k: key }),
	fc.record({ t: fc.constantFrom('clear' as const, 'resubscribe' as const, 'focus' as const) }),
	fc.record({ t: fc.constant('time' as const), ms: fc.constantFrom(1, 1000, 60_000, 400_000) }),
	fc.record({ t: fc.constant('online' as const), on: fc.boolean() })
);

/** The fields both sides must agree on. */
const shown = (state: QoraState<string> | undefined) => ({
	status: state?.status ?? 'pending',
	data: state?.data,
	error: state?.error?.message,
	fetchStatus: state?.fetchStatus ?? 'idle',
	failureCount: state?.failureCount ?? 0
});

describe('stores against their rules, on random sequences', () => {
	it('createQuery shows its key or keepPrevious’s last shown data; createQueryState shows its key; nothing is left watched', async () => {
		vi.useFakeTimers();
		try {
			await fc.assert(
				fc.asyncProperty(fc.array(queryStep, { maxLength: 30 }), async (steps) => {
					const online = manualOnline(true);
					const focus = manualFocus();
					const client = new QoraClient({ defaultOptions: { retry: 1, retryDelay: 500, staleTime: 30_000 }, online, focus });
					let answers = 0;
					const inFlight = new Map<number, { resolve: (data: string) => void; reject: (error: Error) => void }[]>();
					const fetcher = ({ key }: FetchContext) =>
						new Promise<string>((resolve, reject) => {
							const k = key[1] as number;
							inFlight.set(k, [...(inFlight.get(k) ?? []), { resolve, reject }]);
						});
					let current = { k: 0, keep: false, enabled: true };
					const configOf = (c: typeof current): CreateQueryConfig<string> => ({
						key: ['k', c.k],
						fetcher,
						options: { enabled: c.enabled, refetchInterval: c.k === 1 ? 20_000 : false, ...(c.keep ? { placeholderData: keepPrevious } : {}) }
					});
					const config = writable(configOf(current));
					const keys = writable<unknown[]>(['k', 0]);
					const query = createQuery(config, client);
					const observed = createQueryState<string>(keys, client);

					// The model of keepPrevious: the last data shown, forgotten when the store shows pending
					// without a placeholder or when that data's key is removed.
					let lastShown = null as string | null;
					let last: QoraState<string> | undefined;
					const wrongPlaceholders: string[] = [];
					/** While remove or clear runs, the store may show what is about to go: only where it ends counts. */
					let removing = false;
					const onState = (state: QoraState<string>) => {
						last = state;
						if (state.isPlaceholderData) {
							if (state.data !== lastShown && !removing) wrongPlaceholders.push(`${String(state.data)} instead of ${String(lastShown)}`);
						} else if (state.data !== undefined) lastShown = state.data;
						else if (state.status === 'pending') lastShown = null;
					};
					let observedLast: QoraState<string> | undefined;
					const stopObserved = observed.subscribe((state) => (observedLast = state));
					let stop = query.subscribe(onState);
					const log: string[] = [];
					try {
						for (const step of steps) {
							log.push(JSON.stringify(step));
							switch (step.t) {
								case 'switch':
									current = { k: step.k, keep: step.keep, enabled: step.enabled };
									config.set(configOf(current));
									keys.set(['k', step.k]);
									break;
								case 'options':
									current = { ...current, keep: step.keep, enabled: step.enabled };
									config.set(configOf(current));
									break;
								case 'resolve':
									inFlight.get(step.k)?.shift()?.resolve(`k${step.k}-v${++answers}`);
									break;
								case 'reject':
									inFlight.get(step.k)?.shift()?.reject(new Error(`k${step.k}-e${++answers}`));
									break;
								case 'set':
									client.setQueryData(['k', step.k], `k${step.k}-s${++answers}`);
									break;
								case 'remove':
									removing = true;
									client.remove(['k', step.k]);
									removing = false;
									if (lastShown?.startsWith(`k${step.k}-`)) lastShown = null;
									break;
								case 'clear':
									removing = true;
									client.clear();
									removing = false;
									lastShown = null;
									break;
								case 'invalidate':
									void client.invalidate(['k', step.k]);
									break;
								case 'time':
									await vi.advanceTimersByTimeAsync(step.ms);
									break;
								case 'online':
									online.set(step.on);
									break;
								case 'focus':
									focus.focus();
									break;
								case 'resubscribe':
									stop();
									lastShown = null;
									stop = query.subscribe(onState);
									break;
							}
							await vi.advanceTimersByTimeAsync(0);
							const where = log.join('\n');
							const core = client.getState<string>(['k', current.k]);
							expect(wrongPlaceholders, where).toEqual([]);
							if (last?.isPlaceholderData) {
								expect({ keep: current.keep, status: core?.status ?? 'pending', fetchStatus: last.fetchStatus, data: last.data }, where).toEqual({
									keep: true,
									status: 'pending',
									fetchStatus: core?.fetchStatus ?? 'idle',
									data: lastShown
								});
							} else {
								expect(shown(last), where).toEqual(shown(core));
							}
							expect(shown(observedLast), where).toEqual(shown(core));
						}
						stop();
						stopObserved();
						online.set(true);
						for (let round = 0; round < 5; round++) {
							for (const calls of inFlight.values()) for (const call of calls.splice(0)) call.resolve('late');
							await vi.advanceTimersByTimeAsync(1000);
						}
						await vi.advanceTimersByTimeAsync(10 * 60_000);
						expect(client.size, log.join('\n')).toBe(0);
					} finally {
						stop();
						stopObserved();
						client.dispose();
					}
				}),
				fcParams(300)
			);
		} finally {
			vi.useRealTimers();
		}
	}, 60_000);

	type MutationStep =
		| { t: 'mutate' }
		| { t: 'resolve' | 'reject' | 'offline' | 'online' | 'reset' | 'dispose' }
		| { t: 'time'; ms: number };
	const mutationStep: fc.Arbitrary<MutationStep> = fc.oneof(
		{ weight: 3, arbitrary: fc.constant({ t: 'mutate' as const }) },
		{ weight: 6, arbitrary: fc.record({ t: fc.constantFrom('resolve' as const, 'reject' as const, 'offline' as const, 'online' as const, 'reset' as const) }) },
		{ weight: 1, arbitrary: fc.constant({ t: 'dispose' as const }) },
		{ weight: 3, arbitrary: fc.record({ t: fc.constant('time' as const), ms: fc.constantFrom(0, 1000, 2000, 5000) }) }
	);
	const callbacks = fc.record({ asyncMutate: fc.boolean(), mutateThrows: fc.boolean(), successThrows: fc.boolean(), settledThrows: fc.boolean(), retry: fc.integer({ min: 0, max: 2 }) });

	it('createMutation runs each call’s callbacks once and in order, settles every call, pauses only offline, and shows the latest call', async () => {
		vi.useFakeTimers();
		try {
			await fc.assert(
				fc.asyncProperty(callbacks, fc.array(mutationStep, { maxLength: 25 }), async (behaviour, steps) => {
					const online = manualOnline(true);
					const client = new QoraClient({ online, onError: () => {} });
					const events: string[] = [];
					const attempts: { call: number; resolve: (data: string) => void; reject: (error: Error) => void }[] = [];
					const mutation = createMutation<string, number, number>(
						{
							mutationFn: (call) => {
								events.push(`${call}:fn`);
								if (!client.isOnline()) events.push(`${call}:sent offline`);
								return new Promise<string>((resolve, reject) => attempts.push({ call, resolve, reject }));
							},
							onMutate: async (call) => {
								events.push(`${call}:mutate`);
								if (behaviour.asyncMutate) await Promise.resolve();
								if (behaviour.mutateThrows) throw new Error('onMutate');
								return call;
							},
							onSuccess: (_data, call) => {
								events.push(`${call}:success`);
								if (behaviour.successThrows) throw new Error('onSuccess');
							},
							onError: (_error, call) => void events.push(`${call}:error`),
							onSettled: (_data, _error, call) => {
								events.push(`${call}:settled`);
								if (behaviour.settledThrows) throw new Error('onSettled');
							},
							retry: behaviour.retry,
							retryDelay: 1000
						},
						client
					);
					let state: MutationState<string, number> | undefined;
					const stop = mutation.subscribe((next) => (state = next));
					const outcomes = new Map<number, 'ok' | 'failed'>();
					let calls = 0;
					let resetAfter = -1;
					const log: string[] = [];
					try {
						for (const step of steps) {
							log.push(JSON.stringify(step));
							switch (step.t) {
								case 'mutate': {
									const call = ++calls;
									mutation.mutateAsync(call).then(
										() => outcomes.set(call, 'ok'),
										() => outcomes.set(call, 'failed')
									);
									break;
								}
								case 'resolve':
									attempts.shift()?.resolve('saved');
									break;
								case 'reject':
									attempts.shift()?.reject(new Error('refused'));
									break;
								case 'offline':
								case 'online':
									online.set(step.t === 'online');
									break;
								case 'reset':
									mutation.reset();
									resetAfter = calls;
									break;
								case 'dispose':
									client.dispose();
									break;
								case 'time':
									await vi.advanceTimersByTimeAsync(step.ms);
									break;
							}
							await vi.advanceTimersByTimeAsync(0);
							if (state?.isPaused) expect(client.isOnline(), log.join('\n')).toBe(false);
						}
						online.set(true);
						for (let round = 0; round < 10; round++) {
							for (const attempt of attempts.splice(0)) attempt.resolve('saved');
							await vi.advanceTimersByTimeAsync(5000);
						}
						const where = `${JSON.stringify(behaviour)}\n${log.join('\n')}\n${events.join(' ')}`;
						expect(events.filter((event) => event.endsWith('sent offline')), where).toEqual([]);
						for (let call = 1; call <= calls; call++) {
							expect(outcomes.has(call), where).toBe(true);
							const order = events.filter((event) => event.startsWith(`${call}:`) && !event.endsWith(':fn')).map((event) => event.slice(event.indexOf(':') + 1));
							expect([['mutate', 'success', 'settled'], ['mutate', 'error', 'settled'], ['mutate', 'success', 'error', 'settled']], where).toContainEqual(order);
						}
						if (calls > 0 && resetAfter < calls) {
							expect({ variables: state?.variables, status: state?.status }, where).toEqual({
								variables: calls,
								status: outcomes.get(calls) === 'ok' ? 'success' : 'error'
							});
						}
					} finally {
						stop();
						client.dispose();
					}
				}),
				fcParams(300)
			);
		} finally {
			vi.useRealTimers();
		}
	}, 60_000);
});
