/**
 * The browser's focus and connectivity, as the core's platform sources.
 * Nothing here runs at import time: each function touches `window`,
 * `document` and `navigator` only when called (in the browser).
 */
import type { FocusSource, OnlineSource } from '../core/platform.js';

/**
 * A {@link FocusSource} that fires when the page becomes visible again
 * (`visibilitychange` to `visible`) or the window gains focus. Turning hidden
 * is not a focus. Switching back to a tab often fires both events; the client
 * does not start a second fetch for a query already fetching.
 */
export function browserFocusSource(): FocusSource {
	return {
		subscribe(onFocus) {
			// Listened for on `document`, where the browser fires it: a listener on
			// `window` would miss events dispatched without `bubbles`.
			const onVisibility = () => {
				if (document.visibilityState === 'visible') onFocus();
			};
			const onWindowFocus = () => onFocus();
			document.addEventListener('visibilitychange', onVisibility);
			window.addEventListener('focus', onWindowFocus);
			return () => {
				document.removeEventListener('visibilitychange', onVisibility);
				window.removeEventListener('focus', onWindowFocus);
			};
		}
	};
}

/**
 * An {@link OnlineSource} from `navigator.onLine` (read when the source is
 * created and again when subscribed) kept current by the window's `online`
 * and `offline` events.
 */
export function browserOnlineSource(): OnlineSource {
	let online = navigator.onLine;
	return {
		isOnline: () => online,
		subscribe(onChange) {
			online = navigator.onLine;
			const update = (next: boolean) => () => {
				if (online === next) return;
				online = next;
				onChange(next);
			};
			const onOnline = update(true);
			const onOffline = update(false);
			window.addEventListener('online', onOnline);
			window.addEventListener('offline', onOffline);
			return () => {
				window.removeEventListener('online', onOnline);
				window.removeEventListener('offline', onOffline);
			};
		}
	};
}
