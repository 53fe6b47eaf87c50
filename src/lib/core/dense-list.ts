/**
 * Items in insertion order, added and deleted in O(1) without hashing: each item
 * knows its index. A deleted item leaves a hole until the list is compacted, which
 * never happens during a walk. The cache's entries and an entry's watchers use it:
 * a Set's add and delete cost a hash table update each, several times a push.
 */

/** What the list stores: anything that can carry its index. */
export interface Placed {
	/** Where the list holds it, -1 when in none; only the list writes it. */
	position: number;
}

export class DenseList<E extends Placed> {
	/** The items; a deleted one leaves a hole until the list is compacted. */
	#items: (E | undefined)[] = [];
	#holes = 0;
	/** Walks in progress: compacting during one would make it skip or repeat items. */
	#walking = 0;

	add(item: E): void {
		item.position = this.#items.length;
		this.#items.push(item);
	}

	/** Whether this very item is in the list. */
	has(item: E): boolean {
		return item.position >= 0 && this.#items[item.position] === item;
	}

	/** Deletes an item the list holds. */
	delete(item: E): void {
		this.#items[item.position] = undefined;
		item.position = -1;
		this.#holes++;
		this.#compactIfSparse();
	}

	get size(): number {
		return this.#items.length - this.#holes;
	}

	/**
	 * Calls `visit` on each item in order until it returns true, skipping deleted ones
	 * and visiting items added meanwhile, as a Set's walk does.
	 */
	walk(visit: (item: E) => boolean | void): void {
		const items = this.#items;
		this.#walking++;
		try {
			for (let i = 0; i < items.length; i++) {
				const item = items[i];
				// Gone since the walk began (deleted, or cleared with the whole list): not visited.
				if (item?.position === i && visit(item)) return;
			}
		} finally {
			this.#walking--;
			this.#compactIfSparse();
		}
	}

	/**
	 * The items that pass `test`, in order, in a new array. Items added meanwhile are
	 * not tested, deleted ones not again. A loop of its own, not a `walk`: the cache's
	 * walks then stay apart from the watchers' notifications in V8's type feedback.
	 */
	filter(test: (item: E) => boolean): E[] {
		const items = this.#items;
		const length = items.length;
		const selected: E[] = [];
		this.#walking++;
		try {
			for (let i = 0; i < length; i++) {
				const item = items[i];
				if (item?.position === i && test(item)) selected.push(item);
			}
		} finally {
			this.#walking--;
			this.#compactIfSparse();
		}
		return selected;
	}

	clear(): void {
		for (const item of this.#items) if (item !== undefined) item.position = -1;
		// A new array: a walk in progress goes on over the old one, where every item is now gone.
		this.#items = [];
		this.#holes = 0;
	}

	/** Closes the holes once they are half the list, so a walk never steps over more holes than items. */
	#compactIfSparse(): void {
		const items = this.#items;
		if (this.#walking > 0 || this.#holes < 16 || this.#holes * 2 < items.length) return;
		let next = 0;
		for (const item of items) {
			if (item === undefined) continue;
			item.position = next;
			items[next++] = item;
		}
		items.length = next;
		this.#holes = 0;
	}
}
