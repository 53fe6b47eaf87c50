/**
 * Moving a cache across the SSR boundary. `dehydrate` turns a client into plain
 * data (JSON-safe unless `richData` asks for what devalue can carry); `hydrate`
 * validates such data completely before applying any of it, then merges it so
 * that newer data in the receiving client always wins.
 */
import type { HydrationRecord, QoraClient } from './client.js';
// In the order that gzips smallest: a bundler lays the modules out so (index.ts loads this module first).
import { isRefusedPromise, kindOf, textOf } from './errors.js';
import { keyCode } from './key-code.js';
import { hashKey, hasOwn, isArray, isPlainObject, propertyStep, type KeyInput, type KeyParts } from './key.js';
import { checkClient } from './is-client.js';
import { checkFields, isFiniteTime } from './options.js';
import { isQoraStatus, type QoraState, type QoraStatus } from './state.js';

/** The payload format version this build writes and reads. */
export const DEHYDRATED_VERSION = 1;

/** One entry as it crosses the wire. */
export interface DehydratedEntry {
	key: KeyParts;
	status: QoraStatus;
	/** Present when the entry has data. */
	data?: unknown;
	/** When the data was fetched, by the dehydrating side's clock (ms since epoch). */
	dataUpdatedAt: number;
	/**
	 * When the request that fetched it went out, if earlier than `dataUpdatedAt`: the data is
	 * at least that new, so data the other side wrote since then is not replaced by it.
	 */
	requestedAt?: number;
	/** Only for error entries, when `shouldDehydrate` lets them through: the message, never a stack. */
	error?: { name: string; message: string };
	/** Only for error entries: when the error happened. */
	errorUpdatedAt?: number;
	/** Present when the data was invalidated on the dehydrating side: it arrives stale. */
	invalidated?: true;
}

/** What {@link dehydrate} returns: plain JSON, nothing lost in a JSON round trip (with `richData`, data devalue can carry). */
export interface DehydratedState {
	version: typeof DEHYDRATED_VERSION;
	entries: DehydratedEntry[];
}

/** The options of {@link dehydrate}; both may be left out. */
export interface DehydrateOptions {
	/** Which entries to include. Default: only successful ones, since errors can carry server details. */
	shouldDehydrate?: ((state: QoraState<unknown>, key: KeyParts) => boolean) | undefined;
	/**
	 * Also include entries whose data JSON cannot carry unchanged (a `Date`, `Map`,
	 * `BigInt`, a cycle…), for a transport that can: devalue, which carries
	 * SvelteKit's server load data (and, with the app's `transport` hook, its own
	 * classes). Default false: such entries are left out (the other side fetches
	 * them), so the payload survives `JSON.stringify` as it is.
	 */
	richData?: boolean | undefined;
}

/**
 * Serialises the client's entries (by default, the successful ones) into plain
 * data. Entries whose key or data hold an own `__proto__` property are left out,
 * since {@link hydrate} rejects those as prototype-pollution attempts; so are,
 * unless `richData`, entries whose data a JSON round trip would change.
 */
export function dehydrate(client: QoraClient, options: DehydrateOptions = {}): DehydratedState {
	checkClient(client, dehydrateCall);
	if (typeof options !== 'object' || options === null) throw new TypeError(`${dehydrateCall}: options must be an object, got ${kindOf(options)}`);
	checkFields(options, dehydrateFields, dehydrateCall, '', false, 'option');
	const should = options.shouldDehydrate;
	const richData = options.richData;
	if (should !== undefined && typeof should !== 'function') {
		throw new TypeError(`${dehydrateCall}: "shouldDehydrate" must be a function (state, key) => boolean, got ${kindOf(should)}`);
	}
	if (richData !== undefined && typeof richData !== 'boolean') throw new TypeError(`${dehydrateCall}: "richData" must be a boolean, got ${kindOf(richData)}`);
	const jsonOnly = richData !== true;
	const entries: DehydratedEntry[] = [];
	for (const entry of client._entries()) {
		const included: unknown = should ? should(client.getState(entry.parts) as QoraState<unknown>, entry.parts) : entry.status === 'success';
		// A promise is truthy whatever it resolves to: every entry, errors included, would go out.
		if (isRefusedPromise(included)) {
			throw new TypeError(`${dehydrateCall}: "shouldDehydrate" must return a boolean, got a promise`);
		}
		// Left out, such an entry is simply fetched again on the other side.
		if (!included || inspect(entry.parts, false) !== 'none' || inspect(entry.data, jsonOnly) !== 'none') continue;
		// Timestamps hydrate accepts (>= 0) even from an odd clock: a 1970 timestamp only reads as old data.
		const record: DehydratedEntry = { key: entry.parts, status: entry.status, dataUpdatedAt: Math.max(entry.dataUpdatedAt, 0) };
		if (entry.data !== undefined) {
			record.data = entry.data;
			if (entry.requestLead > 0) record.requestedAt = Math.max(entry.dataUpdatedAt - entry.requestLead, 0);
			if (entry.isInvalidated) record.invalidated = true;
		}
		// An entry holds an error exactly when its status is 'error': the reducer sets and clears both together.
		if (entry.error) {
			try {
				record.error = { name: String(entry.error.name), message: String(entry.error.message) };
			} catch {
				continue; // its name or message has no string form
			}
			record.errorUpdatedAt = Math.max(entry.errorUpdatedAt, 0);
		}
		entries.push(record);
	}
	return { version: DEHYDRATED_VERSION, entries };
}

