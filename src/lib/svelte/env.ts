/**
 * Where we run. Read at call time, never at import time, so importing
 * `qora/svelte` on the server touches no browser global.
 */
export function inBrowser(): boolean {
	return typeof window !== 'undefined';
}
