/** The cache's numeric key codes: equal keys share one, different keys rarely do. */
import { describe, expect, it } from 'vitest';
import { keyCode } from '../../src/lib/core/key-code.js';
import { QoraClient, normalizeKey } from '../../src/lib/index.js';

describe('keyCode', () => {
	it('codes -0 as 0, as JSON does, so both find the same entry', () => {
		expect(keyCode([-0, { a: -0 }])).toBe(keyCode([0, { a: 0 }]));
		const client = new QoraClient();
		client.setQueryData(['n', 0], 'zero');
		expect(client.getQueryData(['n', -0])).toBe('zero');
		client.dispose();
	});

	it('gives different keys different codes, bar a rare collision', () => {
		const keys: unknown[][] = [];
		for (let i = 0; i < 1_000; i++) {
			keys.push(['todo', i], ['todo', String(i)], [`s${i}`], [i + 0.5], [{ page: i }], [{ [`p${i}`]: true }], [[i, 'x']]);
		}
		const codes = new Set(keys.map((key) => keyCode(key)));
		// 7,000 keys over 2^30 codes: a collision or two at most by chance.
		expect(codes.size).toBeGreaterThan(keys.length - 5);
	});

	it('lets an error thrown by a getter inside a key through unchanged, without reading the key again', () => {
		const boom = new Error('boom');
		let reads = 0;
		const key = ['a', { get part() { reads++; throw boom; } }];
		expect(() => normalizeKey(key)).toThrow(boom);
		expect(reads).toBe(1);
	});
});
