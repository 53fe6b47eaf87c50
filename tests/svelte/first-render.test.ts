/**
 * The browser's side of first-render-cases.ts: a query's first render on a client
 * hydrated from the server's payload (ssr.test.ts checks the server's side).
 */
import { describe, expect, it } from 'vitest';
import { dehydrate, hydrate, QoraClient, type QoraState } from '../../src/lib/index.js';
import { createQuery } from '../../src/lib/svelte/index.js';
import { firstRenderCases } from './first-render-cases.js';
import { freshClientPerTest } from './helpers.js';

let server: QoraClient;
freshClientPerTest((fresh) => (server = fresh));

describe('a query’s first render in the browser, on the payload of a server that met', () => {
	for (const { name, setup, config, shows } of firstRenderCases) {
		it(`${name}: shows ${shows.status}/${shows.fetchStatus}`, async () => {
			await setup(server);
			const browser = new QoraClient();
			hydrate(browser, JSON.parse(JSON.stringify(dehydrate(server))));
			let first: QoraState<string> | undefined;
			const stop = createQuery(config, browser).subscribe((state) => (first ??= state));
			stop();
			expect(first).toMatchObject(shows);
			browser.dispose();
		});
	}
});
