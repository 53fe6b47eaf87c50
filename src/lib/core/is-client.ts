import type { QoraClient } from './client.js';
import { kindOf } from './errors.js';

/**
 * Duck-typed rather than `instanceof`, so a second copy of the package (which
 * a dev server's dependency optimizer can produce) is still accepted.
 */
export function isQoraClient(value: unknown): value is QoraClient {
	const candidate = value as Partial<QoraClient> | null;
	return (
		candidate != null &&
		typeof candidate.watchQuery === 'function' &&
		typeof candidate.prefetchQuery === 'function' &&
		typeof candidate.dispose === 'function' &&
		typeof candidate.mount === 'function'
	);
}

/** Throws a TypeError naming `where` unless `client` is a QoraClient. */
export function checkClient(client: unknown, where: string): asserts client is QoraClient {
	if (!isQoraClient(client)) throw new TypeError(`${where}: expected a QoraClient, got ${kindOf(client)}`);
}
