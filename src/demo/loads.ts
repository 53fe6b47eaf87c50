/** Helpers of the demo's load functions. */
import type { KeyInput, QoraClient } from '../lib/index.js';

/**
 * Waits for `pending` (a fetch of `key`), but only while it can make progress:
 * once the fetch pauses for the connection, it stops waiting, so a navigation
 * shows the page (its query says "paused") instead of hanging until reconnect.
 * Resolves `undefined` then; otherwise settles as `pending` does.
 */
export function unlessPaused<T>(qora: QoraClient, key: KeyInput, pending: Promise<T>): Promise<T | undefined> {
	return new Promise<T | undefined>((resolve, reject) => {
		let done = false;
		let stop: (() => void) | null = null;
		const finish = () => {
			done = true;
			stop?.();
		};
		pending.then(
			(value) => {
				finish();
				resolve(value);
			},
			(error: unknown) => {
				finish();
				reject(error);
			}
		);
		stop = qora.observeQuery(key).subscribe((state) => {
			if (done || state.fetchStatus !== 'paused') return;
			finish();
			pending.catch(() => {}); // it settles after reconnect; nobody awaits it any more
			resolve(undefined);
		});
		if (done) stop();
	});
}
