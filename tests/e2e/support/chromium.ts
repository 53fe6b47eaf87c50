/** Finding and starting the Chromium the browser tests drive. */
import { existsSync } from 'node:fs';
import { chromium, type BrowserServer } from 'playwright-core';

/** Flags that keep headless Chromium quiet and deterministic in containers and CI. */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** `$CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
	return process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
}

export function missingChromiumMessage(path: string): string {
	return (
		`The browser tests need Chromium, and there is none at ${path}. ` +
		'Install it with `apt-get update && apt-get install -y chromium` (Debian/Ubuntu), ' +
		'or point CHROMIUM_PATH at a Chromium or Chrome binary.'
	);
}

/**
 * Starts one headless Chromium for every test file to connect to.
 * @throws Error with install instructions when the binary is missing.
 */
export async function launchChromiumServer(): Promise<BrowserServer> {
	const executablePath = chromiumPath();
	if (!existsSync(executablePath)) throw new Error(missingChromiumMessage(executablePath));
	return chromium.launchServer({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
