/** loadQoraClient during server rendering: one new client per call (per request), never shared. */
import { describe, expect, test } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { loadQoraClient } from '../../src/lib/sveltekit/load-client.js';

describe('loadQoraClient on the server', () => {
	test('returns a fresh client from the factory on every call', () => {
		let calls = 0;
		const factory = () => {
			calls++;
			return new QoraClient();
		};
		const first = loadQoraClient(factory);
		const second = loadQoraClient(factory);
		expect(calls).toBe(2);
		expect(first).toBeInstanceOf(QoraClient);
		expect(second).not.toBe(first);
	});

	test('refuses a factory that hands out the same client twice (it would leak data between users)', () => {
		const shared = new QoraClient();
		expect(loadQoraClient(() => shared)).toBe(shared);
		expect(() => loadQoraClient(() => shared)).toThrow(/every request needs its own client/);
	});

	test('does not read the document on the server, so nothing can be hydrated into a request client from outside', () => {
		const client = loadQoraClient(() => new QoraClient());
		expect(client.size).toBe(0);
	});

	test('rejects a factory that returns something else', () => {
		expect(() => loadQoraClient(() => ({}) as QoraClient)).toThrow(TypeError);
		expect(() => loadQoraClient('nope' as unknown as () => QoraClient)).toThrow(TypeError);
		const disposed = new QoraClient();
		disposed.dispose();
		expect(() => loadQoraClient(() => disposed)).toThrow(/disposed/);
	});
});
