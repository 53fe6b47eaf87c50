// Fetched data never goes back to an older server version; the cache converges on the server's latest.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, dehydrate, hydrate, type QoraState } from '../../src/lib/index.js';
import { advance, flush, manualFocus, manualOnline, useFakeTime, seededRandom } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

type V = { v: number };

describe('random sessions against a server whose version only grows', () => {
	it('never shows older fetched data than it showed, and converges', async () => {
		for (let seed = 1; seed <= Number(process.env.FUZZ_SEEDS ?? 100); seed++) {
			const r = seededRandom(seed);
			const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
			const online = manualOnline(true);
			const focus = manualFocus();
			const client = new QoraClient({ online, focus, defaultOptions: { staleTime: 1000, retryDelay: 100 } });
			let server = 1;
			const key = ['m'];
			const log: string[] = [`seed ${seed}`];
			const fetcher = async () => {
				const v = server;
				const delay = pick([0, 50, 200, 700]);
				const fail = r() < 0.2;
				log.push(`  ${Date.now() % 100000}: request v${v} delay ${delay}${fail ? ' FAIL' : ''}`);
				await new Promise((res) => setTimeout(res, delay));
				if (fail) throw new Error('x');
				return { v };
			};
			let maxShown = 0;
			const check = (s: QoraState<unknown>, who: string) => {
				const d = s.data as V | string | undefined;
				if (d === undefined) return;
				if (typeof d === 'object') {
					if (d.v < maxShown) throw new Error(`${who}: shows v${d.v} after v${maxShown}\n` + log.join('\n'));
					maxShown = d.v;
				}
			};
			const stops: (() => void)[] = [];
			const errs: unknown[] = [];
			for (let step = 0; step < 80; step++) {
				const op = Math.floor(r() * 13);
				try {
					switch (op) {
						case 0:
							stops.push(client.watchQuery({ key, fetcher, options: { staleTime: pick([0, 500, 1000]), refetchInterval: pick([0, 300]) } }).subscribe((s) => check(s, 'watcher')));
							log.push(`${step}: watch`);
							break;
						case 1:
							if (stops.length) stops.splice(Math.floor(r() * stops.length), 1)[0]!();
							log.push(`${step}: unwatch`);
							break;
						case 2:
							server++;
							log.push(`${step}: server -> v${server}`);
							break;
						case 3:
							void client.invalidate(key);
							log.push(`${step}: invalidate`);
							break;
						case 4:
							online.set(!online.isOnline());
							log.push(`${step}: online ${online.isOnline()}`);
							break;
						case 5:
							focus.focus();
							log.push(`${step}: focus`);
							break;
						case 6:
							void client.fetchQuery({ key, fetcher }).catch(() => {});
							log.push(`${step}: fetchQuery`);
							break;
						case 7: {
							const other = new QoraClient();
							other.setQueryData(key, { v: server });
							hydrate(client, dehydrate(other));
							other.dispose();
							log.push(`${step}: hydrate v${server}`);
							break;
						}
						case 8:
							if (r() < 0.2) {
								client.cancel(key);
								log.push(`${step}: cancel`);
							}
							break;
						case 11:
							client.setQueryData(key, 'local' + step);
							log.push(`${step}: setQueryData`);
							break;
						case 12:
							if (r() < 0.3) {
								client.remove(key);
								maxShown = 0;
								log.push(`${step}: remove`);
							}
							break;
						default: {
							const ms = pick([10, 100, 300, 1000]);
							log.push(`${step}: advance ${ms}`);
							await advance(ms);
						}
					}
					await flush();
					const st = client.getState(key);
					if (st) check(st, 'getState');
				} catch (e) {
					errs.push(e);
					break;
				}
			}
			expect(errs).toEqual([]);
			// Converge: online, a watcher, an invalidate awaited (repeat while the fetch fails).
			online.set(true);
			stops.push(client.watchQuery({ key, fetcher, options: { retry: 10 } }).subscribe((s) => check(s, 'final')));
			for (let i = 0; i < 5; i++) {
				const done = client.invalidate(key);
				await advance(5000);
				await done;
				if ((client.getQueryData(key) as V | undefined)?.v === server) break;
			}
			expect((client.getQueryData(key) as V).v, log.join('\n')).toBe(server);
			for (const s of stops) s();
			client.dispose();
			vi.clearAllTimers();
		}
	}, 120_000);
});