/** The call dehydrate's messages name. */
const dehydrateCall = 'dehydrate(client, options)';
const dehydrateFields = ['shouldDehydrate', 'richData'];


const recordFields: ReadonlySet<string> = new Set(['key', 'status', 'data', 'dataUpdatedAt', 'requestedAt', 'error', 'errorUpdatedAt', 'invalidated']);

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && isPlainObject(value);
}

/** `where`: a record's index, with `field` the part of it at fault (the text is only built to throw). */
function invalid(where: string | number, problem: string, field?: string): never {
	const at = typeof where === 'number' ? `entries[${where}]${field === undefined ? '' : propertyStep(field)}` : where;
	throw new Error(`hydrate: invalid payload: ${at} ${problem}; nothing was applied`);
}

// The walk counts the objects it pushes. Plain data is a tree, walked as one up to
// QUICK_VISITS objects. Past that (a large value, shared references, a cycle), the devalue
// walk (devalue keeps shared and cyclic references) goes on remembering what it has checked,
// so a cycle ends it; the JSON walk starts over keeping the current path, since a cycle is
// what JSON cannot carry while a shared part is. MAX_VISITS bounds it all.
const QUICK_VISITS = 100_000;
const MAX_VISITS = 10_000_000;
/** JSON.stringify recurses: data nested deeper overflows its stack (some thousands of levels down). */
const MAX_JSON_DEPTH = 1000;
/** On the JSON walk's stack: the object below it has been walked in full. */
const WALKED = {};

/** What stops a value from crossing intact (see {@link inspect}). */
type Problem = 'none' | 'proto' | 'not json' | 'too large';

/** Whether a JSON round trip gives `value` back unchanged (objects are checked by the walk). */
function jsonSafe(value: unknown, inArray: boolean): boolean {
	switch (typeof value) {
		case 'string':
		case 'boolean':
		case 'object':
			return true;
		case 'number':
			return Number.isFinite(value);
		case 'undefined':
			return !inArray; // a property JSON drops reads back as undefined; an item turns null
		default:
			return false; // bigint, symbol, function
	}
}

/**
 * What, inside `root`, would stop it from crossing intact: an own `__proto__`
 * property (hydrate rejects it as tampering) or, with `jsonOnly`, something a
 * JSON round trip changes (a Date or other class instance, a Map, a BigInt, a
 * function, NaN, an undefined or missing array item, an Array subclass, a
 * cycle, nesting deeper than JSON.stringify can go). Iterative, so
 * hostile nesting cannot overflow the stack; 'too large' past MAX_VISITS.
 */
function inspect(root: unknown, jsonOnly: boolean): Problem {
	if (jsonOnly && !jsonSafe(root, false)) return 'not json';
	if (typeof root !== 'object' || root === null) return 'none';
	const problem = walk(root, jsonOnly, false);
	return problem === 'too large' && jsonOnly ? walk(root, true, true) : problem;
}

