/** The test setup's stricter toThrow (tests/setup/strict-throw.ts): a lost error cannot pass for a message. */
import { describe, expect, it } from 'vitest';

describe('toThrow with a message to match', () => {
	it('fails when undefined or null is thrown', () => {
		expect(() => expect(() => { throw undefined; }).toThrow('boom')).toThrowError(/but undefined was thrown/);
		expect(() => expect(() => { throw null; }).toThrowError(/boom/)).toThrowError(/but null was thrown/);
	});

	it('fails when a promise rejects with undefined', async () => {
		await expect(expect(Promise.reject(undefined)).rejects.toThrow('boom')).rejects.toThrowError(/but undefined was thrown/);
	});

	it('still passes for a matching error, running the code once', async () => {
		let runs = 0;
		expect(() => {
			runs++;
			throw new TypeError('a boom here');
		}).toThrow('boom');
		expect(runs).toBe(1);
		await expect(Promise.reject(new Error('boom'))).rejects.toThrow(/^boom$/);
	});

	it('still fails for a different message or nothing thrown, and .not still works', () => {
		expect(() => expect(() => { throw new Error('other'); }).toThrow('boom')).toThrowError(/other/);
		expect(() => expect(() => {}).toThrow('boom')).toThrowError(/to throw/);
		expect(() => {}).not.toThrow('boom');
	});
});
