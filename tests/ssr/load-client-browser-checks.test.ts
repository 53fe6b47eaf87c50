/**
 * loadQoraClient in the browser checks what the factory returns, as on the server (gap found by
 * mutation testing). Simulated in Node by making `$app/environment` report a browser.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));

type LoadQoraClient = typeof import('../../src/lib/sveltekit/load-client.js').loadQoraClient;

/** A fresh copy of the module: its session client starts unset, as on a page load. */
async function freshModule(): Promise<LoadQoraClient> {
	vi.resetModules();
	return (await import('../../src/lib/sveltekit/load-client.js')).loadQoraClient;
}

afterEach(() => {
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
});

describe('loadQoraClient in the browser', () => {
	test('rejects a factory that returns something other than a QoraClient, naming the mistake', async () => {
		vi.stubGlobal('document', { querySelector: () => null });
		const loadQoraClient = await freshModule();
		expect(() => loadQoraClient(() => ({}) as QoraClient)).toThrow(/loadQoraClient\(factory\): the factory must return a new QoraClient/);
		expect(() => loadQoraClient((async () => new QoraClient()) as never)).toThrow(/the factory must return a new QoraClient, got a promise/);
	});

	test('rejects a disposed client, and keeps no session client, so a good factory still works after', async () => {
		vi.stubGlobal('document', { querySelector: () => null });
		const loadQoraClient = await freshModule();
		const disposed = new QoraClient();
		disposed.dispose();
		expect(() => loadQoraClient(() => disposed)).toThrow(/disposed/);
		const client = loadQoraClient(() => new QoraClient());
		expect(client.isDisposed).toBe(false);
		client.dispose();
	});
});