/** See above; `onPath`: the JSON walk's second try, which keeps the objects on the current path. */
function walk(root: object, jsonOnly: boolean, onPath: boolean): Problem {
	const stack: object[] = [root];
	const limit = jsonOnly && !onPath ? QUICK_VISITS : MAX_VISITS;
	let seen: Set<object> | null = onPath ? new Set() : null;
	// Counted as they are pushed: an object that holds the array it is in would otherwise
	// grow the stack by the array's length on every lap, far faster than pops are counted.
	let pushed = 0;
	let depth = 0;
	while (stack.length > 0) {
		const value = stack.pop() as Record<string, unknown>;
		if (value === WALKED) {
			// Only the JSON walks push WALKED (the quick one has no set: it stops before it would make one).
			depth--;
			const below = stack.pop() as object;
			seen?.delete(below);
			continue;
		}
		if (seen === null && pushed > QUICK_VISITS) seen = new Set();
		if (seen !== null) {
			if (seen.has(value)) {
				if (onPath) return 'not json';
				continue;
			}
			seen.add(value);
		}
		if (jsonOnly) {
			if (++depth > MAX_JSON_DEPTH) return 'not json';
			stack.push(value, WALKED);
		}
		if (isArray(value)) {
			// JSON gives back a plain Array. Named fields on an array (JSON drops them too) are not
			// looked for: listing an array's keys costs about what serialising it does.
			if (jsonOnly && Object.getPrototypeOf(value) !== Array.prototype) return 'not json';
			for (let i = 0; i < value.length; i++) {
				const child: unknown = value[i];
				if (jsonOnly && (!jsonSafe(child, true) || !(i in value))) return 'not json';
				if (typeof child === 'object' && child !== null) {
					if (++pushed > limit) return 'too large';
					stack.push(child);
				}
			}
			continue;
		}
		if (hasOwn.call(value, '__proto__')) return 'proto';
		if (jsonOnly && !isPlainObject(value)) return 'not json';
		// A typed array or DataView holds numbers only: enumerating its indices (as strings) costs
		// hundreds of times what devalue takes to serialise it, and finds nothing.
		if (ArrayBuffer.isView(value)) continue;
		// Own fields only, as JSON.stringify reads them: not what another script put on Object.prototype.
		for (const name of Object.keys(value)) {
			const child = value[name];
			if (jsonOnly && !jsonSafe(child, false)) return 'not json';
			if (typeof child === 'object' && child !== null) {
				if (++pushed > limit) return 'too large';
				stack.push(child);
			}
		}
	}
	return 'none';
}

/** Only to throw: the entry, and its field, holding the "__proto__" property the walk found (else the envelope). */
function whereProto(entries: unknown[]): [string | number, string | undefined] {
	for (let i = 0; i < entries.length; i++) {
		const entry = entries[i];
		if (inspect(entry, false) !== 'proto') continue;
		// Any own field (the walk looked in all of them), unless the entry itself holds the property.
		const field = isRecord(entry) && !hasOwn.call(entry, '__proto__') ? Object.keys(entry).find((name) => inspect(entry[name], false) === 'proto') : undefined;
		return [i, field];
	}
	return ['the payload', undefined];
}

/**
 * `ownOnly`: Object.prototype has enumerable properties (another script added them), which reads
 * of the record's fields would find: they are not the payload's, so the record's own fields are
 * copied out first. Decided once per payload: the copy is not paid for in the usual case.
 */
function validateRecord(given: unknown, index: number, ownOnly: boolean): HydrationRecord {
	if (!isRecord(given)) invalid(index, 'is not an object');
	const record: Record<string, unknown> = ownOnly ? Object.assign(Object.create(null), given) : given;
	for (const name in record) {
		if (!recordFields.has(name)) invalid(index, `has an unknown field ${textOf(name, true)}`);
	}
	let code: number;
	try {
		code = keyCode(record.key as readonly unknown[]);
	} catch (error) {
		invalid(index, `is not a valid key (${(error as Error).message})`, 'key');
	}
	const { status, dataUpdatedAt } = record;
	if (!isQoraStatus(status)) invalid(index, `must be "pending", "success" or "error", got ${textOf(status, true)}`, 'status');
	if (!isFiniteTime(dataUpdatedAt)) invalid(index, `must be a timestamp in ms, got ${textOf(dataUpdatedAt, true)}`, 'dataUpdatedAt');
	if (status === 'success' && record.data === undefined) invalid(index, 'is missing for a successful entry', 'data');
	if (status === 'pending' && record.data !== undefined) invalid(index, 'must be absent for a pending entry', 'data');
	const { invalidated, requestedAt } = record;
	if (requestedAt !== undefined && (!isFiniteTime(requestedAt) || requestedAt > dataUpdatedAt || record.data === undefined)) {
		invalid(index, `must be a timestamp no later than dataUpdatedAt, on an entry with data, or absent; got ${textOf(requestedAt, true)}`, 'requestedAt');
	}
	if (invalidated !== undefined && (invalidated !== true || record.data === undefined)) {
		invalid(index, 'must be true, on an entry with data, or absent', 'invalidated');
	}
	let error: Error | null = null;
	let errorUpdatedAt = 0;
	if (status !== 'error') {
		if (record.error !== undefined || record.errorUpdatedAt !== undefined) invalid(index, 'is only for error entries', record.error !== undefined ? 'error' : 'errorUpdatedAt');
	} else {
		const raw = record.error;
		if (!isRecord(raw) || typeof raw.message !== 'string') {
			invalid(index, 'must be { name, message } for an error entry', 'error');
		}
		error = new Error(raw.message);
		if (typeof raw.name === 'string') error.name = raw.name;
		const at = record.errorUpdatedAt === undefined ? dataUpdatedAt : record.errorUpdatedAt;
		if (!isFiniteTime(at)) invalid(index, `must be a timestamp in ms, got ${textOf(at, true)}`, 'errorUpdatedAt');
		errorUpdatedAt = at;
	}
	return {
		key: record.key as readonly unknown[],
		code,
		status,
		data: record.data,
		dataUpdatedAt,
		requestedAt: requestedAt ?? dataUpdatedAt,
		errorUpdatedAt,
		error,
		invalidated: invalidated === true
	};
}

