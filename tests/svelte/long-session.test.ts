/**
 * A long browser session: one client for hours while components mount and unmount, keys
 * switch, mutations run, the connection and focus flip. Bookkeeping must stay bounded:
 * one timer, no listener left on the window, no listener or hold left in the client.
 */
import { render } from '@testing-library/svelte';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { get, writable } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type FetchContext } from '../../src/lib/index.js';
import { createMutation, createQuery, type CreateQueryConfig } from '../../src/lib/svelte/index.js';
import ProviderApp from './components/ProviderApp.svelte';
import { hydrateOnce } from '../../src/lib/sveltekit/hydrate-once.js';
import { deferred, flush, goOnline, serverPayload } from './helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));

let client: QoraClient;
let undo: (() => void)[] = [];

beforeEach(() => {
	vi.useFakeTimers();
	client = new QoraClient({ defaultOptions: { gcTime: 60_000 } });
});
afterEach(() => {
	client.dispose();
	for (const step of undo.reverse()) step();
	undo = [];
	vi.useRealTimers();
});

const platformEvents = ['focus', 'online', 'offline', 'visibilitychange'];

/** Counts the listeners for focus and connectivity events attached to `window` and `document` and not yet removed. */
function countPlatformListeners(): () => number {
	const live = new Set<unknown>();
	for (const target of [window, document] as EventTarget[]) {
		const add = target.addEventListener.bind(target);
		const remove = target.removeEventListener.bind(target);
		const spies = [
			vi.spyOn(target, 'addEventListener').mockImplementation((type, listener, options) => {
				if (platformEvents.includes(type)) live.add(listener);
				add(type, listener, options);
			}),
			vi.spyOn(target, 'removeEventListener').mockImplementation((type, listener, options) => {
				if (platformEvents.includes(type)) live.delete(listener);
				remove(type, listener, options);
			})
		];
		undo.push(() => spies.forEach((spy) => spy.mockRestore()));
	}
	return () => live.size;
}

/** How many listeners of `method` the client holds, counted through a spy. */
function countClientListeners(method: '_onRemove' | '_onResume'): () => number {
	let listening = 0;
	const original = client[method].bind(client) as (listener: never) => () => void;
	vi.spyOn(client, method).mockImplementation(((listener: never) => {
		listening++;
		const stop = original(listener);
		let stopped = false;
		return () => {
			if (!stopped) listening--;
			stopped = true;
			stop();
		};
	}) as never);
	return () => listening;
}

