/**
 * The cache's index: entries bucketed by their key's numeric code. A bucket
 * holds one entry, or an array in the rare case of two keys sharing a code.
 */
import { matchesKey } from './key-code.js';
import type { KeyInput, KeyParts } from './key.js';

/** What the map stores: anything that knows its key's parts and code. */
export interface Keyed {
	readonly code: number;
	readonly parts: KeyParts;
}

export class KeyMap<E extends Keyed> {
	readonly #buckets = new Map<number, E | E[]>();
	#size = 0;

	get size(): number {
		return this.#size;
	}

	/** The entry of a key already validated by `keyCode`, which gave `code`. */
	find(key: KeyInput, code: number): E | undefined {
		const bucket = this.#buckets.get(code);
		if (bucket === undefined) return undefined;
		if (!Array.isArray(bucket)) return matchesKey(key, bucket.parts) ? bucket : undefined;
		for (const entry of bucket) if (matchesKey(key, entry.parts)) return entry;
		return undefined;
	}

	/** Adds an entry whose key is not in the map yet. */
	add(entry: E): void {
		const bucket = this.#buckets.get(entry.code);
		if (bucket === undefined) this.#buckets.set(entry.code, entry);
		else if (Array.isArray(bucket)) bucket.push(entry);
		else this.#buckets.set(entry.code, [bucket, entry]);
		this.#size++;
	}

	/** Whether this very entry (not just an equal key) is in the map. */
	has(entry: E): boolean {
		const bucket = this.#buckets.get(entry.code);
		return bucket === entry || (Array.isArray(bucket) && bucket.includes(entry));
	}

	delete(entry: E): boolean {
		const bucket = this.#buckets.get(entry.code);
		if (bucket === entry) {
			this.#buckets.delete(entry.code);
		} else if (Array.isArray(bucket) && bucket.includes(entry)) {
			const rest = bucket.filter((other) => other !== entry);
			this.#buckets.set(entry.code, rest.length === 1 ? (rest[0] as E) : rest);
		} else {
			return false;
		}
		this.#size--;
		return true;
	}

	/** Calls `visit` for every entry, in insertion order of their buckets (entries sharing a code come together). */
	forEach(visit: (entry: E) => void): void {
		for (const bucket of this.#buckets.values()) {
			if (Array.isArray(bucket)) for (const entry of [...bucket]) visit(entry);
			else visit(bucket);
		}
	}

	/** Every entry, in a new array. */
	toArray(): E[] {
		const all: E[] = [];
		this.forEach((entry) => all.push(entry));
		return all;
	}

	clear(): void {
		this.#buckets.clear();
		this.#size = 0;
	}
}