/** Payload objects each client has taken in. */
const applied = new WeakMap<QoraClient, WeakSet<object>>();

/**
 * Merges a payload from {@link dehydrate} into `client`. Entries the client
 * lacks, or holds with older data, take the payload's data and timestamp (and
 * their watchers hear of it); newer client data is never overwritten, an
 * invalidation made after the server had the data stands, and a fetch started
 * after it still lands. A payload object this client already took in is not
 * applied again: replayed, it could only bring back what the app changed since.
 *
 * @param payload what {@link dehydrate} returned, after its trip (any value is
 *   checked; a promise, such as a streamed server load's `qoraState` not yet
 *   awaited, does not compile, and neither does one that may be `undefined` or
 *   `null`, such as the `qoraState` of a load that returns it only sometimes:
 *   check it first, as hydrate throws for anything but a payload object).
 * @throws Error when the payload is malformed (a promise, not an object, another
 * version (said before any field of it), invalid key, status or timestamp), naming
 * the part at fault; the cache is left unchanged.
 */
export function hydrate<P>(client: QoraClient, payload: P extends PromiseLike<unknown> | null | undefined ? never : P): void {
	hydrateExcept(client, payload, []);
}

/**
 * @internal {@link hydrate}, leaving out the entries of `removed` keys (`'all'`: every
 * entry): qora/sveltekit's streamed payloads skip what the app removed, or cleared, while
 * they were on their way. The payload object counts as applied all the same.
 */
export function hydrateExcept(client: QoraClient, payload: unknown, removed: readonly KeyInput[] | 'all'): void {
	checkClient(client, 'hydrate(client, payload)');
	let seen = applied.get(client);
	if (seen?.has(payload as object)) return;
	if (!isRecord(payload)) invalid('the payload', isRefusedPromise(payload) ? 'is a promise (a streamed qoraState?): await it' : 'is not an object');
	// The envelope before the walk: a payload of another version (an old tab after a deploy) is not walked in vain.
	if (!hasOwn.call(payload, 'version')) invalid('the payload', 'has no "version"');
	// Before the fields: another version may well have fields this one does not know.
	if (payload.version !== DEHYDRATED_VERSION) {
		invalid('the payload', `has version ${textOf(payload.version, true)}; this Qora reads version ${DEHYDRATED_VERSION}`);
	}
	for (const name of Object.keys(payload)) {
		if (name !== 'version' && name !== 'entries') invalid('the payload', `has an unknown field ${textOf(name, true)}`);
	}
	const { entries } = payload;
	if (!isArray(entries)) invalid('"entries"', 'must be an array');
	const problem = inspect(payload, false);
	if (problem === 'too large') invalid('the payload', 'is too large to check');
	if (problem === 'proto') {
		const [where, field] = whereProto(entries);
		invalid(where, 'contains a "__proto__" property (a prototype-pollution attempt)', field);
	}
	// An index loop, not map: map skips holes, and a hole must be rejected, not applied as nothing.
	const records: HydrationRecord[] = [];
	let ownOnly = false;
	for (const _ in {}) ownOnly = true;
	for (let i = 0; i < entries.length; i++) records.push(validateRecord(entries[i], i, ownOnly));
	if (!seen) applied.set(client, (seen = new WeakSet()));
	seen.add(payload);
	if (removed === 'all') return;
	if (removed.length === 0) client._hydrate(records);
	else {
		// By canonical text, once each: comparing every record with every removed key is quadratic.
		const gone = new Set(removed.map(hashKey));
		client._hydrate(records.filter((record) => !gone.has(hashKey(record.key))));
	}
}
