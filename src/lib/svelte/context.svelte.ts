/**
 * The client in Svelte context, and the browser wiring that comes with it.
 * (A `.svelte.ts` module: the wiring is attached in an `$effect.pre`.)
 */
import { getContext, setContext, untrack } from 'svelte';
import type { QoraClient } from '../core/client.js';
import { browserFocusSource, browserOnlineSource } from './browser.js';
import { inBrowser } from './env.js';
import { checkClient } from '../core/is-client.js';

const CLIENT = Symbol('qora.client');

/**
 * Puts `client` into the context of the calling component and its children.
 * Call it while the component initialises (top level of `<script>`).
 *
 * In the browser it also attaches window focus and connectivity to the client
 * right away (not in `onMount`), reading `navigator.onLine` now, so queries in
 * child components already wait while offline; they are detached when the
 * component is destroyed, even before its effects ran (an error boundary that
 * caught a child's error, or `unmount` right after `mount`). Destroyed while
 * offline, they stay until the connection is back, so a client that lives on
 * does not take the detach for a reconnect. During server rendering it only
 * sets the context.
 *
 * @returns the same client, for chaining.
 */
export function setQoraClient(client: QoraClient): QoraClient {
	checkClient(client, 'setQoraClient(client)');
	setContext(CLIENT, client);
	if (inBrowser()) {
		// A pre-effect runs at once, during initialisation, and its cleanup is registered with it. An
		// onDestroy cleanup is only registered once the component's effects run, so a component destroyed
		// before that would leave the listeners attached for good. (The server compiles this out.)
		$effect.pre(() =>
			untrack(() => {
				// Attaches the browser's focus and connectivity to the client; returns the detach for the component's destroy.
				const online = browserOnlineSource();
				const detachFocus = client.mount({ focus: browserFocusSource() });
				const detachOnline = client.mount({ online });
				return () => {
					detachFocus();
					if (online.isOnline()) {
						detachOnline();
						return;
					}
					// Detached while offline, the source would leave the client taking itself for online: paused
					// writes and fetches would go out at once. It stays until the client hears the connection is
					// back (or is disposed), and leaves once that news has been handled.
					const stop = client._onResume(() => {
						if (!client.isOnline() && !client.isDisposed) return;
						stop();
						queueMicrotask(detachOnline);
					});
				};
			})
		);
	}
	return client;
}

/**
 * The client set by {@link setQoraClient} (or `<QoraProvider>`) in a parent
 * component. Call it while a component initialises.
 *
 * @throws Error when no client was set, naming the fix.
 */
export function getQoraClient(): QoraClient {
	let client: QoraClient | undefined;
	try {
		client = getContext<QoraClient | undefined>(CLIENT);
	} catch (error) {
		throw new Error(
			'getQoraClient() can only be called while a component initialises (at the top level of <script>); elsewhere, pass the client explicitly',
			{ cause: error }
		);
	}
	if (client === undefined) {
		throw new Error('no QoraClient in context: call setQoraClient(client) in a parent component or wrap the tree in <QoraProvider client={...}>');
	}
	return client;
}

/**
 * Calls `end` if the component initialising now is destroyed before its effects ran: taken down
 * while it initialised, by an error boundary that caught its error or a child's, or by a failed
 * hydration. Svelte ends a component's `$store` subscriptions only once it has initialised, so the
 * watch of a store it had subscribed by then would go on for good (polling, refetches, no gc).
 * Does nothing on the server, with no component context (an event handler, a universal load), or
 * inside a reaction that tracks (a template, `$derived`); called from `untrack` inside an effect,
 * it ties `end` to that effect instead, which is as harmless.
 */
export function endIfTakenDown(end: () => void): void {
	if (!inBrowser() || $effect.tracking()) return;
	try {
		getContext(CLIENT);
	} catch {
		return; // not while a component initialises
	}
	let mounted = false;
	$effect(() => void (mounted = true));
	// A pre-effect's cleanup is registered at once, so it runs even for a component destroyed while it initialised.
	$effect.pre(() => () => {
		if (!mounted) end();
	});
}
