/**
 * Structural query keys.
 *
 * A key is an array of JSON-like parts. Two keys that are structurally equal
 * (arrays in order, plain objects in any property order) address the same
 * cache entry. Validation names the path of a bad part; normalized copies are
 * canonical (object properties sorted), so their JSON is the key's stable hash.
 * The cache itself looks entries up by a numeric code (key-code.ts).
 */
import { keyCode, samePart } from './key-code.js';
import { textOf } from './errors.js';

/** One part of a key: anything that survives a JSON round trip unchanged. */
export type KeyPart =
	| string
	| number
	| boolean
	| null
	| readonly KeyPart[]
	| { readonly [property: string]: KeyPart | undefined };

/** A validated, deep-copied, deeply frozen key. */
export type KeyParts = readonly KeyPart[];

/** Anything accepted where a key is taken: a raw array or a {@link QoraKey}. Parts are checked when used. */
export type KeyInput = readonly unknown[] | QoraKey;

/**
 * The key of a query config: a {@link KeyInput} whose parts are typed as defined.
 * `undefined` is never a valid part, so `['todo', id]` with `id: string | undefined`
 * does not compile (at run time it would throw, even with `enabled: false`): write
 * `id ?? null`, or create the query once `id` is known. Nor is a bigint (a database's
 * id: write `String(id)`) or a symbol, which JSON cannot represent.
 */
export type QueryKeyInput = readonly (string | number | boolean | object | null)[] | QoraKey;

declare const dataOfKey: unique symbol;

/**
 * Types only: the data a key addresses. A `QueryConfig<T>`'s key carries it, so
 * `client.getQueryData(todosQuery.key)` is `T | undefined` with no type argument, and
 * `setQueryData` with that key refuses data of another type. No key has this property
 * at run time; a plain array carries `unknown`. Give a key of its own its type with
 * `const key: TypedKey<Todo[]> = ['todos']`.
 */
export interface KeyData<T> {
	readonly [dataOfKey]?: T;
}

/** A query key typed by its data (a {@link QueryKeyInput} carrying {@link KeyData}): what a `QueryConfig<T>`'s key is. */
export type TypedKey<T> = QueryKeyInput & KeyData<T>;

/**
 * The data type key type `K` carries, `unknown` for a plain key; a union of keys gives the
 * union of their types. What `getQueryData` returns for a key that is a union of typed keys.
 */
export type DataOfKey<K> = K extends unknown ? (typeof dataOfKey extends keyof K ? (K extends KeyData<infer D> ? D : unknown) : unknown) : never;

/** What `QoraKey.from` makes of a key of type `K`: a `QoraKey` that keeps a typed key's data type; a plain key's stays plain. */
export type QoraKeyOf<K> = 0 extends 1 & K ? QoraKey : K extends unknown ? (typeof dataOfKey extends keyof K ? QoraKey & KeyData<DataOfKey<K>> : QoraKey) : never;

// Deeper keys are a bug or an attack; the limit also keeps the recursion far from
// the engine's stack limit, so hostile nesting gets a TypeError, never a RangeError.
/** @internal */
export const MAX_DEPTH = 64;

const objectProto = Object.prototype;
/** @internal */
export const isArray = Array.isArray;
/** @internal */
export const hasOwn = objectProto.hasOwnProperty;
const getProto = Object.getPrototypeOf;

// Shared references make a key tiny in memory yet astronomically large as JSON
// (41 arrays can stand for 2^40 parts); a budget turns that into a prompt TypeError.
/** @internal */
export const MAX_PARTS = 1_000_000;

/** @internal */
export function tooLarge(): never {
	throw new TypeError(`Invalid query key: key has more than ${MAX_PARTS} parts (shared references count each time they appear)`);
}

/** @internal */
export function isPlainObject(value: object): boolean {
	const proto = getProto(value);
	return proto === objectProto || proto === null;
}

/** @internal A property's step in a path: `.since`, or `["date-from"]` where the name is no identifier (or a long one, cut). */
export function propertyStep(name: string): string {
	return /^[A-Za-z_$][\w$]{0,99}$/.test(name) ? `.${name}` : `[${textOf(name, true)}]`;
}

