/**
 * A binary min-heap of items ordered by `due`. Each item knows its slot, so any
 * of them can be moved or taken out in O(log n), not only the first.
 */

/** An item of a heap: `due` orders it, `slot` is its position (-1 when in none). */
export interface HeapItem {
	due: number;
	slot: number;
}

export function heapAdd<T extends HeapItem>(heap: T[], item: T): void {
	heap.push(item);
	siftUp(heap, item, heap.length - 1);
}

/** Gives `item`, which is in `heap`, a new `due`. */
export function heapMove<T extends HeapItem>(heap: T[], item: T, due: number): void {
	item.due = due;
	resift(heap, item, item.slot);
}

export function heapRemove<T extends HeapItem>(heap: T[], item: T): void {
	const slot = item.slot;
	item.slot = -1;
	const last = heap.pop() as T;
	if (last !== item) resift(heap, last, slot);
}

/** Settles `item` from `slot` down or up, whichever its `due` needs (the other direction stops at once). */
function resift<T extends HeapItem>(heap: T[], item: T, slot: number): void {
	siftDown(heap, item, slot);
	siftUp(heap, item, item.slot);
}

function place<T extends HeapItem>(heap: T[], item: T, slot: number): void {
	heap[slot] = item;
	item.slot = slot;
}

function siftUp<T extends HeapItem>(heap: T[], item: T, slot: number): void {
	while (slot > 0) {
		const parentSlot = (slot - 1) >> 1;
		const parent = heap[parentSlot] as T;
		if (parent.due <= item.due) break;
		place(heap, parent, slot);
		slot = parentSlot;
	}
	place(heap, item, slot);
}

function siftDown<T extends HeapItem>(heap: T[], item: T, slot: number): void {
	const length = heap.length;
	for (;;) {
		let child = 2 * slot + 1;
		if (child >= length) break;
		const right = child + 1;
		if (right < length && (heap[right] as T).due < (heap[child] as T).due) child = right;
		if ((heap[child] as T).due >= item.due) break;
		place(heap, heap[child] as T, slot);
		slot = child;
	}
	place(heap, item, slot);
}
