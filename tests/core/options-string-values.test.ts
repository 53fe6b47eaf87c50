/**
 * An option given as a string (from an env variable, a URL search param, a form field) is
 * refused, rightly; the message must show that it was a string. Printed bare it reads
 * `option "enabled" must be true or false, got false`, which points nowhere.
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
	});
});
