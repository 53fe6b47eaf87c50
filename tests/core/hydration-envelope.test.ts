/**
 * How hydrate reads a payload's envelope, and where its rejections point (found by review):
 * - a malformed payload throws "naming the part at fault" (hydrate's TSDoc), a "__proto__"
 *   property too: one entry of thousands carrying it rejects them all, so it must be findable;
 * - a payload of another version (an old tab after a deploy) is refused before its data is walked;
 * - an enumerable property another script put on Object.prototype is not taken for the payload's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QoraClient, dehydrate, hydrate } from '../../src/lib/index.js';

const messageOf = (payload: unknown): string => {
	try {
		hydrate(new QoraClient(), payload);
	} catch (error) {
		return (error as Error).message;
	}
	return 'accepted';
};

describe('a payload rejected for a "__proto__" property', () => {
	it('names the entry and field holding the property, as every other rejection names its part', () => {
		const valid = { key: ['ok'], status: 'success', data: 1, dataUpdatedAt: 1 };
		// Parsed JSON, as the payload element and a server's JSON are: the property is an own one.
		const payload = JSON.parse(
			`{"version":1,"entries":[${JSON.stringify(valid)},${JSON.stringify(valid)},{"key":["profile",7],"status":"success","dataUpdatedAt":1,"data":{"settings":{"__proto__":{"isAdmin":true}}}}]}`
		);
		const message = messageOf(payload);
		expect(message).toMatch(/^hydrate: invalid payload: /);
		// Before the fix: 'the payload contains a "__proto__" property (a prototype-pollution attempt)', with no place.
		expect(message).toContain('entries[2].data');
	});
});

describe('the envelope', () => {
	afterEach(() => {
		delete (Object.prototype as { injected?: unknown }).injected;
	});

	it('of another version is refused before any of the data is walked', () => {
		let reads = 0;
		const data = Object.defineProperty({}, 'deep', { enumerable: true, get: () => (reads++, { value: 1 }) });
		const message = messageOf({ version: 2, entries: [{ key: ['k'], status: 'success', data, dataUpdatedAt: 1 }] });
		expect(message).toMatch(/has version 2; this Qora reads version 1/);
		expect(reads).toBe(0);
	});

	it('is read by its own fields: an enumerable property on Object.prototype (another script’s) rejects nothing', () => {
		Object.defineProperty(Object.prototype, 'injected', { value: 'x', enumerable: true, configurable: true, writable: true });
		const client = new QoraClient();
		hydrate(client, { version: 1, entries: [{ key: ['k'], status: 'success', data: { a: 1 }, dataUpdatedAt: 1 }] });
		expect(client.getQueryData(['k'])).toEqual({ a: 1 });
	});
});

describe('a payload rejected for a "__proto__" property in a field other than key, data and error', () => {
	it('names the entry holding it', () => {
		const valid = JSON.stringify({ key: ['ok'], status: 'success', data: 1, dataUpdatedAt: 1 });
		for (const field of ['"status":{"__proto__":{"isAdmin":true}}', '"extra":{"__proto__":{"isAdmin":true}}']) {
			const payload = JSON.parse(`{"version":1,"entries":[${valid},{"key":["k"],"dataUpdatedAt":1,"data":1,${field}}]}`);
			const message = messageOf(payload);
			expect(message).toContain('__proto__');
			expect(message).toContain(`entries[1].${field.slice(1, field.indexOf('"', 1))}`);
		}
	});
});

describe("hydrate and another script's enumerable Object.prototype property named like a record field (found by review)", () => {
	const added: string[] = [];
	function onPrototype(name: string, value: unknown): void {
		Object.defineProperty(Object.prototype, name, { value, enumerable: true, configurable: true, writable: true });
		added.push(name);
	}
	afterEach(() => {
		for (const name of added.splice(0)) delete (Object.prototype as Record<string, unknown>)[name];
	});

	it('applies a valid payload whatever Object.prototype carries: an inherited "error" does not reject a success entry', () => {
		onPrototype('error', 'x');
		const client = new QoraClient();
		hydrate(client, { version: 1, entries: [{ key: ['k'], status: 'success', data: { a: 1 }, dataUpdatedAt: 1 }] });
		expect(client.getQueryData(['k'])).toEqual({ a: 1 });
	});

	it('does not take an inherited "invalidated" for the entry\'s', () => {
		onPrototype('invalidated', true);
		const client = new QoraClient();
		hydrate(client, { version: 1, entries: [{ key: ['k'], status: 'success', data: { a: 1 }, dataUpdatedAt: Date.now() }] });
		expect(client.getState(['k'])?.isInvalidated).toBe(false);
	});
});

describe("dehydrate and another script's enumerable Object.prototype property", () => {
	afterEach(() => {
		delete (Object.prototype as { injected?: unknown }).injected;
	});

	it('keeps entries holding plain objects when another script added an enumerable function or object to Object.prototype', () => {
		for (const value of [function helper() {}, { deep: true }]) {
			Object.defineProperty(Object.prototype, 'injected', { value, enumerable: true, configurable: true, writable: true });
			const server = new QoraClient();
			server.setQueryData(['todos'], [{ id: 1, title: 'a' }]);
			server.setQueryData(['user'], { name: 'ada' });
			// The inherited property is no part of the data: JSON.stringify leaves it out, so the entries cross intact.
			expect(dehydrate(server).entries.map((entry) => entry.key)).toEqual([['todos'], ['user']]);
			delete (Object.prototype as { injected?: unknown }).injected;
		}
	});
});
