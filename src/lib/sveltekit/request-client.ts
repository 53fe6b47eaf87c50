/** A client made for one server request, by the factory an app hands to qora/sveltekit. */
import type { QoraClient } from '../index.js';
import { passKitControlFlow } from './control-flow.js';
import { isQoraClient } from '../core/is-client.js';
import { kindOf } from '../core/errors.js';
// Clients already handed to a server request, by any qora/sveltekit helper: a factory that shares
// one is caught, and a server render keeps its picture of the page for the whole render.
import { requestClients } from '../svelte/as-shipped.js';

/**
 * Checks what an app's factory returned (`where` names the caller in errors): a
 * QoraClient, not disposed; returns it, letting SvelteKit's `error()`/`redirect()`
 * through its fetchers.
 */
export function adoptCreated(client: unknown, where: string): QoraClient {
	// kindOf handles a promise (an async factory): its rejection would stop a Node server.
	if (!isQoraClient(client)) throw new TypeError(`${where}: the factory must return a new QoraClient, got ${kindOf(client)}`);
	if (client.isDisposed) throw new Error(`${where}: the factory returned a disposed QoraClient`);
	passKitControlFlow(client);
	return client;
}

/**
 * `factory()`'s client, claimed for one server request: it must be new (a client
 * shared by two requests would show one user's data to another, and the first
 * request to end would dispose it under the other), lives without gc timers, and
 * lets SvelteKit's `error()`/`redirect()` through its fetchers.
 */
export function claimRequestClient(factory: () => QoraClient, where: string): QoraClient {
	const client = factory();
	// Checked before adoptCreated: by the next request the first one has disposed a shared
	// client, and "disposed" would hide the real mistake.
	if (requestClients.has(client)) {
		throw new Error(
			`${where}: the factory returned a client it returned before. On the server every request needs its own client, or users would see each other's data: create it inside the factory (() => new QoraClient(...)).`
		);
	}
	adoptCreated(client, where);
	requestClients.add(client);
	client._scopeToRequest();
	return client;
}
