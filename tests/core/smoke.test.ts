import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type QoraState } from '../../src/lib/index.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('smoke', () => {
	it('first load then success', async () => {
		const client = new QoraClient();
		const states: QoraState<number>[] = [];
		const fetcher = vi.fn(async () => 42);
		const stop = client.watchQuery({ key: ['n'], fetcher }).subscribe((s) => states.push(s));
		expect(states.map((s) => `${s.status}/${s.fetchStatus}`)).toEqual(['pending/fetching']);
		await vi.advanceTimersByTimeAsync(0);
		expect(states.map((s) => `${s.status}/${s.fetchStatus}`)).toEqual(['pending/fetching', 'success/idle']);
		expect(fetcher).toHaveBeenCalledTimes(1);
		stop();
		expect(vi.getTimerCount()).toBe(1);
		await vi.advanceTimersByTimeAsync(5 * 60_000);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});
	it('retries 1s 2s 4s then error', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => {
			throw new Error('boom');
		});
		const states: string[] = [];
		client.watchQuery({ key: ['x'], fetcher }).subscribe((s) => states.push(`${s.status}/${s.fetchStatus}/${s.failureCount}`));
		await vi.advanceTimersByTimeAsync(0);
		expect(fetcher).toHaveBeenCalledTimes(1);
		await vi.advanceTimersByTimeAsync(999);
		expect(fetcher).toHaveBeenCalledTimes(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(fetcher).toHaveBeenCalledTimes(2);
		await vi.advanceTimersByTimeAsync(2000);
		expect(fetcher).toHaveBeenCalledTimes(3);
		await vi.advanceTimersByTimeAsync(4000);
		expect(fetcher).toHaveBeenCalledTimes(4);
		expect(states).toEqual(['pending/fetching/0', 'pending/fetching/1', 'pending/fetching/2', 'pending/fetching/3', 'error/idle/4']);
	});
});
