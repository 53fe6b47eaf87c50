// Pollers of one key joining, leaving, changing interval or enabled; the poll rhythm follows the shortest interval.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type QueryConfig } from '../../src/lib/index.js';
import { T0, advance, flush, useFakeTime, seededRandom } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('random pollers of one key', () => {
	it('never goes longer than the shortest interval without a poll, counted from the last poll or change of the shortest', async () => {
		for (let seed = 1; seed <= Number(process.env.FUZZ_SEEDS ?? 60); seed++) {
			const r = seededRandom(seed);
			const client = new QoraClient({ defaultOptions: { staleTime: Infinity } });
			let lastFetch = Date.now();
			const fetcher = vi.fn(async () => {
				lastFetch = Date.now();
				return lastFetch;
			});
			const key = ['p'];
			type P = { h: { stop: () => void; update: (config: QueryConfig<number>) => void }; interval: number; enabled: boolean };
			const pollers: P[] = [];
			const log: string[] = [`seed ${seed}`];
			const shortest = () => Math.min(...pollers.filter((p) => p.enabled && p.interval > 0).map((p) => p.interval), Infinity);
			let current = shortest();
			let changedAt = Date.now();
			const noteChange = () => {
				const next = shortest();
				if (next !== current) {
					current = next;
					changedAt = Date.now();
				}
			};
			for (let step = 0; step < 200; step++) {
				const op = Math.floor(r() * 6);
				const now = Date.now() - T0;
				if (op === 0 || (op === 1 && pollers.length === 0)) {
					const interval = [100, 250, 400, 1000][Math.floor(r() * 4)]!;
					const enabled = r() < 0.85;
					const h = client._watch({ key, fetcher, options: { refetchInterval: interval, enabled } }, () => {});
					pollers.push({ h, interval, enabled });
					log.push(`${now}: join ${interval} ${enabled}`);
				} else if (op === 1) {
					const i = Math.floor(r() * pollers.length);
					pollers[i]!.h.stop();
					log.push(`${now}: leave ${pollers[i]!.interval} ${pollers[i]!.enabled}`);
					pollers.splice(i, 1);
				} else if (op === 2 && pollers.length) {
					const p = pollers[Math.floor(r() * pollers.length)]!;
					const interval = [0, 100, 250, 400, 1000][Math.floor(r() * 5)]!;
					const enabled = r() < 0.8;
					log.push(`${now}: update ${p.interval}/${p.enabled} -> ${interval}/${enabled}`);
					p.interval = interval;
					p.enabled = enabled;
					p.h.update({ key, fetcher, options: { refetchInterval: interval, enabled } });
				} else {
					const ms = [10, 20, 50][Math.floor(r() * 3)]!;
					for (let k = 0; k < ms; k += 10) {
						await advance(10);
						if (current !== Infinity) {
							const since = Date.now() - Math.max(lastFetch, changedAt);
							expect(since, `at ${Date.now() - T0}: ${since} ms without a poll, shortest ${current}, last fetch ${lastFetch - T0}, change ${changedAt - T0}\n` + log.join('\n')).toBeLessThanOrEqual(current + 10);
						}
					}
				}
				await flush();
				noteChange();
			}
			for (const p of pollers) p.h.stop();
			await advance(10 * 60_000);
			expect(vi.getTimerCount()).toBe(0);
			client.dispose();
		}
	}, 120_000);
});
