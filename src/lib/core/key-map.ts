/**
 * The cache's index: entries bucketed by their key's numeric code. A bucket
 * holds one entry, or an array in the rare case of two keys sharing a code.
 * The code is not a secret-keyed hash, so keys built from outside input (search
 * terms, ids) can be made to share one on purpose: a bucket that grows past a few
 * entries becomes a Map by the key's canonical text, whose hashing the engine seeds,
 * so no crafted keys make lookups walk a long chain.
 * Walks go over a dense list in insertion order instead of the Map: a predicate
 * run over 100,000 entries spends most of its time walking.
 */
import { matchesKey } from './key-code.js';
import { hashKey, type KeyInput, type KeyParts } from './key.js';

/** What the map stores: anything that knows its key's parts and code. */
export interface Keyed {
	readonly code: number;
	readonly parts: KeyParts;
	/** Where the map lists it, -1 when not in a map; only the map writes it. */
	position: number;
}

const all = (): boolean => true;

/** Keys sharing one code beyond which their bucket is indexed by canonical text. */
const MAX_CHAIN = 8;

export class KeyMap<E extends Keyed> {
	readonly #buckets = new Map<number, E | E[] | Map<string, E>>();
	/** Every entry in insertion order; a deleted one leaves a hole until the list is compacted. */
	#list: (E | undefined)[] = [];
	#holes = 0;
	/** Walks in progress: compacting during one would make it skip or repeat entries. */
	#walking = 0;

	/** The entry of a key already validated by `keyCode`, which gave `code`. */
	find(key: KeyInput, code: number): E | undefined {
		const bucket = this.#buckets.get(code);
		if (bucket === undefined) return undefined;
		if (Array.isArray(bucket)) {
			for (const entry of bucket) if (matchesKey(key, entry.parts)) return entry;
			return undefined;
		}
		if (bucket instanceof Map) return bucket.get(hashKey(key));
		return matchesKey(key, bucket.parts) ? bucket : undefined;
	}

	/** Adds an entry whose key is not in the map yet. */
	add(entry: E): void {
		const bucket = this.#buckets.get(entry.code);
		if (bucket === undefined) this.#buckets.set(entry.code, entry);
		else if (Array.isArray(bucket)) {
			bucket.push(entry);
			if (bucket.length > MAX_CHAIN) this.#buckets.set(entry.code, new Map(bucket.map((e) => [hashKey(e.parts), e])));
		} else if (bucket instanceof Map) bucket.set(hashKey(entry.parts), entry);
		else this.#buckets.set(entry.code, [bucket, entry]);
		entry.position = this.#list.length;
		this.#list.push(entry);
	}

	/** Whether this very entry (not just an equal key) is in the map. */
	has(entry: E): boolean {
		return entry.position >= 0 && this.#list[entry.position] === entry;
	}

	delete(entry: E): boolean {
		const bucket = this.#buckets.get(entry.code);
		if (bucket === entry) {
			this.#buckets.delete(entry.code);
		} else if (Array.isArray(bucket) && bucket.includes(entry)) {
			const rest = bucket.filter((other) => other !== entry);
			this.#buckets.set(entry.code, rest.length === 1 ? (rest[0] as E) : rest);
		} else if (bucket instanceof Map && bucket.get(hashKey(entry.parts)) === entry) {
			bucket.delete(hashKey(entry.parts));
			if (bucket.size === 0) this.#buckets.delete(entry.code);
		} else {
			return false;
		}
		this.#list[entry.position] = undefined;
		entry.position = -1;
		this.#holes++;
		this.#compactIfSparse();
		return true;
	}

	get size(): number {
		return this.#list.length - this.#holes;
	}

	/** Closes the holes once they are half the list, so a walk never steps over more holes than entries. */
	#compactIfSparse(): void {
		const list = this.#list;
		if (this.#walking > 0 || this.#holes < 16 || this.#holes * 2 < list.length) return;
		let next = 0;
		for (const entry of list) {
			if (entry === undefined) continue;
			entry.position = next;
			list[next++] = entry;
		}
		list.length = next;
		this.#holes = 0;
	}

	/** Every entry, in a new array. */
	toArray(): E[] {
		return this.select(all);
	}

	/**
	 * The entries whose parts pass `test`, in insertion order, in a new array.
	 * Entries added during the walk are not tested; deleted ones are not tested again.
	 */
	select(test: (parts: KeyParts) => boolean): E[] {
		const list = this.#list;
		const length = list.length;
		const selected: E[] = [];
		this.#walking++;
		try {
			for (let i = 0; i < length; i++) {
				const entry = list[i];
				// Gone since the walk began (deleted, or cleared with the whole list): not tested.
				if (entry !== undefined && entry.position === i && test(entry.parts)) selected.push(entry);
			}
		} finally {
			this.#walking--;
		}
		this.#compactIfSparse();
		return selected;
	}

	clear(): void {
		for (const entry of this.#list) if (entry !== undefined) entry.position = -1;
		this.#buckets.clear();
		// A new list: a walk in progress goes on over the old one, where every entry is now gone.
		this.#list = [];
		this.#holes = 0;
	}
}
