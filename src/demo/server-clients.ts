/**
 * Diagnostics: how many QoraClients the demo created on the server are still
 * alive (not disposed). Each request's client should be disposed once its
 * page has rendered, so between requests this is 0. Weak references, so the
 * bookkeeping itself keeps nothing alive.
 */
import type { QoraClient } from '../lib/index.js';

const created = new Set<WeakRef<QoraClient>>();

export function trackServerClient(client: QoraClient): void {
	created.add(new WeakRef(client));
}

/** Server clients neither disposed nor garbage-collected. */
export function liveServerClients(): number {
	let live = 0;
	for (const ref of created) {
		const client = ref.deref();
		if (client === undefined || client.isDisposed) created.delete(ref);
		else live++;
	}
	return live;
}
