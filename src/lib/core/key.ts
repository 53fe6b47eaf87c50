/**
 * Structural query keys.
 *
 * A key is an array of JSON-like parts. Two keys that are structurally equal
 * (arrays in order, plain objects in any property order) address the same
 * cache entry. Keys are validated and hashed in one pass; the hash is plain
 * JSON text with sorted object properties, so it survives SSR unchanged.
 */

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

/** Anything accepted where a key is taken: a raw array or a {@link QoraKey}. */
export type KeyInput = readonly unknown[] | QoraKey;

// Deeper keys are a bug or an attack; the limit also keeps the recursion far from
// the engine's stack limit, so hostile nesting gets a TypeError, never a RangeError.
const MAX_DEPTH = 64;

const objectProto = Object.prototype;
const isArray = Array.isArray;
const getProto = Object.getPrototypeOf;
const quote = JSON.stringify;

/** Parts that came out of {@link normalizeKey}, mapped to their hash. */
const normalizedHashes = new WeakMap<object, string>();

// Path of the part being hashed, kept as a stack so the happy path builds no strings.
const pathStack: (string | number)[] = [];
const ancestors: object[] = [];

function formatPath(): string {
	let path = 'key';
	for (const segment of pathStack) {
		path +=
			typeof segment === 'number'
				? `[${segment}]`
				: /^[A-Za-z_$][\w$]*$/.test(segment)
					? `.${segment}`
					: `[${quote(segment)}]`;
	}
	return path;
}

function fail(problem: string): never {
	const path = formatPath();
	pathStack.length = 0;
	ancestors.length = 0;
	throw new TypeError(`Invalid query key: ${path} ${problem}`);
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (typeof value === 'object') {
		const name = (getProto(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
		return name ? `a ${name} instance` : 'an object with a custom prototype';
	}
	return `a ${typeof value}`;
}

function hashPart(value: unknown, depth: number): string {
	switch (typeof value) {
		case 'string':
			return quote(value);
		case 'number':
			if (value === value && value !== Infinity && value !== -Infinity) {
				// -0 hashes as 0, exactly as JSON would write it.
				return value === 0 ? '0' : '' + value;
			}
			return fail(`is ${value}, which JSON cannot represent`);
		case 'boolean':
			return value ? 'true' : 'false';
		case 'undefined':
			return fail('is undefined (array elements cannot be undefined; use null)');
		case 'object':
			if (value === null) return 'null';
			if (depth >= MAX_DEPTH) return fail(`is nested deeper than ${MAX_DEPTH} levels`);
			if (ancestors.includes(value)) return fail('is a reference cycle');
			if (isArray(value)) return hashArray(value, depth);
			{
				const proto = getProto(value);
				if (proto === objectProto || proto === null) return hashObject(value as Record<string, unknown>, depth);
			}
			return fail(`is ${describe(value)}; only plain objects and arrays are allowed`);
		default:
			return fail(`is ${describe(value)}, which JSON cannot represent`);
	}
}

function hashArray(array: readonly unknown[], depth: number): string {
	ancestors.push(array);
	let out = '[';
	for (let i = 0; i < array.length; i++) {
		pathStack.push(i);
		out += (i === 0 ? '' : ',') + hashPart(array[i], depth + 1);
		pathStack.pop();
	}
	ancestors.pop();
	return out + ']';
}

function hashObject(object: Record<string, unknown>, depth: number): string {
	const names = Object.keys(object);
	// Small objects are usually written in sorted order already; only sort when not.
	for (let i = 1; i < names.length; i++) {
		if ((names[i - 1] as string) > (names[i] as string)) {
			names.sort();
			break;
		}
	}
	if (Object.getOwnPropertySymbols(object).length > 0) {
		return fail('has symbol-keyed properties, which JSON cannot represent');
	}
	ancestors.push(object);
	let out = '{';
	let first = true;
	for (const name of names) {
		const part = object[name];
		if (part === undefined) continue; // dropped, as JSON does
		pathStack.push(name);
		out += (first ? '' : ',') + quote(name) + ':' + hashPart(part, depth + 1);
		pathStack.pop();
		first = false;
	}
	ancestors.pop();
	return out + '}';
}

function hashRaw(key: unknown): string {
	if (key instanceof QoraKey) return key.hash;
	if (!isArray(key)) {
		throw new TypeError(`Invalid query key: expected an array or a QoraKey, got ${describe(key)}`);
	}
	const known = normalizedHashes.get(key);
	if (known !== undefined) return known;
	return hashArray(key, 0);
}

/**
 * The stable hash of a key, used for O(1) cache lookup. Structurally equal keys
 * hash the same (`{a:1,b:2}` and `{b:2,a:1}` included). Throws a `TypeError`
 * naming the path of the first invalid part.
 */
export function hashKey(key: KeyInput): string {
	return hashRaw(key);
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null) {
		for (const child of Object.values(value)) deepFreeze(child);
		Object.freeze(value);
	}
	return value;
}

/** Rebuilds the frozen parts from a hash: JSON.parse copies, sorts nothing away and keeps `__proto__` as an own property. */
export function partsFromHash(hash: string): KeyParts {
	const parts = deepFreeze(JSON.parse(hash) as KeyPart[]);
	normalizedHashes.set(parts, hash);
	return parts;
}

/**
 * Validates a key and returns a deep-copied, deeply frozen array of its parts.
 * Object properties whose value is `undefined` are dropped, as JSON does.
 *
 * @throws TypeError when the key is not an array or {@link QoraKey}, or a part
 * cannot survive a JSON round trip (functions, symbols, bigint, undefined array
 * elements, NaN/Infinity, class instances, cycles); the message names its path,
 * e.g. `key[1].filter.since`.
 */
export function normalizeKey(key: KeyInput): KeyParts {
	if (key instanceof QoraKey) return key.parts;
	if (isArray(key) && normalizedHashes.has(key)) return key as KeyParts;
	return partsFromHash(hashRaw(key));
}

/** Deep structural equality of two keys: arrays in order, plain objects in any property order. */
export function equalsKey(a: KeyInput, b: KeyInput): boolean {
	return a === b || hashRaw(a) === hashRaw(b);
}

function partEquals(a: KeyPart | undefined, b: KeyPart | undefined): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (isArray(a) !== isArray(b)) return false;
	if (isArray(a)) {
		const other = b as readonly KeyPart[];
		if (a.length !== other.length) return false;
		for (let i = 0; i < a.length; i++) if (!partEquals(a[i], other[i])) return false;
		return true;
	}
	const left = a as { readonly [property: string]: KeyPart | undefined };
	const right = b as { readonly [property: string]: KeyPart | undefined };
	const leftNames = Object.keys(left);
	if (leftNames.length !== Object.keys(right).length) return false;
	for (const name of leftNames) {
		if (!Object.prototype.hasOwnProperty.call(right, name) || !partEquals(left[name], right[name])) return false;
	}
	return true;
}

