/**
 * `streamSettled`: whether a streamed `qoraState` has arrived, so a page can hold the
 * query whose data is on its way instead of sending the same slow request itself.
 */
import { isThenable } from '../core/errors.js';

/** Streams known to have settled: a page that comes back to one finds it at once. */
const settledStreams = new WeakSet<object>();

/** A streamed payload still on its way: an object (as hydrateOnce takes it) with a `then`, not known to have settled. */
function isPending(payload: unknown): payload is PromiseLike<unknown> {
	return typeof payload === 'object' && isThenable(payload) && !settledStreams.has(payload);
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
		let watched = true;
		const settle = () => {
			settledStreams.add(payload);
			if (watched) settlements++;
		};
		// Both outcomes: a failed stream lets the query fetch, and is never an unhandled rejection here.
		Promise.resolve(payload).then(settle, settle);
		return () => {
			watched = false;
		};
	});
	return {
		get current() {
			void settlements;
			return !isPending(getPayload());
		}
	};
}
