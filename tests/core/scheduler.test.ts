import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { globalClock } from '../../src/lib/core/platform.js';
import { createScheduler, createTask, small, type Scheduler, type Task } from '../../src/lib/core/scheduler.js';
import { T0, advance, steppableClock, useFakeTime } from './helpers.js';

let scheduler: Scheduler;
let taskErrors: unknown[];
let ran: string[];

function task(name: string, run?: (now: number) => void): Task {
	return createTask((now) => {
		ran.push(name);
		run?.(now);
	});
}

beforeEach(() => {
	useFakeTime();
	taskErrors = [];
	ran = [];
	scheduler = createScheduler(globalClock, (error) => taskErrors.push(error));
});
afterEach(() => {
	scheduler.dispose();
	vi.useRealTimers();
});

describe('scheduler', () => {
	it('runs a task at its deadline, not a millisecond before', async () => {
		scheduler.schedule(task('a'), T0 + 100);
		await advance(99);
		expect(ran).toEqual([]);
		await advance(1);
		expect(ran).toEqual(['a']);
		expect(scheduler.size).toBe(0);
	});

	it('asks the clock for no negative delay: a deadline already past is armed for 0 ms', () => {
		const delays: number[] = [];
		const clock = { ...globalClock, setTimeout: (run: () => void, ms: number) => (delays.push(ms), setTimeout(run, ms)) };
		const own = createScheduler(clock, (error) => taskErrors.push(error));
		// e.g. the staleness flip of data older than its staleTime, or a gc deadline a step of the clock left behind
		own.schedule(task('late'), T0 - 5000);
		expect(delays).toEqual([0]);
		own.dispose();
	});

	it('passes the current time to the task', async () => {
		let at = 0;
		scheduler.schedule(
			createTask((now) => (at = now)),
			T0 + 50
		);
		await advance(50);
		expect(at).toBe(T0 + 50);
	});

	it('runs tasks in deadline order, whatever the order they were scheduled in', async () => {
		const dues = [50, 10, 40, 30, 20, 60, 5, 45, 15, 35];
		for (const due of dues) scheduler.schedule(task(String(due)), T0 + due);
		expect(scheduler.size).toBe(dues.length);
		await advance(100);
		expect(ran).toEqual([...dues].sort((a, b) => a - b).map(String));
	});

	it('keeps deadline order across many tasks, cancels and reschedules', async () => {
		// a small deterministic pseudo-random sequence
		let seed = 42;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const due = new Map<Task, number>();
		const order: number[] = [];
		const tasks = Array.from({ length: 300 }, () => {
			const t = createTask((now) => order.push(now - T0));
			const at = Math.floor(random() * 10_000) + 1;
			due.set(t, at);
			scheduler.schedule(t, T0 + at);
			return t;
		});
		for (const [i, t] of tasks.entries()) {
			if (i % 7 === 0) {
				scheduler.cancel(t);
				due.delete(t);
			} else if (i % 5 === 0) {
				const at = Math.floor(random() * 10_000) + 1;
				due.set(t, at);
				scheduler.schedule(t, T0 + at);
			}
		}
		expect(scheduler.size).toBe(due.size);
		await advance(10_001);
		expect(order).toEqual([...due.values()].sort((a, b) => a - b));
	});

	it('runs every overdue task, in deadline order, when its timer fires late (a throttled tab)', async () => {
		const late = createScheduler(
			{ ...globalClock, setTimeout: (run: () => void, ms: number) => globalClock.setTimeout(run, ms + 1000) },
			(error) => taskErrors.push(error)
		);
		late.schedule(task('b'), T0 + 20);
		late.schedule(task('a'), T0 + 10);
		await advance(1009);
		expect(ran).toEqual([]);
		await advance(1);
		expect(ran).toEqual(['a', 'b']);
		late.dispose();
	});

	it('arms one platform timer however many tasks are scheduled', () => {
		for (let i = 0; i < 1000; i++) scheduler.schedule(task(`t${i}`), T0 + 1000 + i);
		expect(vi.getTimerCount()).toBe(1);
	});

	it('keeps one timer as tasks run, and none once all have run', async () => {
		scheduler.schedule(task('a'), T0 + 10);
		scheduler.schedule(task('b'), T0 + 20);
		await advance(10);
		expect(ran).toEqual(['a']);
		expect(vi.getTimerCount()).toBe(1);
		await advance(10);
		expect(ran).toEqual(['a', 'b']);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('rescheduling earlier moves the task forward', async () => {
		const a = task('a');
		scheduler.schedule(a, T0 + 100);
		scheduler.schedule(task('b'), T0 + 50);
		scheduler.schedule(a, T0 + 10);
		expect(scheduler.size).toBe(2);
		await advance(10);
		expect(ran).toEqual(['a']);
		await advance(40);
		expect(ran).toEqual(['a', 'b']);
	});

	it('rescheduling later moves the task back, and it runs only at the new deadline', async () => {
		const a = task('a');
		scheduler.schedule(a, T0 + 10);
		scheduler.schedule(task('b'), T0 + 50);
		scheduler.schedule(a, T0 + 100);
		expect(scheduler.size).toBe(2);
		await advance(50);
		expect(ran).toEqual(['b']);
		await advance(49);
		expect(ran).toEqual(['b']);
		await advance(1);
		expect(ran).toEqual(['b', 'a']);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('cancel unschedules a task; cancelling twice or an unscheduled task is harmless', async () => {
		const a = task('a');
		const b = task('b');
		scheduler.schedule(a, T0 + 10);
		scheduler.schedule(b, T0 + 20);
		scheduler.cancel(a);
		scheduler.cancel(a);
		scheduler.cancel(task('never scheduled'));
		expect(scheduler.size).toBe(1);
		await advance(100);
		expect(ran).toEqual(['b']);
	});

	it('cancelling the last task clears the timer', () => {
		const a = task('a');
		scheduler.schedule(a, T0 + 10);
		expect(vi.getTimerCount()).toBe(1);
		scheduler.cancel(a);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('cancel of a task in the middle of the heap keeps the others in order', async () => {
		const tasks = [70, 20, 50, 10, 40, 30, 60].map((due) => {
			const t = task(String(due));
			scheduler.schedule(t, T0 + due);
			return t;
		});
		scheduler.cancel(tasks[2] as Task); // 50
		scheduler.cancel(tasks[1] as Task); // 20
		await advance(100);
		expect(ran).toEqual(['10', '30', '40', '60', '70']);
	});

	it('scheduling at Infinity unschedules', async () => {
		const a = task('a');
		scheduler.schedule(a, T0 + 10);
		scheduler.schedule(a, Infinity);
		expect(scheduler.size).toBe(0);
		await advance(100);
		expect(ran).toEqual([]);
	});

	it('a deadline in the past runs on the next timer tick', async () => {
		scheduler.schedule(task('a'), T0 - 1000);
		expect(ran).toEqual([]);
		await advance(0);
		expect(ran).toEqual(['a']);
	});

	it('a task may schedule itself again (a period)', async () => {
		const tick: Task = createTask((now) => {
			ran.push(String(now - T0));
			if (now < T0 + 30) scheduler.schedule(tick, now + 10);
		});
		scheduler.schedule(tick, T0 + 10);
		await advance(100);
		expect(ran).toEqual(['10', '20', '30']);
	});

	it('a throwing task is reported and the other due tasks still run', async () => {
		const failure = new Error('task failed');
		scheduler.schedule(
			task('bad', () => {
				throw failure;
			}),
			T0 + 10
		);
		scheduler.schedule(task('good'), T0 + 10);
		scheduler.schedule(task('later'), T0 + 20);
		await advance(20);
		expect(ran).toEqual(expect.arrayContaining(['bad', 'good', 'later']));
		expect(taskErrors).toEqual([failure]);
	});

	it('handles deadlines beyond the 32-bit setTimeout limit without firing early', async () => {
		const far = 2 ** 31 + 5000;
		scheduler.schedule(task('far'), T0 + far);
		await advance(2 ** 31 - 1);
		expect(ran).toEqual([]);
		await advance(far - (2 ** 31 - 1) - 1);
		expect(ran).toEqual([]);
		await advance(1);
		expect(ran).toEqual(['far']);
	});

	it('shares its methods between schedulers: no closures made per client (one per server request), which V8 would tie its optimized code to', () => {
		const other = createScheduler(globalClock, () => {});
		expect(other.schedule).toBe(scheduler.schedule);
		expect(other.cancel).toBe(scheduler.cancel);
		expect(other.dueOf).toBe(scheduler.dueOf);
		other.dispose();
	});

	it('dispose drops every task and the timer', async () => {
		scheduler.schedule(task('a'), T0 + 10);
		scheduler.schedule(task('b'), T0 + 20);
		scheduler.dispose();
		expect(scheduler.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
		await advance(100);
		expect(ran).toEqual([]);
	});

	it('schedules nothing after dispose', async () => {
		scheduler.dispose();
		scheduler.schedule(task('late'), T0 + 10);
		expect(scheduler.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
		await advance(100);
		expect(ran).toEqual([]);
	});

	it('reads time through an injected clock', () => {
		const timers: { run: () => void; ms: number }[] = [];
		let now = 1000;
		const clock = {
			now: () => now,
			setTimeout: (run: () => void, ms: number) => timers.push({ run, ms }),
			clearTimeout: () => {}
		};
		const own = createScheduler(clock, () => {});
		own.schedule(task('a'), 1500);
		expect(timers.map((t) => t.ms)).toEqual([500]);
		now = 1500;
		timers[0]?.run();
		expect(ran).toEqual(['a']);
	});

	it('asks the platform for no longer a delay than its timers hold (2^31 - 1 ms): a longer one would fire at once, over and over', () => {
		const delays: number[] = [];
		const clock = { now: () => 1000, setTimeout: (_run: () => void, ms: number) => delays.push(ms), clearTimeout: () => {} };
		const own = createScheduler(clock, () => {});
		own.schedule(task('far'), 1000 + 2 ** 31 + 5000);
		expect(delays).toEqual([2 ** 31 - 1]);
		own.dispose();
	});

	it('dueOf tells when a scheduled task runs, and Infinity for one not scheduled, cancelled or run', async () => {
		const a = task('a');
		const b = task('b');
		scheduler.schedule(a, T0 + 100);
		scheduler.schedule(b, T0 + 300);
		expect([scheduler.dueOf(a), scheduler.dueOf(b)]).toEqual([T0 + 100, T0 + 300]);
		await advance(50);
		expect([scheduler.dueOf(a), scheduler.dueOf(b)]).toEqual([T0 + 100, T0 + 300]);
		scheduler.cancel(a);
		expect(scheduler.dueOf(a)).toBe(Infinity);
		await advance(250);
		expect(ran).toEqual(['b']);
		expect(scheduler.dueOf(b)).toBe(Infinity);
		expect(scheduler.dueOf(task('never scheduled'))).toBe(Infinity);
	});

	it('after dispose, the tasks it held are no longer scheduled: dueOf says Infinity and cancelling them is harmless', () => {
		const a = task('a');
		const b = task('b');
		scheduler.schedule(a, T0 + 10);
		scheduler.schedule(b, T0 + 20);
		scheduler.dispose();
		expect([scheduler.dueOf(a), scheduler.dueOf(b)]).toEqual([Infinity, Infinity]);
		scheduler.cancel(a);
		scheduler.cancel(b);
		expect(scheduler.size).toBe(0);
	});

	describe('the platform timer', () => {
		/** A clock at a fixed time that counts the platform timers armed and cleared. */
		function countingClock(withMonotonic: boolean) {
			const calls = { set: 0, clear: 0 };
			const clock = {
				now: () => T0,
				...(withMonotonic ? { monotonic: () => 0 } : {}),
				setTimeout: () => ++calls.set,
				clearTimeout: () => void calls.clear++
			};
			return { clock, calls };
		}

		it.each([
			['a monotonic clock', true],
			['a wall clock only', false]
		])('is armed once for many deadlines none earlier than the first, not re-armed for each (%s)', (_name, withMonotonic) => {
			const { clock, calls } = countingClock(withMonotonic);
			const own = createScheduler(clock, () => {});
			own.schedule(task('first'), T0 + 100);
			for (let i = 0; i < 1000; i++) own.schedule(task(`t${i}`), T0 + 100 + i);
			expect(calls).toEqual({ set: 1, clear: 0 });
			own.schedule(task('earlier'), T0 + 50);
			expect(calls).toEqual({ set: 2, clear: 1 });
			own.dispose();
		});
	});

	describe('keeping a Node process alive', () => {
		/** A clock (at `now()`, T0 by default) that records the keepAlive flag of each timer and which are still pending. */
		function recordingClock(now: () => number = () => T0) {
			const armed: { keepAlive: boolean; done: boolean; run: () => void }[] = [];
			const clock = {
				now,
				setTimeout(run: () => void, _ms: number, keepAlive?: boolean) {
					const timer = { keepAlive: keepAlive === true, done: false, run: () => ((timer.done = true), run()) };
					return armed.push(timer) - 1;
				},
				clearTimeout: (handle: unknown) => void ((armed[handle as number] as { done: boolean }).done = true)
			};
			const pending = () => armed.filter((timer) => !timer.done).map((timer) => timer.keepAlive);
			return { clock, armed, pending };
		}

		it('arms its timer to keep the process alive while a keep-alive task (a backoff, polling) is scheduled, however late it is due', () => {
			const { clock, pending } = recordingClock();
			const own = createScheduler(clock, () => {});
			own.schedule(task('gc'), T0 + 100);
			expect(pending()).toEqual([false]);
			const backoff = createTask(() => {}, true);
			own.schedule(backoff, T0 + 5000);
			expect(pending()).toEqual([true]);
			own.cancel(backoff);
			expect(pending()).toEqual([false]);
		});

		it('lets go once the last keep-alive task has run', () => {
			const { clock, armed, pending } = recordingClock();
			const own = createScheduler(clock, () => {});
			own.schedule(createTask(() => ran.push('retry'), true), T0);
			own.schedule(task('gc'), T0 + 100);
			expect(pending()).toEqual([true]);
			armed.find((timer) => !timer.done)?.run();
			expect(ran).toEqual(['retry']);
			expect(pending()).toEqual([false]);
		});

		it('counts a keep-alive task once however often it is moved, and forgets it on dispose', () => {
			const { clock, pending } = recordingClock();
			const own = createScheduler(clock, () => {});
			own.schedule(task('gc'), T0 + 100);
			const backoff = createTask(() => {}, true);
			own.schedule(backoff, T0 + 5000);
			own.schedule(backoff, T0 + 2000); // moved earlier
			own.schedule(backoff, T0 + 8000); // and later
			expect(pending()).toEqual([true]);
			own.cancel(backoff);
			expect(pending()).toEqual([false]);

			own.schedule(backoff, T0 + 50);
			own.dispose();
			expect(pending()).toEqual([]);
			const fresh = createScheduler(clock, () => {});
			fresh.schedule(task('gc'), T0 + 100);
			expect(pending()).toEqual([false]);
		});

		it('the default clock works where setTimeout returns no handle at all (a stubbed or polyfilled timer)', () => {
			vi.stubGlobal('setTimeout', vi.fn(() => undefined));
			try {
				expect(globalClock.setTimeout(() => {}, 1000)).toBeUndefined();
			} finally {
				vi.unstubAllGlobals();
			}
		});

		it('keeps the process alive for a keep-alive task after plain tasks due before it were cancelled or have run', () => {
			let now = T0;
			const { clock, armed, pending } = recordingClock(() => now);
			const own = createScheduler(clock, () => {});
			own.schedule(createTask(() => ran.push('retry'), true), T0 + 5000);
			const gcA = task('gc a');
			own.schedule(gcA, T0 + 100);
			own.schedule(task('gc b'), T0 + 200);
			own.cancel(gcA);
			expect(pending()).toEqual([true]);
			now = T0 + 200;
			armed.find((timer) => !timer.done)?.run();
			expect(ran).toEqual(['gc b']);
			expect(pending()).toEqual([true]);
			own.dispose();
		});

		it('the default clock unrefs every timer but a keep-alive one', () => {
			vi.useRealTimers();
			const plain = globalClock.setTimeout(() => {}, 1000) as NodeJS.Timeout;
			const keepAlive = globalClock.setTimeout(() => {}, 1000, true) as NodeJS.Timeout;
			expect([plain.hasRef(), keepAlive.hasRef()]).toEqual([false, true]);
			globalClock.clearTimeout(plain);
			globalClock.clearTimeout(keepAlive);
		});

		it('the default clock works where a timer handle is a number (a browser), which has nothing to unref', () => {
			const browserTimers = { setTimeout: vi.fn(() => 7), clearTimeout: vi.fn() };
			vi.stubGlobal('setTimeout', browserTimers.setTimeout);
			vi.stubGlobal('clearTimeout', browserTimers.clearTimeout);
			try {
				const run = () => {};
				expect(globalClock.setTimeout(run, 1000)).toBe(7);
				expect(browserTimers.setTimeout).toHaveBeenCalledWith(run, 1000);
				globalClock.clearTimeout(7);
				expect(browserTimers.clearTimeout).toHaveBeenCalledWith(7);
			} finally {
				vi.unstubAllGlobals();
			}
		});
	});

	describe('tasks due at the same moment', () => {
		it('one cancelled or moved by another that ran first does not run now', async () => {
			const b = task('b');
			const c = task('c');
			scheduler.schedule(task('a', () => (scheduler.cancel(b), scheduler.schedule(c, T0 + 500))), T0 + 100);
			scheduler.schedule(b, T0 + 100);
			scheduler.schedule(c, T0 + 100);
			await advance(100);
			expect(ran).toEqual(['a']);
			await advance(400);
			expect(ran).toEqual(['a', 'c']);
		});

		it('dispose by one stops the others', async () => {
			scheduler.schedule(task('a', () => scheduler.dispose()), T0 + 100);
			scheduler.schedule(task('b'), T0 + 100);
			await advance(100);
			expect(ran).toEqual(['a']);
		});
	});

	describe('when the wall clock steps back', () => {
		let stepped: ReturnType<typeof steppableClock>['clock'];
		let step: (ms: number) => void;
		beforeEach(() => {
			({ clock: stepped, step } = steppableClock());
			scheduler.dispose();
			scheduler = createScheduler(stepped, (error) => taskErrors.push(error));
		});

		it('a task runs when the delay of its timer has passed, not when the clock catches up', async () => {
			scheduler.schedule(task('a'), stepped.now() + 1000);
			step(-60_000);
			await advance(1000);
			expect(ran).toEqual(['a']);
		});

		it('a task due after one that reschedules itself by the clock still runs after its own delay', async () => {
			const due = stepped.now() + 500;
			const recheck: Task = createTask((now) => {
				if (now < due) scheduler.schedule(recheck, due);
			});
			scheduler.schedule(recheck, due);
			scheduler.schedule(task('duration'), stepped.now() + 1000);
			await advance(100);
			step(-60_000);
			await advance(900);
			expect(ran).toEqual(['duration']);
		});

		it('a task scheduled after the step keeps its delay, and so does one scheduled before it', async () => {
			const ranAt: [string, number][] = [];
			scheduler.schedule(createTask(() => ranAt.push(['a', Date.now() - T0])), stepped.now() + 1000);
			await advance(100);
			step(-60_000);
			await advance(100);
			scheduler.schedule(createTask(() => ranAt.push(['b', Date.now() - T0])), stepped.now() + 500);
			scheduler.schedule(createTask(() => ranAt.push(['c', Date.now() - T0])), stepped.now() + 61_000);
			await advance(70_000);
			expect(ranAt).toEqual([
				['b', 700],
				['a', 1000],
				['c', 61_200]
			]);
		});

		it('a forward step hurries nothing scheduled before or after it', async () => {
			const ranAt: [string, number][] = [];
			scheduler.schedule(createTask(() => ranAt.push(['a', Date.now() - T0])), stepped.now() + 300_000);
			step(240_000);
			scheduler.schedule(createTask(() => ranAt.push(['b', Date.now() - T0])), stepped.now() + 90_000);
			await advance(300_000);
			expect(ranAt).toEqual([
				['b', 90_000],
				['a', 300_000]
			]);
		});

		it('without a monotonic clock, a task scheduled after a forward step does not wait behind an older timer', () => {
			const { monotonic: _monotonic, ...wallOnly } = stepped;
			const wall = createScheduler(wallOnly, (error) => taskErrors.push(error));
			wall.schedule(task('gc'), wallOnly.now() + 5 * 60_000);
			step(10 * 60_000);
			wall.schedule(task('backoff'), wallOnly.now() + 1000);
			vi.advanceTimersByTime(1000);
			expect(ran).toEqual(['gc', 'backoff']);
			wall.dispose();
		});

		it('a task that then reschedules itself by the clock waits for it, without spinning', async () => {
			let runs = 0;
			const due = stepped.now() + 1000;
			const byTheClock: Task = createTask((now) => {
				runs++;
				if (now < due) scheduler.schedule(byTheClock, due);
			});
			scheduler.schedule(byTheClock, due);
			step(-5000);
			await advance(1000);
			expect(runs).toBe(1);
			await advance(4999);
			expect(runs).toBe(1);
			await advance(1);
			expect(runs).toBe(2);
		});
	});
});

describe('small', () => {
	it('gives back every number unchanged (only how V8 stores it may change): fractions, and numbers past the small-integer range', () => {
		for (const ms of [0, 5, -5, 1.5, -0.25, 1e-9, 0x3fffffff, -0x40000000, 0x40000000, -0x40000001, 2 ** 31 + 5000, -(2 ** 31), 1.7e12, 1.7e12 + 0.5]) {
			expect(small(ms)).toBe(ms);
		}
	});
});
