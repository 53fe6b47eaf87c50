/**
 * hydrate's TSDoc: a malformed payload throws "naming the part at fault". A "__proto__"
 * property (the one check made by a walk over the whole payload) is reported without
 * saying where it is, though one entry of thousands carrying it rejects them all.
 */
import { describe, expect, it } from 'vitest';
import { QoraClient, hydrate } from '../../src/lib/index.js';

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
