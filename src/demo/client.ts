/** The demo's QoraClient configuration. */
import { browser } from '$app/environment';
import { QoraClient } from '../lib/index.js';
import { isClientError } from './queries.js';
import { trackServerClient } from './server-clients.js';
import type { DemoConfig } from './types.js';

/** A new client with the demo's defaults; `staleTime` comes from the server's settings. */
export function createDemoClient(config: DemoConfig): QoraClient {
	const client = new QoraClient({
		defaultOptions: {
			staleTime: config.staleTimeMs,
			// In the browser, two retries for server and network failures; a 404 stays a 404.
			// On the server no retry is chosen, so its request clients retry none (loadQoraClient):
			// a failing API never holds a page's response.
			...(browser && {
				retry: (failureCount: number, error: Error) => failureCount <= 2 && !isClientError(error),
				retryDelay: (attempt: number) => Math.min(500 * 2 ** attempt, 4_000)
			})
		}
	});
	if (!browser) trackServerClient(client);
	return client;
}
