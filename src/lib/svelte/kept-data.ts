/** Data a store showed, kept to show again as a placeholder while another key loads. */
import type { QoraClient } from '../core/client.js';

export interface KeptData<T> {
	readonly data: T;
	/** Hash of the key whose entry held `data` (plain JSON of its parts). */
	readonly hash: string;
	/** `client._removals` when `data` was last known to be in that entry. */
	removals: number;
}

/** `data`, seen just now in the entry of the key hashed `hash`. */
export function keptData<T>(data: T, hash: string, client: QoraClient): KeptData<T> {
	return { data, hash, removals: client._removals };
}

/**
 * Whether `kept` may still be shown. A `remove` or `clear` since it was seen
 * (logout) may have taken its data out of the cache, and a placeholder must not
 * bring it back; so after one, it is shown only if its entry still holds it.
 * Removals elsewhere in the cache do not end it, and neither does gc, which
 * collects the previous key (gcTime 0) while the new one legitimately loads:
 * gc is not a removal.
 */
export function stillCached<T>(kept: KeptData<T>, client: QoraClient): boolean {
	const removals = client._removals;
	if (kept.removals === removals) return true;
	if (!Object.is(client.getQueryData(JSON.parse(kept.hash) as unknown[]), kept.data)) return false;
	kept.removals = removals;
	return true;
}
