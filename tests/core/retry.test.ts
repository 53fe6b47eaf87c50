import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError } from '../../src/lib/core/errors.js';
import { defaultRetryDelay, type RetryDelayOption, type RetryOption } from '../../src/lib/core/options.js';
import { globalClock } from '../../src/lib/core/platform.js';
import { startRetryer, type Retryer } from '../../src/lib/core/retry.js';
import { createScheduler, type Scheduler } from '../../src/lib/core/scheduler.js';
import { advance, flush, keepAliveRecordingClock, useFakeTime } from './helpers.js';

let scheduler: Scheduler;
let online: boolean;
let events: string[];

beforeEach(() => {
	useFakeTime();
	scheduler = createScheduler(globalClock, (error) => {
		throw error;
	});
	online = true;
	events = [];
});
afterEach(() => {
	scheduler.dispose();
	vi.useRealTimers();
});

function start<T>(
	attempt: () => T | PromiseLike<T>,
	retry: RetryOption = 3,
	retryDelay: RetryDelayOption = defaultRetryDelay
): Retryer<T> {
	return startRetryer<T>({
		attempt,
		retry,
		retryDelay,
		scheduler,
		now: () => Date.now(),
		isOnline: () => online,
		onFailure: (count, error) => events.push(`failure ${count} ${error.message}`),
		report: (error) => events.push(`report ${(error as Error).message}`),
		onPause: () => events.push('pause'),
		onContinue: () => events.push('continue')
	});
}

/** An attempt that fails `failures` times, then resolves `value`. */
function flaky<T>(failures: number, value: T) {
	let calls = 0;
	return vi.fn(async () => {
		calls++;
		if (calls <= failures) throw new Error(`fail ${calls}`);
		return value;
	});
}

