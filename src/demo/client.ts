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
			// Two retries for server and network failures; a 404 stays a 404.
			retry: (failureCount, error) => failureCount <= 2 && !isClientError(error),
			retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 4_000)
		}
	});
	if (!browser) trackServerClient(client);
	return client;
}
