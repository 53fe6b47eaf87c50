/** loadQoraClient on the server: what it says about a factory that is not a function (gap found by mutation testing). */
import { describe, expect, test } from 'vitest';
import type { QoraClient } from '../../src/lib/index.js';
import { loadQoraClient } from '../../src/lib/sveltekit/load-client.js';

describe('loadQoraClient on the server', () => {
	test('names the mistake when the factory is not a function, instead of failing while calling it', () => {
		expect(() => loadQoraClient(new Object() as unknown as () => QoraClient)).toThrow(
			/loadQoraClient\(factory\): expected a function that creates a QoraClient/
		);
		expect(() => loadQoraClient(undefined as unknown as () => QoraClient)).toThrow(TypeError);
	});
});
