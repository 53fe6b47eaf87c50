/**
 * Where we run. Read at call time, never at import time, so importing
 * `qora/svelte` on the server touches no browser global.
 */
export function inBrowser(): boolean {
	// `window` alone is not enough: Deno 1.x and SSR window polyfills define it on the server.
	return typeof window !== 'undefined' && typeof document !== 'undefined';
}