/**
 * Whether `key` begins with every part of `prefix`, compared part by part
 * structurally. `keyStartsWith(['users', 1, {tab: 'a'}], ['users'])` is true.
 */
export function keyStartsWith(key: KeyInput, prefix: KeyInput): boolean {
	const whole = normalizeKey(key);
	const head = normalizeKey(prefix);
	if (head.length > whole.length) return false;
	for (let i = 0; i < head.length; i++) if (!partEquals(whole[i], head[i])) return false;
	return true;
}

/**
 * A validated, immutable key. Interchangeable with a raw array everywhere a key
 * is taken: `new QoraKey(['user', 1])` and `['user', 1]` hit the same entry.
 */
export class QoraKey {
	/** The key's parts, deep-copied and deeply frozen. */
	readonly parts: KeyParts;
	/** The key's stable hash (plain JSON text). */
	readonly hash: string;

	constructor(parts: readonly unknown[]) {
		this.hash = hashRaw(parts);
		this.parts = normalizedHashes.has(parts) ? (parts as KeyParts) : partsFromHash(this.hash);
		Object.freeze(this);
	}

	/** `QoraKey.single('todos')` is the key `['todos']`. */
	static single(part: KeyPart): QoraKey {
		return new QoraKey([part]);
	}

	/** `QoraKey.withId('user', 7)` is the key `['user', 7]`. */
	static withId(entity: string, id: string | number): QoraKey {
		return new QoraKey([entity, id]);
	}

	/** `QoraKey.withFilter('todos', { done: false })` is the key `['todos', { done: false }]`. */
	static withFilter(entity: string, filter: { readonly [property: string]: KeyPart | undefined }): QoraKey {
		return new QoraKey([entity, filter]);
	}

	/** A key from a raw array, or the same key when given a QoraKey. */
	static from(parts: KeyInput): QoraKey {
		return parts instanceof QoraKey ? parts : new QoraKey(parts);
	}

	/** Structural equality with another key or raw array. */
	equals(other: KeyInput): boolean {
		return equalsKey(this, other);
	}

	toString(): string {
		return this.hash;
	}
}