/** @internal What a value is, for a message: `a string`, `a plain object`, `a Date instance`… */
export function describe(value: unknown): string {
	if (value === null || value === undefined) return String(value);
	if (typeof value !== 'object') return `a ${typeof value}`;
	if (isPlainObject(value)) return 'a plain object';
	let name: unknown;
	try {
		name = (getProto(value) as { constructor: { name?: unknown } }).constructor.name;
	} catch {
		// No constructor to ask, or a hostile getter: the value is still not a plain object.
	}
	if (typeof name !== 'string' || name === '' || name === 'Object') return 'an object with a custom prototype';
	return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name} instance`;
}

/**
 * The problem with a part, or null if the part itself is fine (its children may not be).
 * `ancestors`: the arrays and objects that hold it, outermost first (their count is its depth).
 */
function problemOf(value: unknown, ancestors: readonly object[]): string | null {
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return null;
		case 'number':
			return Number.isFinite(value) ? null : `is ${value}, which JSON cannot represent`;
		case 'undefined':
			return 'is undefined (array elements cannot be undefined; use null)';
		case 'object':
			if (value === null) return null;
			if (ancestors.includes(value)) return 'is a reference cycle';
			if (ancestors.length >= MAX_DEPTH) return `is nested deeper than ${MAX_DEPTH} levels`;
			if (isArray(value) || isPlainObject(value)) return null;
			return `is ${describe(value)}; only plain objects and arrays are allowed`;
		default:
			return `is ${describe(value)}, which JSON cannot represent`;
	}
}

/**
 * @internal Finds the first bad part depth-first and throws a TypeError naming
 * its path. Recursion is safe: a part nested deeper than {@link MAX_DEPTH} is
 * itself the problem, so the walk never goes further down.
 */
export function diagnose(key: readonly unknown[], name = 'key'): never {
	let visits = 0;
	const ancestors: object[] = [];
	const walk = (value: unknown, path: string): void => {
		if (++visits > MAX_PARTS + 1) tooLarge(); // the key itself and its parts
		const problem = problemOf(value, ancestors);
		if (problem) throw new TypeError(`Invalid query key: ${path} ${problem}`);
		if (typeof value !== 'object' || value === null) return;
		ancestors.push(value);
		if (isArray(value)) {
			for (let i = 0; i < value.length; i++) walk(value[i], `${path}[${i}]`); // holes included
		} else {
			for (const name of Object.keys(value)) {
				const child = (value as Record<string, unknown>)[name];
				if (child !== undefined) walk(child, path + propertyStep(name));
			}
		}
		ancestors.pop();
	};
	walk(key, name);
	throw new TypeError('Invalid query key');
}

/**
 * The stable hash of a key: canonical JSON (object properties sorted), so
 * structurally equal keys hash the same (`{a:1,b:2}` and `{b:2,a:1}` included)
 * and the hash survives SSR. Throws a `TypeError` naming the path of the first
 * invalid part. (The cache itself looks keys up by a numeric code instead.)
 */
export function hashKey(key: KeyInput): string {
	return key instanceof QoraKey ? key.hash : JSON.stringify(normalizeKey(key));
}

function copyArray(array: readonly KeyPart[]): readonly KeyPart[] {
	const copy: KeyPart[] = new Array(array.length);
	for (let i = 0; i < array.length; i++) copy[i] = copyPart(array[i] as KeyPart);
	return Object.freeze(copy);
}

function copyPart(value: KeyPart): KeyPart {
	if (typeof value !== 'object' || value === null) return value === 0 ? 0 : value; // -0 becomes 0, as in JSON
	if (isArray(value)) return copyArray(value);
	const names = Object.keys(value);
	// Sorted, so the copy is canonical too: JSON.stringify(parts) equals hashKey(parts). A key's
	// few names are sorted by insertion, which costs nothing when they are in order already and
	// a fraction of Array#sort's fixed cost when not; many (a crafted key) go to Array#sort.
	if (names.length > 16) names.sort();
	else
		for (let i = 1; i < names.length; i++) {
			const name = names[i] as string;
			let j = i;
			for (; j > 0 && (names[j - 1] as string) > name; j--) names[j] = names[j - 1] as string;
			names[j] = name;
		}
	const object: Record<string, KeyPart> = {};
	for (const name of names) {
		const part = (value as Record<string, KeyPart | undefined>)[name];
		if (part === undefined) continue;
		// Plain assignment of "__proto__" would set the prototype instead of keeping the property.
		if (name === '__proto__') Object.defineProperty(object, name, { value: copyPart(part), enumerable: true });
		else object[name] = copyPart(part);
	}
	return Object.freeze(object);
}

/**
 * @internal Copies and freezes a key that `keyCode` already validated.
 * Strings are shared, not copied (they are immutable), which keeps cached keys small.
 */
export function copyValidKey(key: KeyInput): KeyParts {
	if (key instanceof QoraKey) return key.parts;
	return copyArray(key as readonly KeyPart[]);
}

/**
 * Validates a key and returns a deep-copied, deeply frozen array of its parts.
 * Object properties whose value is `undefined`, and symbol-keyed properties,
 * are dropped, as JSON drops them.
 *
 * @throws TypeError when the key is not an array or {@link QoraKey}, or a part
 * cannot survive a JSON round trip (functions, symbols, bigint, undefined array
 * elements, NaN/Infinity, class instances, cycles); the message names its path,
 * e.g. `key[1].filter.since`.
 */
export function normalizeKey(key: KeyInput): KeyParts {
	keyCode(key); // validates (a QoraKey is valid already, and copyValidKey gives its parts)
	return copyValidKey(key);
}

/** Deep structural equality of two keys: arrays in order, plain objects in any property order. */
export function equalsKey(a: KeyInput, b: KeyInput): boolean {
	// Each validated under its own name, so a bad part is named after the argument holding it.
	return hashKey(validParts(a, 'a')) === hashKey(validParts(b, 'b'));
}

/** A key's parts, validated but not copied: comparisons need no canonical copy. */
function validParts(key: KeyInput, name?: string): readonly unknown[] {
	if (key instanceof QoraKey) return key.parts;
	keyCode(key, name); // validates
	return key;
}

/** @internal Whether `parts` begin with every part of `prefix` (both already valid). */
export function partsStartWith(parts: readonly unknown[], prefix: readonly unknown[]): boolean {
	return prefix.length <= parts.length && prefix.every((part, i) => samePart(part, parts[i] as KeyPart));
}

/**
 * Whether `key` begins with every part of `prefix`, compared part by part
 * structurally. `keyStartsWith(['users', 1, {tab: 'a'}], ['users'])` is true.
 * @throws TypeError for an invalid key or prefix, as {@link normalizeKey} does.
 */
export function keyStartsWith(key: KeyInput, prefix: KeyInput): boolean {
	return partsStartWith(validParts(key), validParts(prefix, 'prefix'));
}

/**
 * A validated, immutable key. Interchangeable with a raw array everywhere a key
 * is taken: `new QoraKey(['user', 1])` and `['user', 1]` hit the same entry.
 * Its parts are typed as a query config's key ({@link QueryKeyInput}): one that
 * may be `undefined` does not compile, since building the key would throw.
 */
export class QoraKey {
	/** The key's parts, deep-copied and deeply frozen. */
	readonly parts: KeyParts;
	/** The key's stable hash (plain JSON text). */
	readonly hash: string;
	/** @internal The key's numeric structural code, used by the cache. */
	readonly code: number;

	/** @throws TypeError when a part cannot survive a JSON round trip, as {@link normalizeKey} does. */
	constructor(parts: readonly (string | number | boolean | object | null)[]) {
		this.parts = normalizeKey(parts);
		// Coded from the copy, so a getter that answers differently each time cannot set them apart.
		this.code = keyCode(this.parts);
		this.hash = JSON.stringify(this.parts);
		Object.freeze(this);
	}

	/** `QoraKey.single('todos')` is the key `['todos']`. */
	static single(part: string | number | boolean | object | null): QoraKey {
		return new QoraKey([part]);
	}

	/** `QoraKey.withId('user', 7)` is the key `['user', 7]`. */
	static withId(entity: string, id: string | number): QoraKey {
		return new QoraKey([entity, id]);
	}

	/** `QoraKey.withFilter('todos', { done: false })` is the key `['todos', { done: false }]`. */
	static withFilter(entity: string, filter: object): QoraKey {
		return new QoraKey([entity, filter]);
	}

	/** A key from a raw array, or the same key when given a QoraKey. A typed key ({@link TypedKey}) stays typed. */
	static from<K extends QueryKeyInput>(parts: K): QoraKeyOf<K>;
	static from(parts: QueryKeyInput): QoraKey {
		return parts instanceof QoraKey ? parts : new QoraKey(parts);
	}

	/** Structural equality with another key or raw array. */
	equals(other: KeyInput): boolean {
		return equalsKey(this, other);
	}

	/** The key's hash, so a key reads as its JSON in messages and template strings. */
	toString(): string {
		return this.hash;
	}
}
