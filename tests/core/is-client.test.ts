/** isQoraClient: what the helpers taking a client (hydrate, dehydrate, the Svelte and SvelteKit layers) accept. */
import { describe, expect, it } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { checkClient, isQoraClient } from '../../src/lib/core/is-client.js';

/** The methods the helpers call on a client, as a plain object (a second copy of the package looks like this to the first). */
function lookAlike(): Record<string, () => void> {
	const noop = () => {};
	return { watchQuery: noop, prefetchQuery: noop, dispose: noop, mount: noop };
}

describe('isQoraClient', () => {
	it('accepts a client, and an object with the methods of one (a client of a second copy of the package)', () => {
		const client = new QoraClient();
		expect(isQoraClient(client)).toBe(true);
		expect(isQoraClient(lookAlike())).toBe(true);
		client.dispose();
	});

	it('rejects an object that lacks any one of those methods (another library’s client)', () => {
		for (const method of ['watchQuery', 'prefetchQuery', 'dispose', 'mount']) {
			const partial = lookAlike();
			delete partial[method];
			expect(isQoraClient(partial), `without ${method}`).toBe(false);
			partial[method] = 'not a function' as never;
			expect(isQoraClient(partial), `with a ${method} that is no function`).toBe(false);
			expect(() => checkClient(partial, 'hydrate(client, payload)')).toThrow(/^hydrate\(client, payload\): expected a QoraClient, got object$/);
		}
	});

	it('rejects null, undefined and primitives', () => {
		for (const value of [null, undefined, 0, 'client', true]) expect(isQoraClient(value)).toBe(false);
	});
});
