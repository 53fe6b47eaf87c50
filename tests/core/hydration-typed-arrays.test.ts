/**
 * Binary data (typed arrays) in a devalue payload: SvelteKit's devalue carries
 * `Uint8Array`, `Float64Array`… from a server load, so `prefetchOnServer`
 * (`richData`) ships them and the provider hydrates them in the browser.
 * The `__proto__` check of such data must not enumerate it: a `for…in` visits
 * every index as a string, so a 4 MB array took ~2 s to dehydrate and ~1.2 s to
 * hydrate (found by review), where devalue serialises it in ~5 ms.
 */
import { parse, stringify } from 'devalue';
import { afterEach, describe, expect, it } from 'vitest';
import { QoraClient, dehydrate, hydrate } from '../../src/lib/index.js';

/** Counts every enumeration of a Uint8Array: a `for…in` over one reads this inherited enumerable property once. */
function probeEnumeration() {
	const probe = { reads: 0 };
	Object.defineProperty(Uint8Array.prototype, 'qoraProbe', {
		configurable: true,
		enumerable: true,
		get: () => void probe.reads++
	});
	return probe;
}

afterEach(() => {
	delete (Uint8Array.prototype as { qoraProbe?: unknown }).qoraProbe;
});

describe('typed arrays in rich data', () => {
	it('are dehydrated (richData) and hydrated whole without being enumerated index by index', () => {
		const server = new QoraClient();
		server.setQueryData(['attachment', 1], { name: 'scan.png', bytes: new Uint8Array([137, 80, 78, 71]) });
		const payload = dehydrate(server, { richData: true });
		const arrived = parse(stringify(payload)) as typeof payload;
		const probe = probeEnumeration();
		dehydrate(server, { richData: true });
		const browser = new QoraClient();
		hydrate(browser, arrived);
		expect(probe.reads).toBe(0);
		expect(browser.getQueryData<{ bytes: Uint8Array }>(['attachment', 1])?.bytes).toEqual(new Uint8Array([137, 80, 78, 71]));
	});

	it('still reject a typed array that carries an own "__proto__" property', () => {
		const bytes = new Uint8Array(2);
		Object.defineProperty(bytes, '__proto__', { value: { polluted: true }, enumerable: true });
		const payload = { version: 1, entries: [{ key: ['a'], status: 'success', data: { bytes }, dataUpdatedAt: 1, errorUpdatedAt: 0 }] };
		expect(() => hydrate(new QoraClient(), payload as never)).toThrow(/__proto__/);
	});
});
