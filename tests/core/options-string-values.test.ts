/**
 * An option given as a string (from an env variable, a URL search param, a form field) is
 * refused, rightly; the message must show that it was a string. Printed bare it reads
 * `option "enabled" must be true or false, got false`, which points nowhere. Arrays and
 * objects show as JSON too.
 */
import { describe, expect, it } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { validateOptions } from '../../src/lib/core/options.js';

describe('a refused option value that is a string', () => {
	it.each([
		['staleTime', '5000'],
		['retry', '3'],
		['refetchInterval', '1000'],
		['enabled', 'false'],
		['gcTime', 'Infinity']
	])('%s: %j shows quoted, so the message does not look like it refused a valid value', (name, value) => {
		expect(() => validateOptions({ [name]: value }, 'x')).toThrow(`got ${JSON.stringify(value)}`);
	});

	it('reaches the client’s message that way (new QoraClient, watchQuery)', () => {
		expect(() => new QoraClient({ defaultOptions: { staleTime: '60000' as never } })).toThrow(/got "60000"$/);
		const client = new QoraClient();
		expect(() => client.watchQuery({ key: ['k'], fetcher: async () => 1, options: { enabled: 'false' as never } })).toThrow(
			/^watchQuery: option "enabled" must be true or false, got "false"$/
		);
	});

	it('still shows other values as before', () => {
		expect(() => validateOptions({ staleTime: -1 }, 'x')).toThrow(/got -1$/);
		expect(() => validateOptions({ enabled: 1 }, 'x')).toThrow(/got 1$/);
		expect(() => validateOptions({ staleTime: NaN }, 'x')).toThrow(/got NaN$/);
		expect(() => validateOptions({ retry: 2n }, 'x')).toThrow(/got 2$/);
		expect(() => validateOptions({ enabled: Symbol('on') }, 'x')).toThrow(/got Symbol\(on\)$/);
	});
});

// Found by dogfooding: `placeholderData: []` (as TanStack users write) ended in "got ".
describe('a refused option value that is an array or an object', () => {
	it.each([
		['placeholderData', [], 'got []'],
		['staleTime', [], 'got []'],
		['placeholderData', [1, 2], 'got [1,2]'],
		['staleTime', {}, 'got {}'],
		['placeholderData', { items: [] }, 'got {"items":[]}'],
		['enabled', null, 'got null']
	])('%s: %j shows as JSON, not as an empty string, a bare list or [object Object]', (name, value, shown) => {
		expect(() => validateOptions({ [name]: value }, 'x')).toThrow(new RegExp(`${shown.replace(/[[\]{}]/g, '\\$&')}$`));
	});

	it('a value JSON cannot show is still shown (a cycle)', () => {
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		expect(() => validateOptions({ staleTime: cyclic }, 'x')).toThrow(/got \[object Object\]$/);
	});
});
