/** What the e2e global setup hands to the test files (vitest `provide`/`inject`). */

export interface E2EProvided {
	/** The built demo, served by `node build/index.js`. */
	baseURL: string;
	/** The shared Chromium's endpoint for `chromium.connect`, or null when it could not start. */
	wsEndpoint: string | null;
	/** Why there is no Chromium (e.g. how to install it), when `wsEndpoint` is null. */
	chromiumError: string | null;
}

declare module 'vitest' {
	export interface ProvidedContext {
		qoraE2E: E2EProvided;
	}
}
