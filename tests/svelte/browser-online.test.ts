/** browserOnlineSource in runtimes that do not say whether they are online (gap found by mutation testing). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserOnlineSource } from '../../src/lib/svelte/index.js';

afterEach(() => {
	vi.unstubAllGlobals();
	delete (navigator as { onLine?: unknown }).onLine;
});

describe('browserOnlineSource', () => {
	it('counts a navigator without onLine as online, at creation and when subscribed', () => {
		Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => undefined });
		const source = browserOnlineSource();
		expect(source.isOnline()).toBe(true);
		const stop = source.subscribe(() => {});
		expect(source.isOnline()).toBe(true);
		stop();
	});

	it('counts a runtime with no navigator at all as online', () => {
		vi.stubGlobal('navigator', undefined);
		const source = browserOnlineSource();
		expect(source.isOnline()).toBe(true);
		const stop = source.subscribe(() => {});
		expect(source.isOnline()).toBe(true);
		stop();
	});
});