describe('a long session', () => {
	it('keeps one timer however many keys churn through a createQuery store, and polls the current key once per interval', async () => {
		const fetches = new Map<string, number>();
		const fetcher = async ({ key }: FetchContext) => {
			const id = JSON.stringify(key);
			fetches.set(id, (fetches.get(id) ?? 0) + 1);
			return id;
		};
		const config = writable<CreateQueryConfig<string>>({ key: ['item', 0], fetcher, options: { refetchInterval: 10_000 } });
		const query = createQuery(config, client);
		const stop = query.subscribe(() => {});
		let maxTimers = vi.getTimerCount();
		for (let i = 1; i <= 2_000; i++) {
			config.set({ key: ['item', i % 500], fetcher, options: { refetchInterval: 10_000, staleTime: i % 3 === 0 ? 0 : 5_000 } });
			await flush(i % 7 === 0 ? 1_000 : 0);
			maxTimers = Math.max(maxTimers, vi.getTimerCount());
		}
		expect(maxTimers).toBe(1);
		// The key on screen now polls every 10 s, once each time: not twice, and not never.
		const current = JSON.stringify(['item', 2_000 % 500]);
		const before = fetches.get(current) ?? 0;
		await flush(100_000);
		expect((fetches.get(current) ?? 0) - before).toBe(10);
		expect(get(query).data).toBe(current);
		expect(vi.getTimerCount()).toBe(1);
		stop();
		await flush(60_000);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('leaves no focus or connectivity listener on the window after 200 provider remounts, some of them while offline', async () => {
		const live = countPlatformListeners();
		const fetcher = async () => 'data';
		for (let i = 0; i < 200; i++) {
			// Every tenth remount happens offline, and the connection only comes back after it.
			const offline = i % 10 === 5;
			if (offline) undo.push(goOnline(false));
			const view = render(ProviderApp, { client, config: { key: ['p', i % 20], fetcher } });
			await flush();
			// Mounted: focus and visibilitychange, online and offline; nothing of the providers before.
			expect(live()).toBe(4);
			view.unmount();
			if (offline) undo.push(goOnline(true));
			await flush();
		}
		expect(live()).toBe(0);
		expect(client.isOnline()).toBe(true);
	});

	it('leaves no focus or connectivity listener after providers remounted back to back while offline, once the connection is back', async () => {
		const live = countPlatformListeners();
		const fetcher = async () => 'data';
		undo.push(goOnline(false));
		for (let i = 0; i < 50; i++) {
			render(ProviderApp, { client, config: { key: ['p', i % 5], fetcher } }).unmount();
			await flush();
		}
		// Each detached source waits for the connection, so the client does not take itself for online.
		expect(client.isOnline()).toBe(false);
		undo.push(goOnline(true));
		await flush();
		expect(live()).toBe(0);
		expect(client.isOnline()).toBe(true);
	});

	it('keeps no connection listener of mutations once their calls settled, after 300 calls across offline spells', async () => {
		const resumeListeners = countClientListeners('_onResume');
		const online = {
			isOnline: () => navigator.onLine,
			subscribe(onChange: (online: boolean) => void) {
				const on = () => onChange(navigator.onLine);
				window.addEventListener('online', on);
				window.addEventListener('offline', on);
				return () => {
					window.removeEventListener('online', on);
					window.removeEventListener('offline', on);
				};
			}
		};
		undo.push(client.mount({ online }));
		let n = 0;
		const mutationFn = vi.fn(async (fail: boolean) => {
			n++;
			if (fail && n % 2 === 0) throw new Error('flaky');
			return n;
		});
		const results: Promise<unknown>[] = [];
		let mostWaiting = 0;
		for (let i = 0; i < 300; i++) {
			const save = createMutation({ mutationFn, retry: 2, retryDelay: 1_000 }, client);
			const stop = save.subscribe(() => {});
			if (i % 30 === 10) undo.push(goOnline(false));
			results.push(save.mutateAsync(i % 3 === 0).catch(() => 'failed'));
			mostWaiting = Math.max(mostWaiting, resumeListeners());
			stop(); // the component is gone; its call goes on
			if (i % 30 === 20) undo.push(goOnline(true));
			await flush(i % 4 === 0 ? 1_500 : 0);
		}
		undo.push(goOnline(true));
		await flush(10_000);
		await Promise.all(results);
		expect(mostWaiting).toBeGreaterThan(5); // calls did wait for the connection
		expect(mutationFn.mock.calls.length).toBeGreaterThanOrEqual(300);
		expect(resumeListeners()).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('keeps no removal listener or fetch hold once 300 streamed payloads settled, delivered or failed', async () => {
		const removals = countClientListeners('_onRemove');
		let holds = 0;
		const hold = client._holdFetches.bind(client);
		vi.spyOn(client, '_holdFetches').mockImplementation(() => {
			holds++;
			const release = hold();
			let released = false;
			return () => {
				if (!released) holds--;
				released = true;
				release();
			};
		});
		const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
		undo.push(() => errors.mockRestore());
		for (let i = 0; i < 300; i++) {
			const stream = deferred<unknown>();
			hydrateOnce(client, stream.promise, 'page.data.qoraState');
			if (i % 50 === 25) client.clear(); // a logout while a stream is on its way
			if (i % 5 === 0) stream.reject(new Error('stream cut'));
			else stream.resolve(serverPayload([['s', i % 10], i]));
			await flush(i % 3 === 0 ? 0 : 1);
		}
		await flush(1);
		expect(removals()).toBe(0);
		expect(holds).toBe(0);
		// A query mounting now is held by nothing: it fetches at once.
		const fetcher = vi.fn(async () => 'fresh');
		const stop = client.watchQuery({ key: ['after'], fetcher }).subscribe(() => {});
		expect(fetcher).toHaveBeenCalledTimes(1);
		stop();
	});

	it('refetches each stale query on screen once per focus, however often its component remounted', async () => {
		const live = countPlatformListeners();
		const fetcher = vi.fn(async ({ key }: FetchContext) => key[1]);
		const views = [];
		for (let i = 0; i < 100; i++) {
			const view = render(ProviderApp, { client, config: { key: ['f', i % 4], fetcher, options: { staleTime: 0 } } });
			await flush();
			if (i % 25 === 24) views.push(view);
			else view.unmount();
		}
		// Four providers stay, each with its listeners; every other was detached.
		expect(live()).toBe(4 * 4);
		await flush(1); // the data is stale (staleTime 0)
		fetcher.mockClear();
		window.dispatchEvent(new Event('focus'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(4);
		for (const view of views) view.unmount();
		await flush();
		expect(live()).toBe(0);
		fetcher.mockClear();
		window.dispatchEvent(new Event('focus'));
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('keeps one timer while a page of mutations back off beside the cache’s deadlines, and none once they settled', async () => {
		// A cached entry that nobody watches: its gc deadline holds the client's one timer.
		client.setQueryData(['cached'], 1);
		expect(vi.getTimerCount()).toBe(1);
		let attempts = 0;
		const mutationFn = async (row: number) => {
			attempts++;
			if (attempts <= 40) throw new Error('503');
			return row;
		};
		const saves = Array.from({ length: 20 }, (_, row) => {
			const save = createMutation({ mutationFn, retry: 3, retryDelay: (attempt) => 1_000 * (attempt + 1) + row }, client);
			return save.mutateAsync(row);
		});
		for (const saved of saves) saved.catch(() => {}); // awaited below; a failed assertion before must not leave them unhandled
		await flush();
		// Twenty rows waiting out their backoff, each with its own delay.
		expect(attempts).toBe(20);
		expect(vi.getTimerCount()).toBe(1);
		await flush(1_100);
		expect(attempts).toBe(40);
		expect(vi.getTimerCount()).toBe(1);
		await flush(2_100);
		expect(await Promise.all(saves)).toEqual(Array.from({ length: 20 }, (_, row) => row));
		expect(attempts).toBe(60);
		await flush(60_000);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('leaves no timer once disposed while mutations wait out their backoff and queries poll', async () => {
		const stop = client.watchQuery({ key: ['feed'], fetcher: async () => 1, options: { refetchInterval: 5_000 } }).subscribe(() => {});
		const saves = Array.from({ length: 5 }, () =>
			createMutation({ mutationFn: async () => Promise.reject(new Error('503')), retry: 3, retryDelay: 30_000 }, client).mutateAsync()
		);
		for (const saved of saves) saved.catch(() => {});
		await flush();
		expect(vi.getTimerCount()).toBe(1);
		client.dispose();
		expect(vi.getTimerCount()).toBe(0);
		await flush();
		for (const saved of saves) await expect(saved).rejects.toMatchObject({ name: 'CancelledError' });
		expect(vi.getTimerCount()).toBe(0);
		stop();
	});
});

describe('what a long session lets go of is garbage (WeakRef, with gc exposed at run time)', () => {
	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	// Captured before any test fakes timers: WeakRef targets live to the end of the current job.
	const realImmediate = globalThis.setImmediate;

	async function collected(ref: WeakRef<object>): Promise<boolean> {
		for (let round = 0; round < 10 && ref.deref() !== undefined; round++) {
			await new Promise((resolve) => realImmediate(resolve));
			gc();
		}
		return ref.deref() === undefined;
	}

	// Each scenario runs in a function of its own, so no frame of the test still holds what it made.
	async function mountAndUnmount(): Promise<WeakRef<object>> {
		const config = { key: ['page', 1], fetcher: async () => 'page data' };
		const view = render(ProviderApp, { client, config });
		await flush();
		view.unmount();
		return new WeakRef(config);
	}

	async function switchKeysThenLeave(): Promise<WeakRef<object>> {
		const config = writable<CreateQueryConfig<number>>({ key: ['row', 0], fetcher: async () => 0 });
		const stop = createQuery(config, client).subscribe(() => {});
		for (let i = 1; i < 50; i++) {
			config.set({ key: ['row', i], fetcher: async () => i, options: { refetchInterval: 1_000 } });
			await flush(1);
		}
		stop();
		return new WeakRef(config);
	}

	async function mutateThroughAnOfflineSpell(): Promise<WeakRef<object>> {
		const options = { mutationFn: async (n: number) => n, retry: 1 };
		createMutation(options, client).mutate(1);
		await flush();
		return new WeakRef(options);
	}

	it('a page component whose query entry was collected after gcTime', async () => {
		const ref = await mountAndUnmount();
		await flush(60_000);
		expect(client.size).toBe(0);
		vi.useRealTimers();
		expect(await collected(ref)).toBe(true);
	});

	it('the config store of a createQuery that switched keys 50 times, once unsubscribed and its entries collected', async () => {
		const ref = await switchKeysThenLeave();
		await flush(60_000);
		expect(client.size).toBe(0);
		vi.useRealTimers();
		expect(await collected(ref)).toBe(true);
	});

	it('a mutation store whose call waited out an offline spell and then settled', async () => {
		const online = {
			isOnline: () => navigator.onLine,
			subscribe(onChange: (online: boolean) => void) {
				const on = () => onChange(navigator.onLine);
				window.addEventListener('online', on);
				return () => window.removeEventListener('online', on);
			}
		};
		undo.push(client.mount({ online }));
		undo.push(goOnline(false));
		const ref = await mutateThroughAnOfflineSpell();
		undo.push(goOnline(true));
		await flush();
		vi.useRealTimers();
		expect(await collected(ref)).toBe(true);
	});
});
