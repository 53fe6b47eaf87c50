/**
 * `streamSettled`: whether a streamed `qoraState` has arrived, so a page can hold the
 * query whose data is on its way instead of sending the same slow request itself.
 */
import { isThenable } from '../core/errors.js';

/**
 * Streams seen: `null` once settled (a page that comes back to one finds it at once), else the
 * bumps of the effects waiting for it. A stream is followed once: one that never settles (a cut
 * connection) would otherwise keep a handler per effect run.
 */
const streams = new WeakMap<object, Set<() => void> | null>();

/** A streamed payload still on its way: an object (as hydrateOnce takes it) with a `then`, not known to have settled. */
function isPending(payload: unknown): payload is PromiseLike<unknown> {
	return typeof payload === 'object' && isThenable(payload) && streams.get(payload) !== null;
}

/**
 * Whether the payload `getPayload` returns (a page's `data.qoraState`) is there:
 * `current` is `false` while it is a promise still on its way (a server load returned
 * `prefetchOnServer(...)` without awaiting it), and `true` once it resolved or
 * failed, and for a plain payload or none. It reads `getPayload` reactively, so a
 * navigation that brings a new stream to the same page makes it `false` again.
 * Use it as a query's `enabled`, so the browser waits for the server's answer
 * (which the provider hydrates first) and fetches only if the stream failed:
 *
 * ```svelte
 * <script lang="ts">
 * 	let { data } = $props();
 * 	const streamed = streamSettled(() => data.qoraState);
 * 	const query = postsQuery();
 * 	const posts = createQuery(toStore(() => ({ ...query, options: { ...query.options, enabled: streamed.current } })));
 * </script>
 * ```
 *
 * Call it while a component initialises (it starts an `$effect`). During server
 * rendering `current` is `false` for a stream, which changes nothing there: the
 * server never fetches.
 */
export function streamSettled(getPayload: () => unknown): { readonly current: boolean } {
	if (typeof getPayload !== 'function') {
		throw new TypeError(`streamSettled: expected a function returning the page's qoraState (() => data.qoraState), got ${typeof getPayload}`);
	}
	// Bumped when a stream settles: `current` reads it, so whatever reads `current` runs again.
	let settlements = $state(0);
	$effect(() => {
		const payload = getPayload();
		if (!isPending(payload)) return;
		let waiting = streams.get(payload);
		if (!waiting) {
			const bumps = (waiting = new Set());
			streams.set(payload, bumps);
			const settle = () => {
				streams.set(payload, null);
				for (const bump of bumps) bump();
			};
			// Both outcomes: a failed stream lets the query fetch, and is never an unhandled rejection here.
			Promise.resolve(payload).then(settle, settle);
		}
		const bump = () => void settlements++;
		waiting.add(bump);
		return () => void waiting.delete(bump);
	});
	return {
		get current() {
			void settlements;
			return !isPending(getPayload());
		}
	};
}
