/**
 * One timer per client. Every deadline (garbage collection, staleness, polling,
 * retry backoff) is a task in a binary min-heap; a single platform timer is
 * armed for the earliest one. 100,000 entries cost one timer, not 100,000.
 */
import type { Clock } from './platform.js';

/** A deadline owned by someone else; the scheduler only reads and writes `due`/`slot`. */
export interface Task {
	/**
	 * When it runs, in ms since the scheduler was created; meaningful only while
	 * scheduled. Relative times stay small integers, which V8 stores inline; an
	 * absolute timestamp would cost every task a boxed number.
	 */
	due: number;
	/** Position in the heap, -1 when not scheduled. */
	slot: number;
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
export function createTask(run: (now: number) => void): Task {
	return { due: 0, slot: -1, run };
}

// setTimeout stores its delay in a signed 32-bit integer.
const MAX_DELAY = 2 ** 31 - 1;

export function createScheduler(clock: Clock, onTaskError: (error: unknown) => void): Scheduler {
	const heap: Task[] = [];
	// Dues are kept on the monotonic clock when there is one, so a wall clock stepping back or
	// forward (NTP, the user, a laptop waking) neither stalls nor hurries polling and backoff.
	// Callers give deadlines in wall time; each is turned into "this long from now" on arrival.
	// Tasks tied to timestamps (gc, staleness) re-check the wall clock when they run.
	const monotonic = clock.monotonic !== undefined;
	const readClock = monotonic ? () => (clock.monotonic as () => number)() : () => clock.now();
	const epoch = readClock();
	/** Now, in relative time: ms on the scheduler's clock since it was created. */
	const relativeNow = () => readClock() - epoch;
	let timer: unknown = null;
	let timerDue = Infinity;
	let disposed = false;

	function place(task: Task, slot: number): void {
		heap[slot] = task;
		task.slot = slot;
	}

	function siftUp(slot: number): void {
		const task = heap[slot] as Task;
		while (slot > 0) {
			const parentSlot = (slot - 1) >> 1;
			const parent = heap[parentSlot] as Task;
			if (parent.due <= task.due) break;
			place(parent, slot);
			slot = parentSlot;
		}
		place(task, slot);
	}

	function siftDown(slot: number): void {
		const task = heap[slot] as Task;
		const length = heap.length;
		for (;;) {
			let child = 2 * slot + 1;
			if (child >= length) break;
			const right = child + 1;
			if (right < length && (heap[right] as Task).due < (heap[child] as Task).due) child = right;
			if ((heap[child] as Task).due >= task.due) break;
			place(heap[child] as Task, slot);
			slot = child;
		}
		place(task, slot);
	}

	function remove(task: Task): void {
		const slot = task.slot;
		task.slot = -1;
		const last = heap.pop() as Task;
		if (last !== task) {
			place(last, slot);
			siftDown(slot);
			siftUp(last.slot);
		}
	}

	function arm(): void {
		const first = heap[0];
		if (!first) {
			if (timer !== null) clock.clearTimeout(timer);
			timer = null;
			timerDue = Infinity;
			return;
		}
		// A timer that fires early is harmless (it re-arms), so only re-arm for an earlier deadline,
		// or, on wall-clock dues, for a timer already overdue (the clock stepped forward).
		if (timer !== null && timerDue <= first.due && (monotonic || timerDue > relativeNow())) return;
		if (timer !== null) clock.clearTimeout(timer);
		timerDue = first.due;
		timer = clock.setTimeout(fire, Math.min(Math.max(Math.ceil(first.due - relativeNow()), 0), MAX_DELAY));
	}

	function fire(): void {
		timer = null;
		timerDue = Infinity;
		const now = clock.now();
		const dueBy = relativeNow();
		let first = heap[0];
		while (first && first.due <= dueBy) {
			remove(first);
			try {
				first.run(now);
			} catch (error) {
				onTaskError(error);
			}
			first = heap[0];
		}
		arm();
	}

	return {
		schedule(task, at, now = clock.now()) {
			// After dispose nothing runs again: late callers (an unsubscribe, a retry) arm no timer.
			if (disposed) return;
			if (at === Infinity || Number.isNaN(at)) {
				this.cancel(task);
				return;
			}
			// Whole ms, rounded up (never early): monotonic time has fractions, and a fraction would
			// make every due a boxed double instead of an inline small integer.
			const due = small(Math.ceil(relativeNow() + (at - now)));
			if (task.slot >= 0) {
				const earlier = due < task.due;
				task.due = due;
				if (earlier) siftUp(task.slot);
				else siftDown(task.slot);
			} else {
				task.due = due;
				heap.push(task);
				siftUp(heap.length - 1);
			}
			arm();
		},
		cancel(task) {
			if (task.slot < 0) return;
			remove(task);
			if (heap.length === 0) arm();
		},
		dueOf(task, now = clock.now()) {
			return task.slot < 0 ? Infinity : now + (task.due - relativeNow());
		},
		get size() {
			return heap.length;
		},
		dispose() {
			disposed = true;
			for (const task of heap) task.slot = -1;
			heap.length = 0;
			arm();
		}
	};
}
