/** Behaviour pinned by a mutation-testing pass: polling rhythm. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type FetchContext } from '../../src/lib/index.js';
import { MINUTE, SECOND, T0, advance, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

function timedFetcher() {
	const times: number[] = [];
	const fetcher = vi.fn(async (_: FetchContext) => {
		times.push(Date.now() - T0);
		return times.length;
	});
	return { fetcher, times };
}

describe('polling keeps its rhythm while the shortest interval stays the same', () => {
	it('a second watcher polling at the same interval does not restart the countdown', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		const first = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10 * SECOND } }).subscribe(() => {});
		await advance(6 * SECOND);
		const second = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10 * SECOND, staleTime: MINUTE } }).subscribe(() => {});
		await advance(15 * SECOND);
		expect(times).toEqual([0, 10 * SECOND, 20 * SECOND]);
		first();
		second();
	});

	it('a watcher polling at the same interval leaving does not restart the countdown either', async () => {
		const client = new QoraClient();
		const { fetcher, times } = timedFetcher();
		const first = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10 * SECOND } }).subscribe(() => {});
		const second = client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10 * SECOND } }).subscribe(() => {});
		await advance(6 * SECOND);
		second();
		await advance(15 * SECOND);
		expect(times).toEqual([0, 10 * SECOND, 20 * SECOND]);
		first();
	});
});
