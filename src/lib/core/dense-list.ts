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

export class DenseList<E extends Placed, K = never> {
	/** The items; a deleted one leaves a hole until the list is compacted. */
	#items: (E | undefined)[] = [];
	/**
	 * In a keyed list, beside each item at its index, the key `add` was given: what `filter`
	 * tests. Packed in one array, the keys let a walk over a large list skip the items it
	 * does not select without reading them (a cache miss each). Null until the first add with
	 * a key: a list whose adds give none (an entry's watchers) pays nothing for them.
	 */
	#keys: (K | undefined)[] | null = null;
	#holes = 0;
	/** Walks in progress: compacting during one would make it skip or repeat items. */
	#walking = 0;

	/** Adds an item; in a keyed list, every add gives the item's key, for `filter` to test. */
	add(item: E, key?: K): void {
		item.position = this.#items.length;
		this.#items.push(item);
		if (key !== undefined) (this.#keys ??= []).push(key);
	}

	/** Whether this very item is in the list. */
	has(item: E): boolean {
		return item.position >= 0 && this.#items[item.position] === item;
	}

	/** Deletes an item the list holds. */
	delete(item: E): void {
		this.#items[item.position] = undefined;
		if (this.#keys !== null) this.#keys[item.position] = undefined;
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
	 * The items of a keyed list whose key passes `test`, in order, in a new array (in a
	 * list whose adds gave no keys, none). Items added meanwhile are not tested, deleted
	 * ones not again. A loop of its own, not a `walk`: the cache's walks then stay apart
	 * from the watchers' notifications in V8's type feedback. A truthy answer other than
	 * `true` goes to `checkAnswer` first, which may throw to refuse it.
	 */
	filter(test: (key: K) => unknown, checkAnswer?: (answer: unknown) => void): E[] {
		const items = this.#items;
		const keys = this.#keys ?? []; // none yet: nothing was added
		const length = keys.length;
		const selected: E[] = [];
		this.#walking++;
		try {
			for (let i = 0; i < length; i++) {
				const key = keys[i];
				if (key === undefined) continue;
				// Read before the test, which may delete the very item it tests (and still select it).
				const item = items[i] as E;
				const answer = test(key);
				if (!answer) continue;
				// Only a truthy answer other than `true` is looked at, so a walk answered with booleans pays nothing.
				if (answer !== true) checkAnswer?.(answer);
				selected.push(item);
			}
		} finally {
			this.#walking--;
			this.#compactIfSparse();
		}
		return selected;
	}

	clear(): void {
		for (const item of this.#items) if (item !== undefined) item.position = -1;
		// New arrays: a walk in progress goes on over the old ones, where every item is now gone.
		if (this.#walking > 0) this.#keys?.fill(undefined);
		this.#items = [];
		this.#keys = null;
		this.#holes = 0;
	}

	/** Closes the holes once they are half the list, so a walk never steps over more holes than items. */
	#compactIfSparse(): void {
		const items = this.#items;
		if (this.#walking > 0 || this.#holes < 16 || this.#holes * 2 < items.length) return;
		const keys = this.#keys;
		let next = 0;
		for (let i = 0; i < items.length; i++) {
			const item = items[i];
			if (item === undefined) continue;
			item.position = next;
			if (keys !== null) keys[next] = keys[i];
			items[next++] = item;
		}
		items.length = next;
		if (keys !== null) keys.length = next;
		this.#holes = 0;
	}
}
