/**
 * One timer per client. Every deadline (garbage collection, staleness, polling,
 * retry backoff) is a task in a binary min-heap; a single platform timer is
 * armed for the earliest one. 100,000 entries cost one timer, not 100,000.
 */
import { heapAdd, heapMove, heapRemove, type HeapItem } from './heap.js';
import type { Clock } from './platform.js';

/** A deadline owned by someone else; the scheduler only reads and writes `due`/`slot`. */
export interface Task extends HeapItem {
	/**
	 * When it runs, in ms since the scheduler was created; meaningful only while
	 * scheduled. Relative times stay small integers, which V8 stores inline; an
	 * absolute timestamp would cost every task a boxed number.
	 */
	due: number;
	/** Work someone awaits (a retry's backoff, polling): while one is scheduled, the timer keeps a Node process running. */
	readonly keepAlive?: boolean;
	run(now: number): void;
}

export interface Scheduler {
	/**
	 * Schedules `task` at `at` (wall-clock ms), moving it if already scheduled; `now`
	 * saves a clock read when the caller has it. `Infinity` unschedules.
	 */
	schedule(task: Task, at: number, now?: number): void;
	cancel(task: Task): void;
	/** When `task` runs (wall-clock ms, as seen at `now`), or `Infinity` if it is not scheduled. */
	dueOf(task: Task, now?: number): number;
	/** How many tasks are scheduled. */
	readonly size: number;
	/** Drops every task and the timer; later `schedule` calls do nothing. */
	dispose(): void;
}

/**
 * Arithmetic on timestamps yields doubles, which V8 boxes when stored in an
 * object field; an int32-sized value is stored inline instead.
 */
export function small(ms: number): number {
	return ms >= -0x40000000 && ms <= 0x3fffffff && ms === Math.floor(ms) ? ms | 0 : ms;
}

/** Makes a task from a callback; schedule it with {@link Scheduler.schedule}. */
export function createTask(run: (now: number) => void, keepAlive = false): Task {
	return { due: 0, slot: -1, keepAlive, run };
}

// setTimeout stores its delay in a signed 32-bit integer.
const MAX_DELAY = 2 ** 31 - 1;

/**
 * The scheduler as a class, not a closure per client: code V8 optimized for one
 * client's methods then serves the next one too. A server makes a client per
 * request, and closures would leave each request's optimized code tied to a client
 * already gone.
 */
class HeapScheduler implements Scheduler {
	readonly #heap: Task[] = [];
	readonly #clock: Clock;
	readonly #onTaskError: (error: unknown) => void;
	// Dues are kept on the monotonic clock when there is one, so a wall clock stepping back or
	// forward (NTP, the user, a laptop waking) neither stalls nor hurries polling and backoff.
	// Callers give deadlines in wall time; each is turned into "this long from now" on arrival.
	// Tasks tied to timestamps (gc, staleness) re-check the wall clock when they run.
	readonly #monotonic: boolean;
	readonly #epoch: number;
	#timer: unknown = null;
	/** The armed timer's due and keep-alive: set with #timer, and read only while it is set. */
	#timerDue = Infinity;
	#timerKeepsAlive = false;
	/** Scheduled tasks that keep the process running (see Task.keepAlive). */
	#keepAlive = 0;
	#disposed = false;
	readonly #fire = (): void => this.#runDue();

	constructor(clock: Clock, onTaskError: (error: unknown) => void) {
		this.#clock = clock;
		this.#onTaskError = onTaskError;
		this.#monotonic = clock.monotonic !== undefined;
		this.#epoch = this.#read();
	}

	#read(): number {
		return this.#monotonic ? (this.#clock.monotonic as () => number)() : this.#clock.now();
	}

	/** Now, in relative time: ms on the scheduler's clock since it was created. */
	#relativeNow(): number {
		return this.#read() - this.#epoch;
	}

	#remove(task: Task): void {
		if (task.keepAlive === true) this.#keepAlive--;
		heapRemove(this.#heap, task);
	}

	#arm(): void {
		const first = this.#heap[0];
		const keepAlive = this.#keepAlive > 0;
		if (this.#timer !== null) {
			// A timer that fires early is harmless (it re-arms), so only re-arm for an earlier deadline,
			// or, on wall-clock dues, for a timer already overdue (the clock stepped forward), or to
			// start or stop keeping the process alive.
			if (
				first &&
				this.#timerDue <= first.due &&
				this.#timerKeepsAlive === keepAlive &&
				(this.#monotonic || this.#timerDue > this.#relativeNow())
			) {
				return;
			}
			this.#clock.clearTimeout(this.#timer);
		}
		if (!first) {
			this.#timer = null;
			return;
		}
		this.#timerDue = first.due;
		this.#timerKeepsAlive = keepAlive;
		this.#timer = this.#clock.setTimeout(this.#fire, Math.min(Math.max(Math.ceil(first.due - this.#relativeNow()), 0), MAX_DELAY), keepAlive);
	}

	#runDue(): void {
		this.#timer = null;
		const now = this.#clock.now();
		const dueBy = this.#relativeNow();
		const heap = this.#heap;
		let first = heap[0];
		while (first && first.due <= dueBy) {
			this.#remove(first);
			try {
				first.run(now);
			} catch (error) {
				this.#onTaskError(error);
			}
			first = heap[0];
		}
		this.#arm();
	}

	schedule(task: Task, at: number, now = this.#clock.now()): void {
		// After dispose nothing runs again: late callers (an unsubscribe, a retry) arm no timer.
		if (this.#disposed) return;
		if (at === Infinity || Number.isNaN(at)) {
			this.cancel(task);
			return;
		}
		// Whole ms, rounded up (never early): monotonic time has fractions, and a fraction would
		// make every due a boxed double instead of an inline small integer.
		const due = small(Math.ceil(this.#relativeNow() + (at - now)));
		if (task.slot >= 0) heapMove(this.#heap, task, due);
		else {
			task.due = due;
			if (task.keepAlive === true) this.#keepAlive++;
			heapAdd(this.#heap, task);
		}
		this.#arm();
	}

	cancel(task: Task): void {
		if (task.slot < 0) return;
		this.#remove(task);
		// With no task left, or none keeping the process alive, the timer must not hold it.
		if (this.#heap.length === 0 || (task.keepAlive === true && this.#keepAlive === 0)) this.#arm();
	}

	dueOf(task: Task, now = this.#clock.now()): number {
		return task.slot < 0 ? Infinity : now + (task.due - this.#relativeNow());
	}

	get size(): number {
		return this.#heap.length;
	}

	dispose(): void {
		this.#disposed = true;
		for (const task of this.#heap) task.slot = -1;
		this.#heap.length = 0;
		this.#keepAlive = 0;
		this.#arm();
	}
}

export function createScheduler(clock: Clock, onTaskError: (error: unknown) => void): Scheduler {
	return new HeapScheduler(clock, onTaskError);
}
