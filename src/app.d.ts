// See https://svelte.dev/docs/kit/types#app.d.ts
import type { QoraClient } from '$lib/index.js';

declare global {
	namespace App {}

	interface Window {
		/** The demo layout's current client, read by the end-to-end tests. */
		readonly __qoraDemoClient?: QoraClient;
		/** Set only if hostile demo data managed to run a script (it must not). */
		__qoraInjected?: boolean;
	}
}

export {};
