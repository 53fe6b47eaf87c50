/**
 * Once per e2e run: build the demo, serve it with adapter-node on a free port
 * of 127.0.0.1, and start one headless Chromium that every test file connects
 * to. A missing Chromium does not abort the run (other projects still run):
 * the browser tests fail, each with the install instructions.
 */
import type { TestProject } from 'vitest/node';
import type { BrowserServer } from 'playwright-core';
import { launchChromiumServer } from './support/chromium.js';
import { buildDemo, startDemo, stopDemo } from './support/demo-server.js';
import './support/provided.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const started = Date.now();
	if (process.env['QORA_E2E_SKIP_BUILD'] !== '1') buildDemo();
	const built = Date.now();
	const demo = await startDemo();
	let browserServer: BrowserServer | null = null;
	let chromiumError: string | null = null;
	try {
		browserServer = await launchChromiumServer();
	} catch (error) {
		chromiumError = (error as Error).message;
	}
	console.log(
		`[e2e] demo built in ${((built - started) / 1000).toFixed(1)} s, served at ${demo.baseURL}; ` +
			(browserServer ? 'Chromium started' : `no Chromium: ${chromiumError}`)
	);
	project.provide('qoraE2E', {
		baseURL: demo.baseURL,
		wsEndpoint: browserServer?.wsEndpoint() ?? null,
		chromiumError
	});
	return async () => {
		await browserServer?.close();
		await stopDemo(demo);
	};
}
