/**
 * A model test of the count stores (watchIsFetching / watchIsMutating). After random operations,
 * some made by the app's listeners while they are told of a change (query watchers and count
 * subscribers starting, cancelling and subscribing), every live count store's last value must be
 * the count. It found counts applied as +1/-1 drifting for good (a store subscribed while a watcher
 * heard its fetch start counted it twice).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type KeyParts } from '../../src/lib/index.js';
import { manualOnline } from '../core/helpers.js';
import { failOnUnhandledRejections, fcParams, flush, useFakeTime } from './support.js';

failOnUnhandledRejections();

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

const keys = [['a'], ['a', 1], ['b']] as const;
const prefixes = [undefined, ['a'], ['b']] as const;

type Op =
	| { t: 'fetch'; k: number }
	| { t: 'settle'; i: number; ok: boolean }
	| { t: 'cancel'; k: number }
	| { t: 'remove'; k: number }
	| { t: 'clear' }
	| { t: 'online'; on: boolean }
	| { t: 'sub'; p: number; reentrant: 'none' | 'fetch' | 'sub' | 'cancel' }
	| { t: 'unsub'; i: number }
	| { t: 'watch'; k: number; reentrant: 'sub' | 'cancel' | 'fetch' }
	| { t: 'write'; k: number }
	| { t: 'endWrite'; i: number }
	| { t: 'tick' };

const op: fc.Arbitrary<Op> = fc.oneof(
	fc.record({ t: fc.constant('fetch' as const), k: fc.nat(2) }),
	fc.record({ t: fc.constant('settle' as const), i: fc.nat(20), ok: fc.boolean() }),
	fc.record({ t: fc.constant('cancel' as const), k: fc.nat(2) }),
	fc.record({ t: fc.constant('remove' as const), k: fc.nat(2) }),
	fc.record({ t: fc.constant('clear' as const) }),
	fc.record({ t: fc.constant('online' as const), on: fc.boolean() }),
	fc.record({ t: fc.constant('sub' as const), p: fc.nat(2), reentrant: fc.constantFrom('none' as const, 'fetch' as const, 'sub' as const, 'cancel' as const) }),
	fc.record({ t: fc.constant('unsub' as const), i: fc.nat(20) }),
	fc.record({ t: fc.constant('watch' as const), k: fc.nat(2), reentrant: fc.constantFrom('sub' as const, 'cancel' as const, 'fetch' as const) }),
	fc.record({ t: fc.constant('write' as const), k: fc.nat(2) }),
	fc.record({ t: fc.constant('endWrite' as const), i: fc.nat(20) }),
	fc.record({ t: fc.constant('tick' as const) })
);

describe('count stores against the counts (model)', () => {
	it('every live store ends on client.isFetching / isMutating of its match', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
				const online = manualOnline(true);
				const client = new QoraClient({ online, onError: () => {} });
				const calls: { resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
				const fetcher = () => new Promise<string>((resolve, reject) => calls.push({ resolve, reject }));
				const stores: { p: number; kind: 'f' | 'm'; last: number; stop: () => void; live: boolean }[] = [];
				const ends: (() => void)[] = [];
				let budget = 20; // re-entrant actions, so a listener cannot loop for ever
				const subscribe = (p: number, kind: 'f' | 'm', reentrant: string) => {
					const match = prefixes[p] as KeyParts | undefined;
					const record = { p, kind, last: -99, stop: () => {}, live: true };
					stores.push(record);
					const store = kind === 'f' ? client.watchIsFetching(match) : client.watchIsMutating(match);
					let calls = 0;
					record.stop = store.subscribe((count) => {
						record.last = count;
						if (calls++ === 0 || budget <= 0) return;
						budget--;
						if (reentrant === 'fetch') void client.prefetchQuery({ key: ['b'], fetcher, options: { retry: 0 } });
						else if (reentrant === 'sub') subscribe((p + 1) % 3, kind, 'none');
						else if (reentrant === 'cancel') client.cancel(['a']);
					});
				};
				for (const o of ops) {
					switch (o.t) {
						case 'fetch':
							void client.prefetchQuery({ key: keys[o.k] as never, fetcher, options: { retry: 0, staleTime: 0 } });
							break;
						case 'settle': {
							const c = calls[o.i % Math.max(calls.length, 1)];
							if (o.ok) c?.resolve('v');
							else c?.reject(new Error('x'));
							break;
						}
						case 'cancel':
							client.cancel(keys[o.k] as never);
							break;
						case 'remove':
							client.remove(keys[o.k] as never);
							break;
						case 'clear':
							client.clear();
							break;
						case 'online':
							online.set(o.on);
							break;
						case 'sub':
							subscribe(o.p, 'f', o.reentrant);
							subscribe(o.p, 'm', 'none');
							break;
						case 'unsub': {
							const s = stores[o.i % Math.max(stores.length, 1)];
							if (s?.live) {
								s.live = false;
								s.stop();
							}
							break;
						}
						case 'watch': {
							let seen = false;
							client.watchQuery({ key: keys[o.k] as never, fetcher, options: { staleTime: 0, retry: 0 } }).subscribe((state) => {
								if (state.fetchStatus !== 'fetching' || seen || budget <= 0) return;
								seen = true;
								budget--;
								if (o.reentrant === 'sub') subscribe(o.k % 3, 'f', 'none');
								else if (o.reentrant === 'cancel') client.cancel(keys[o.k] as never);
								else void client.prefetchQuery({ key: ['b'], fetcher, options: { retry: 0 } });
							});
							break;
						}
						case 'write':
							ends.push(client._startWrite(keys[o.k] as never));
							break;
						case 'endWrite':
							ends[o.i % Math.max(ends.length, 1)]?.();
							break;
						case 'tick':
							await flush();
							break;
					}
				}
				await flush();
				for (const s of stores) {
					if (!s.live) continue;
					const match = prefixes[s.p] as KeyParts | undefined;
					const expected = s.kind === 'f' ? client.isFetching(match) : client.isMutating(match);
					expect({ p: s.p, kind: s.kind, last: s.last }).toEqual({ p: s.p, kind: s.kind, last: expected });
					expect(s.last).toBeGreaterThanOrEqual(0);
				}
				client.dispose();
			}),
			fcParams(300)
		);
	});
});
