/**
 * The browser's focus and connectivity, as the core's platform sources.
 * Nothing here runs at import time: each function touches `window`,
 * `document` and `navigator` only when called (in the browser), and a runtime
 * lacking one of them (Deno, SSR polyfills) gets no events from it, not a crash.
 */
import type { FocusSource, OnlineSource } from '../core/platform.js';
import { noop } from '../core/errors.js';

/**
 * Listens for `type` on `target` until the returned function is called. A
 * target that does not exist (no `document` in Deno or under an SSR `window`
 * polyfill) or cannot take listeners is skipped: its events never come.
 */
function listen(target: EventTarget | undefined, type: string, listener: () => void): () => void {
	if (typeof target?.addEventListener !== 'function') return noop;
	target.addEventListener(type, listener);
	return () => target.removeEventListener(type, listener);
}

/** The global called `name`, if this runtime has one. */
const runtimeGlobal = <T>(name: 'window' | 'document' | 'navigator'): T | undefined => (globalThis as Record<string, unknown>)[name] as T | undefined;

/** `navigator.onLine`, counting a runtime that does not say (no navigator, or one without `onLine`) as online. */
function navigatorOnline(): boolean {
	return runtimeGlobal<Navigator>('navigator')?.onLine !== false;
}

/**
 * A {@link FocusSource} that fires when the page becomes visible again
 * (`visibilitychange` to `visible`) or the window gains focus. Turning hidden
 * is not a focus. Switching back to a tab fires both events: it tells the client
 * once (on the first; the next counts after a `blur` or the page turning hidden).
 * Focus moving into an iframe of the page and back is no return.
 * The app is in the foreground while its page is not hidden (a window without
 * focus still shows it).
 */
export function browserFocusSource(): FocusSource {
	return {
		isFocused: () => runtimeGlobal<Document>('document')?.visibilityState !== 'hidden',
		subscribe(onFocus) {
			// Listened for on `document`, where the browser fires it: a listener on
			// `window` would miss events dispatched without `bubbles`.
			const doc = runtimeGlobal<Document>('document');
			const win = runtimeGlobal<Window>('window');
			// Coming back to a tab fires both events: one focus per return, whichever comes first, or a
			// query with staleTime 0 whose refetch answered in between would fetch again.
			let back = false;
			const onBack = () => {
				// A focus while the page still reads hidden is not the return yet: the visibilitychange is.
				if (back || doc?.visibilityState === 'hidden') return;
				back = true;
				onFocus();
			};
			const stops = [
				listen(doc, 'visibilitychange', () => (doc?.visibilityState === 'visible' ? onBack() : (back = false))),
				listen(win, 'focus', onBack),
				// Focus moving into a frame of the page (a payment form, a video) blurs the window, though the user
				// stays: coming back from it is no return. A window leaving for real finds no frame focused.
				listen(win, 'blur', () => void (back = doc?.activeElement?.tagName === 'IFRAME'))
			];
			return () => stops.forEach((stop) => stop());
		}
	};
}

/**
 * An {@link OnlineSource} from `navigator.onLine` (read when the source is
 * created and again when subscribed) kept current by the window's `online`
 * and `offline` events.
 */
export function browserOnlineSource(): OnlineSource {
	let online = navigatorOnline();
	return {
		isOnline: () => online,
		subscribe(onChange) {
			online = navigatorOnline();
			// Every subscriber hears every event: one that a shared value told "nothing new" would miss
			// a change (the client takes repeated news in its stride).
			const update = (next: boolean) => () => {
				online = next;
				onChange(next);
			};
			const target = runtimeGlobal<Window>('window');
			const stopOnline = listen(target, 'online', update(true));
			const stopOffline = listen(target, 'offline', update(false));
			return () => {
				stopOnline();
				stopOffline();
			};
		}
	};
}
