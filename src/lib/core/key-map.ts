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
import { DenseList, type Placed } from './dense-list.js';
import { isStoredPart, matchesKey } from './key-code.js';
import { hashKey, isArray, type KeyInput, type KeyParts } from './key.js';

/** What the map stores: anything that knows its key's parts and code. */
export interface Keyed extends Placed {
	readonly code: number;
	readonly parts: KeyParts;
}

const all = (): boolean => true;

/** Keys sharing one code beyond which their bucket is indexed by canonical text. */
const MAX_CHAIN = 8;

/** Every entry in insertion order (the list it extends), and bucketed by code. */
export class KeyMap<E extends Keyed> extends DenseList<E, KeyParts> {
	readonly #buckets = new Map<number, E | E[] | Map<string, E>>();
	/** The code `find` last found no bucket for: adding the missing entry next then skips a second lookup. */
	#missed = -1;
	/** The entry `find` found last, which `recent` compares a key with. */
	#recent: E | undefined = undefined;

	/** The entry of a key already validated by `keyCode`, which gave `code`; `recent` remembers it. */
	find(key: KeyInput, code: number): E | undefined {
		const bucket = this.#buckets.get(code);
		if (bucket === undefined) {
			this.#missed = code;
			return undefined;
		}
		const found = isArray(bucket)
			? bucket.find((entry) => matchesKey(key, entry.parts))
			: bucket instanceof Map
				? bucket.get(hashKey(key))
				: matchesKey(key, bucket.parts)
					? bucket
					: undefined;
		if (found) this.#recent = found;
		return found;
	}

	/**
	 * The entry `find` found last, when `key` (not validated yet) equals its key with no undefined
	 * property. Such a key is valid, as the stored one is, so a key read over and over (a
	 * component's, say) skips `keyCode` and `find`.
	 */
	recent(key: KeyInput): E | undefined {
		const recent = this.#recent;
		return recent !== undefined && isArray(key) && isStoredPart(key, recent.parts) ? recent : undefined;
	}

	/** Adds an entry whose key is not in the map yet. */
	override add(entry: E): void {
		// Codes are never negative: a -1 left by the previous add always looks up.
		const bucket = entry.code === this.#missed ? undefined : this.#buckets.get(entry.code);
		this.#missed = -1;
		if (bucket === undefined) this.#buckets.set(entry.code, entry);
		else if (isArray(bucket)) {
			bucket.push(entry);
			if (bucket.length > MAX_CHAIN) this.#buckets.set(entry.code, new Map(bucket.map((e) => [hashKey(e.parts), e])));
		} else if (bucket instanceof Map) bucket.set(hashKey(entry.parts), entry);
		else this.#buckets.set(entry.code, [bucket, entry]);
		super.add(entry, entry.parts);
	}

	/** Deletes an entry; false when it is not in the map. */
	override delete(entry: E): boolean {
		// The list and the buckets always hold the same entries: the list's O(1) check answers for both.
		if (!this.has(entry)) return false;
		if (entry === this.#recent) this.#recent = undefined;
		const bucket = this.#buckets.get(entry.code);
		if (bucket === entry) {
			this.#buckets.delete(entry.code);
		} else if (isArray(bucket)) {
			const rest = bucket.filter((other) => other !== entry);
			this.#buckets.set(entry.code, rest.length === 1 ? (rest[0] as E) : rest);
		} else {
			const byText = bucket as Map<string, E>;
			byText.delete(hashKey(entry.parts));
			if (byText.size === 0) this.#buckets.delete(entry.code);
		}
		super.delete(entry);
		return true;
	}

	/** Every entry, in a new array. */
	toArray(): E[] {
		return this.filter(all);
	}

	override clear(): void {
		this.#recent = undefined;
		this.#buckets.clear();
		super.clear();
	}
}
