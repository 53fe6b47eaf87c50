/** SvelteKit's `error()` and `redirect()` thrown by a fetcher are control flow, not failures. */
import { isHttpError, isRedirect } from '@sveltejs/kit';
import type { QoraClient } from '../index.js';

/**
 * Lets `error()` and `redirect()` thrown in a fetcher reach the load that awaits
 * the fetch as themselves (a 404 page, a redirect; not a 500), and not be retried.
 */
export function passKitControlFlow(client: QoraClient): void {
	client._passThrough((thrown) => {
		try {
			return isHttpError(thrown) || isRedirect(thrown);
		} catch {
			return false; // a value that cannot be inspected (a revoked Proxy) is an ordinary failure
		}
	});
}