describe('retryer', () => {
	it('runs the first attempt at once and resolves with its value', async () => {
		const attempt = vi.fn(async () => 'ok');
		const retryer = start(attempt);
		expect(attempt).toHaveBeenCalledTimes(1);
		await expect(retryer.promise).resolves.toBe('ok');
		expect(retryer.failureCount).toBe(0);
		expect(events).toEqual([]);
	});

	it('accepts an attempt that returns a plain value', async () => {
		await expect(start(() => 7).promise).resolves.toBe(7);
	});

	it('retries after 1 s, 2 s and 4 s by default, then rejects with the last error', async () => {
		const attempt = vi.fn(async () => {
			throw new Error(`fail ${attempt.mock.calls.length}`);
		});
		const retryer = start(attempt);
		const outcome = retryer.promise.catch((error: Error) => error);
		await flush();
		expect(attempt).toHaveBeenCalledTimes(1);
		await advance(999);
		expect(attempt).toHaveBeenCalledTimes(1);
		await advance(1);
		expect(attempt).toHaveBeenCalledTimes(2);
		await advance(1999);
		expect(attempt).toHaveBeenCalledTimes(2);
		await advance(1);
		expect(attempt).toHaveBeenCalledTimes(3);
		await advance(3999);
		expect(attempt).toHaveBeenCalledTimes(3);
		await advance(1);
		expect(attempt).toHaveBeenCalledTimes(4);
		expect((await outcome).message).toBe('fail 4');
		expect(retryer.failureCount).toBe(4);
		expect(events).toEqual(['failure 1 fail 1', 'failure 2 fail 2', 'failure 3 fail 3']);
		await advance(60_000);
		expect(attempt).toHaveBeenCalledTimes(4);
	});

	it('resolves when a retry succeeds', async () => {
		const attempt = flaky(2, 'third time');
		const retryer = start(attempt);
		await advance(3000);
		await expect(retryer.promise).resolves.toBe('third time');
		expect(attempt).toHaveBeenCalledTimes(3);
		expect(retryer.failureCount).toBe(2);
	});

	it('retry: 0 and retry: false make one attempt', async () => {
		for (const retry of [0, false] as const) {
			const attempt = flaky(1, 'x');
			const retryer = start(attempt, retry);
			await expect(retryer.promise).rejects.toThrow('fail 1');
			await advance(60_000);
			expect(attempt).toHaveBeenCalledTimes(1);
			expect(retryer.failureCount).toBe(1);
		}
	});

	it('retry: true retries until success', async () => {
		const attempt = flaky(10, 'finally');
		const retryer = start(attempt, true, 10);
		await advance(100);
		await expect(retryer.promise).resolves.toBe('finally');
		expect(attempt).toHaveBeenCalledTimes(11);
	});

	it('a retry function is asked with the failure count so far and the error', async () => {
		const policy = vi.fn((count: number, _error: Error) => count < 3);
		const attempt = flaky(10, 'x');
		const retryer = start(attempt, policy, 0);
		const outcome = retryer.promise.then(() => null, (error: Error) => error);
		await advance(10);
		expect((await outcome)?.message).toBe('fail 3');
		expect(policy.mock.calls.map(([count, error]) => [count, error.message])).toEqual([
			[1, 'fail 1'],
			[2, 'fail 2'],
			[3, 'fail 3']
		]);
		expect(attempt).toHaveBeenCalledTimes(3);
	});

	it('a fixed retryDelay waits that long before every retry', async () => {
		const attempt = flaky(2, 'x');
		start(attempt, 3, 300);
		await flush();
		await advance(299);
		expect(attempt).toHaveBeenCalledTimes(1);
		await advance(1);
		expect(attempt).toHaveBeenCalledTimes(2);
		await advance(299);
		expect(attempt).toHaveBeenCalledTimes(2);
		await advance(1);
		expect(attempt).toHaveBeenCalledTimes(3);
	});

	it('a retryDelay function gets the attempt index from 0 and the error', async () => {
		const delay = vi.fn((index: number, _error: Error) => (index + 1) * 100);
		const attempt = flaky(2, 'x');
		start(attempt, 3, delay);
		await advance(99);
		expect(attempt).toHaveBeenCalledTimes(1);
		await advance(1);
		expect(attempt).toHaveBeenCalledTimes(2);
		await advance(199);
		expect(attempt).toHaveBeenCalledTimes(2);
		await advance(1);
		expect(attempt).toHaveBeenCalledTimes(3);
		expect(delay.mock.calls.map(([index, error]) => [index, error.message])).toEqual([
			[0, 'fail 1'],
			[1, 'fail 2']
		]);
	});

	it('an attempt that throws synchronously counts as a failure', async () => {
		let calls = 0;
		const retryer = start(() => {
			calls++;
			if (calls === 1) throw new Error('sync');
			return 'recovered';
		}, 1, 0);
		expect(calls).toBe(1);
		await advance(0);
		await expect(retryer.promise).resolves.toBe('recovered');
		expect(events).toEqual(['failure 1 sync']);
	});

	it('wraps a non-Error rejection in an Error, keeping the value as cause', async () => {
		const retryer = start(() => Promise.reject('plain string'), 0);
		const error = await retryer.promise.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toContain('plain string');
		expect((error as Error).cause).toBe('plain string');
	});

	it("keeps the attempt's error when the retry function throws: the loop ends, the policy's error is reported", async () => {
		const retryer = start(flaky(5, 'x'), () => {
			throw new Error('bad policy');
		});
		await expect(retryer.promise).rejects.toThrow('fail 1');
		expect(events).toEqual(['report bad policy']);
	});

	it("keeps the attempt's error when the retryDelay function throws: the loop ends, the policy's error is reported", async () => {
		const attempt = flaky(5, 'x');
		const retryer = start(attempt, 3, () => {
			throw new Error('bad delay');
		});
		await expect(retryer.promise).rejects.toThrow('fail 1');
		await advance(60_000);
		expect(attempt).toHaveBeenCalledTimes(1);
		expect(events).toEqual(['failure 1 fail 1', 'report bad delay']);
	});

	it('cancel during backoff rejects with a CancelledError and makes no further attempt', async () => {
		const attempt = flaky(5, 'x');
		const retryer = start(attempt);
		await flush();
		retryer.cancel();
		await expect(retryer.promise).rejects.toBeInstanceOf(CancelledError);
		await advance(60_000);
		expect(attempt).toHaveBeenCalledTimes(1);
		expect(scheduler.size).toBe(0);
	});

	it('cancel during an attempt rejects at once, even if the attempt never settles', async () => {
		const retryer = start(() => new Promise<string>(() => {}));
		retryer.cancel(new Error('custom reason'));
		await expect(retryer.promise).rejects.toThrow('custom reason');
	});

	it('a late result after cancel is ignored, and cancel after settling changes nothing', async () => {
		let finish!: (value: string) => void;
		const retryer = start(() => new Promise<string>((resolve) => (finish = resolve)));
		retryer.cancel();
		finish('late');
		await expect(retryer.promise).rejects.toBeInstanceOf(CancelledError);

		const done = start(() => 'done');
		await done.promise;
		done.cancel();
		await expect(done.promise).resolves.toBe('done');
	});

	it('a late failure after cancel is not counted and not reported', async () => {
		let fail!: (error: Error) => void;
		const retryer = start(() => new Promise<string>((_, reject) => (fail = reject)));
		retryer.cancel();
		fail(new Error('late'));
		await expect(retryer.promise).rejects.toBeInstanceOf(CancelledError);
		await flush();
		expect(retryer.failureCount).toBe(0);
		expect(events).toEqual([]);
		expect(scheduler.size).toBe(0);
	});

	it('waits while offline without attempting, and resumes when online', async () => {
		online = false;
		const attempt = vi.fn(async () => 'ok');
		const retryer = start(attempt);
		expect(attempt).not.toHaveBeenCalled();
		expect(retryer.isPaused).toBe(true);
		expect(events).toEqual(['pause']);
		retryer.resume(); // still offline: nothing happens
		expect(attempt).not.toHaveBeenCalled();
		online = true;
		retryer.resume();
		expect(retryer.isPaused).toBe(false);
		expect(events).toEqual(['pause', 'continue']);
		expect(attempt).toHaveBeenCalledTimes(1);
		await expect(retryer.promise).resolves.toBe('ok');
	});

	it('pauses before a retry when the connection dropped during backoff', async () => {
		const attempt = flaky(1, 'ok');
		const retryer = start(attempt);
		await flush();
		online = false;
		await advance(1000);
		expect(attempt).toHaveBeenCalledTimes(1);
		expect(events).toEqual(['failure 1 fail 1', 'pause']);
		await advance(60_000);
		expect(attempt).toHaveBeenCalledTimes(1);
		online = true;
		retryer.resume();
		await expect(retryer.promise).resolves.toBe('ok');
		expect(attempt).toHaveBeenCalledTimes(2);
	});

	it('still attempts on resume when the continue listener throws', async () => {
		online = false;
		const attempt = vi.fn(async () => 'ok');
		const retryer = startRetryer<string>({
			attempt,
			retry: 0,
			retryDelay: 0,
			scheduler,
			report: () => {},
			now: () => Date.now(),
			isOnline: () => online,
			onFailure: () => {},
			onPause: () => {},
			onContinue: () => {
				throw new Error('a subscriber threw');
			}
		});
		online = true;
		expect(() => retryer.resume()).toThrow('a subscriber threw');
		expect(attempt).toHaveBeenCalledTimes(1);
		await expect(retryer.promise).resolves.toBe('ok');
	});

	it('resume when not paused does nothing', async () => {
		const attempt = flaky(1, 'ok');
		const retryer = start(attempt);
		await flush();
		retryer.resume();
		expect(attempt).toHaveBeenCalledTimes(1);
		expect(events).toEqual(['failure 1 fail 1']);
	});

	it('keeps a Node process alive while it waits out a backoff, and lets go when it ends', async () => {
		const { clock, armed } = keepAliveRecordingClock();
		const own = createScheduler(clock, (error) => {
			throw error;
		});
		const retryer = startRetryer<string>({
			attempt: flaky(1, 'ok'),
			retry: 3,
			retryDelay: defaultRetryDelay,
			scheduler: own,
			report: () => {},
			now: () => Date.now(),
			isOnline: () => true,
			onFailure: () => {},
			onPause: () => {},
			onContinue: () => {}
		});
		await flush();
		expect(armed()).toEqual([true]);
		retryer.cancel();
		expect(armed()).toEqual([]);
		own.dispose();
	});

	it('backoff goes through the scheduler (no timer of its own)', async () => {
		start(flaky(1, 'ok'));
		await flush();
		expect(scheduler.size).toBe(1);
		expect(vi.getTimerCount()).toBe(1);
	});
});
