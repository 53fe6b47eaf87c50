/**
 * How the cache finds an entry without building a string: a numeric structural
 * code (validating the key in the same pass), then a structural comparison with
 * the stored parts. No allocation beyond `Object.keys`, and no per-entry hash
 * string to keep. Object properties are combined with a commutative sum, so
 * property order does not matter and nothing needs sorting.
 */
import { describe, diagnose, hasOwn, isArray, isPlainObject, MAX_DEPTH, MAX_PARTS, QoraKey, tooLarge, type KeyInput, type KeyPart, type KeyParts } from './key.js';

const INVALID = Symbol();
let budget = 0;

const float = new Float64Array(1);
const words = new Int32Array(float.buffer);

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
function mix(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	return h ^ (h >>> 16);
}

function codeString(text: string): number {
	let h = 0x811c9dc5 ^ text.length;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return h;
}

function codePart(value: unknown, depth: number): number {
	switch (typeof value) {
		case 'string':
			return codeString(value) ^ 0x1b873593;
		case 'number':
			if (value === (value | 0)) return mix(value ^ 0x2545f491); // int32, -0 included (as JSON: 0)
			if (!Number.isFinite(value)) throw INVALID;
			float[0] = value;
			return mix((words[0] as number) ^ Math.imul(words[1] as number, 0x9e3779b1));
		case 'boolean':
			return value ? 0x6b43a9b5 : 0x3c6ef372;
		case 'object':
			if (value === null) return 0x27d4eb2f;
			if (depth >= MAX_DEPTH) throw INVALID;
			if (isArray(value)) return codeArray(value, depth);
			if (isPlainObject(value)) return codeObject(value as Record<string, unknown>, depth);
			throw INVALID;
		default:
			throw INVALID;
	}
}

function codeArray(array: readonly unknown[], depth: number): number {
	if ((budget -= array.length) < 0) tooLarge();
	let h = 0x3b9aca07 ^ array.length;
	for (let i = 0; i < array.length; i++) h = (Math.imul(h, 0x01000193) + codePart(array[i], depth + 1)) | 0;
	return mix(h);
}

function codeObject(object: Record<string, unknown>, depth: number): number {
	const names = Object.keys(object);
	if ((budget -= names.length) < 0) tooLarge();
	let sum = 0;
	let count = 0;
	for (let i = 0; i < names.length; i++) {
		const name = names[i] as string;
		const part = object[name];
		if (part === undefined) continue; // dropped, as JSON does
		count++;
		sum = (sum + mix((Math.imul(codeString(name), 31) + codePart(part, depth + 1)) | 0)) | 0;
	}
	return mix(sum ^ Math.imul(count, 0x27d4eb2d) ^ 0x5bd1e995);
}

/**
 * @internal Validates a key and returns its structural code (a non-negative
 * small integer). Structurally equal keys get the same code; different keys
 * rarely do, and the cache compares parts to tell them apart.
 * @throws TypeError naming the path of the first invalid part, from `name` (the argument's, default `key`).
 */
export function keyCode(key: KeyInput, name?: string): number {
	if (key instanceof QoraKey) return key.code;
	if (!isArray(key)) throw new TypeError(`Invalid query key: expected an array or a QoraKey, got ${describe(key)}`);
	budget = MAX_PARTS;
	try {
		return codeArray(key, 0) & 0x3fffffff;
	} catch (error) {
		if (error === INVALID) diagnose(key, name);
		throw error;
	}
}

/** @internal Whether two validated parts are equal (property order and undefined properties ignored). */
export function samePart(raw: unknown, part: KeyPart | undefined): boolean {
	if (raw === part) return true; // primitives; -0 matches the 0 it was stored as
	if (typeof raw !== 'object' || raw === null || typeof part !== 'object' || part === null) return false;
	if (isArray(raw)) {
		if (!isArray(part) || raw.length !== part.length) return false;
		for (let i = 0; i < raw.length; i++) if (!samePart(raw[i], (part as readonly KeyPart[])[i])) return false;
		return true;
	}
	if (isArray(part)) return false;
	const stored = part as { readonly [name: string]: KeyPart | undefined };
	let count = 0;
	for (const name of Object.keys(raw)) {
		const value = (raw as Record<string, unknown>)[name];
		if (value === undefined) continue;
		count++;
		if (!hasOwn.call(stored, name) || !samePart(value, stored[name])) return false;
	}
	const names = Object.keys(stored);
	// Stored parts hold no undefined properties; a raw part on the right may.
	return count === names.length || count === names.filter((name) => stored[name] !== undefined).length;
}

/** @internal Whether a key validated by {@link keyCode} equals stored parts. */
export function matchesKey(key: KeyInput, parts: KeyParts): boolean {
	return samePart(key instanceof QoraKey ? key.parts : key, parts);
}

/**
 * @internal Whether a part not validated yet equals a stored part exactly, which proves it
 * valid (see `KeyMap.recent`): a class instance (a Date) never passes for a stored {}, and an
 * undefined property never matches, since `keyCode` charges it against the part budget, which
 * the stored part, holding none, cannot vouch for. Apart from `samePart`, so that the lookups
 * of validated keys keep their own lean, monomorphic comparison.
 */
export function isStoredPart(raw: unknown, part: KeyPart): boolean {
	if (raw === part) return true; // primitives; -0 matches the 0 it was stored as
	if (typeof raw !== 'object' || raw === null || typeof part !== 'object' || part === null) return false;
	if (isArray(raw)) {
		if (!isArray(part) || raw.length !== part.length) return false;
		for (let i = 0; i < raw.length; i++) if (!isStoredPart(raw[i], (part as readonly KeyPart[])[i] as KeyPart)) return false;
		return true;
	}
	if (isArray(part) || !isPlainObject(raw)) return false;
	const stored = part as { readonly [name: string]: KeyPart };
	const names = Object.keys(raw);
	if (names.length !== Object.keys(stored).length) return false;
	for (const name of names) {
		if (!hasOwn.call(stored, name) || !isStoredPart((raw as Record<string, unknown>)[name], stored[name] as KeyPart)) return false;
	}
	return true;
}
