/**
 * Random long sessions through the Svelte layer: createQuery stores whose config changes
 * (keys, enabled, staleTime, polling, keepPrevious), query-state stores, providers mounted
 * and unmounted, mutations, connection flips, focus, remove and clear (logout), streamed
 * payloads delivered or cut. Once everything unsubscribed and the connection is back, the
 * client holds nothing: no entry, no timer, no window listener, no removal or connection
 * listener, no fetch hold. Seeds are fixed, so a failure replays; FUZZ_SEEDS runs more.
 */
import { render } from '@testing-library/svelte';
import { writable, type Writable } from 'svelte/store';
import { afterEach, expect, it, vi } from 'vitest';
import { QoraClient, keepPrevious, type FetchContext } from '../../src/lib/index.js';
import { createMutation, createQuery, createQueryState, type CreateQueryConfig } from '../../src/lib/svelte/index.js';
import { hydrateOnce } from '../../src/lib/sveltekit/hydrate-once.js';
import ProviderApp from './components/ProviderApp.svelte';
import { deferred, goOnline, serverPayload, rng } from './helpers.js';
vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));

/** Undone after each test, also when it failed: spies on window and document, the client, navigator.onLine. */
const restores: (() => void)[] = [];
afterEach(() => {
	for (const restore of restores.splice(0).reverse()) restore();
	delete (navigator as { onLine?: unknown }).onLine;
	vi.useRealTimers();
});

const platformEvents = ['focus', 'online', 'offline', 'visibilitychange'];

/** Counts the listeners for focus and connectivity events on `window` and `document` not yet removed. */
function countPlatformListeners(): Set<unknown> {
	const live = new Set<unknown>();
	for (const target of [window, document] as EventTarget[]) {
		const add = target.addEventListener.bind(target);
		const remove = target.removeEventListener.bind(target);
		const adding = vi.spyOn(target, 'addEventListener').mockImplementation((type, listener, options) => {
			if (platformEvents.includes(type)) live.add(listener);
			add(type, listener, options);
		});
		const removing = vi.spyOn(target, 'removeEventListener').mockImplementation((type, listener, options) => {
			if (platformEvents.includes(type)) live.delete(listener);
			remove(type, listener, options);
		});
		restores.push(() => {
			adding.mockRestore();
			removing.mockRestore();
		});
	}
	return live;
}

/** Counts, through spies, the client's removal and connection listeners and its fetch holds still in place. */
function countClientBookkeeping(client: QoraClient) {
	const counts = { _onRemove: 0, _onResume: 0, _holdFetches: 0 };
	for (const method of ['_onRemove', '_onResume', '_holdFetches'] as const) {
		const original = client[method].bind(client) as (...args: never[]) => () => void;
		vi.spyOn(client, method).mockImplementation(((...args: never[]) => {
			counts[method]++;
			const undo = original(...args);
			let undone = false;
			return () => {
				if (!undone) counts[method]--;
				undone = true;
				undo();
			};
		}) as never);
	}
	return counts;
}

for (let seed = 1; seed <= Number(process.env.FUZZ_SEEDS ?? 30); seed++) {
	it(`a random session of 250 steps (seed ${seed}) leaves no entry, timer, window listener, client listener or fetch hold behind`, async () => {
		vi.useFakeTimers();
		const random = rng(seed);
		const pick = <T,>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
		const takeOne = <T,>(items: T[]): T => items.splice(Math.floor(random() * items.length), 1)[0] as T;
		const live = countPlatformListeners();
		const consoleErrors = vi.spyOn(console, 'error').mockImplementation(() => {}); // cut streams are reported there
		restores.push(() => consoleErrors.mockRestore());
		const errors: unknown[] = [];
		const client = new QoraClient({ defaultOptions: { gcTime: 3_000, retryDelay: 200, retry: 2 }, onError: (error) => errors.push(error) });
		restores.push(() => client.dispose());
		const counts = countClientBookkeeping(client);
		// Answers after up to 1.5 s, a quarter of them failures; aborts as a real request would.
		const fetcher = ({ key, signal }: FetchContext) =>
			new Promise<unknown>((resolve, reject) => {
				const ms = Math.floor(random() * 1500);
				const fail = random() < 0.25;
				const timer = setTimeout(() => (fail ? reject(new Error('503')) : resolve({ key, ms })), ms);
				signal.addEventListener('abort', () => {
					clearTimeout(timer);
					reject(signal.reason);
				});
			});
		const keys = [0, 1, 2, 3, 4].map((i) => ['k', i]);
		const config = (): CreateQueryConfig<unknown> => ({
			key: pick(keys),
			fetcher,
			options: {
				enabled: random() < 0.8,
				staleTime: pick([0, 1000, Infinity]),
				refetchInterval: pick([false, 400, 900]) as number | false,
				placeholderData: random() < 0.5 ? keepPrevious : undefined
			}
		});
		const queries: { config: Writable<CreateQueryConfig<unknown>>; stop: () => void }[] = [];
		const observers: (() => void)[] = [];
		const views: { unmount: () => void }[] = [];
		const mutations: Promise<unknown>[] = [];
		let offline = false;
		for (let step = 0; step < 250; step++) {
			const op = Math.floor(random() * 16);
			if (op <= 1) {
				const store = writable(config());
				queries.push({ config: store, stop: createQuery(store, client).subscribe(() => {}) });
			} else if (op === 2 && queries.length) pick(queries).config.set(config());
			else if (op === 3 && queries.length) takeOne(queries).stop();
			else if (op === 4) observers.push(createQueryState(pick(keys), client).subscribe(() => {}));
			else if (op === 5 && observers.length) takeOne(observers)();
			else if (op === 6) views.push(render(ProviderApp, { client, config: { key: pick(keys), fetcher } }));
			else if (op === 7 && views.length) takeOne(views).unmount();
			else if (op === 8) goOnline(!(offline = !offline));
			else if (op === 9) window.dispatchEvent(new Event('focus'));
			else if (op === 10) {
				const save = createMutation(
					{
						mutationFn: async (n: number) => {
							if (random() < 0.3) throw new Error('save failed');
							return n;
						},
						retry: 1,
						onSettled: () => client.invalidateWhere(['k'])
					},
					client
				);
				mutations.push(save.mutateAsync(step).catch(() => 'failed'));
			} else if (op === 11) {
				if (random() < 0.3) client.clear();
				else client.remove(pick(keys));
			} else if (op === 12) {
				// A streamed payload that arrives, or is cut, a moment later.
				const stream = deferred<unknown>();
				hydrateOnce(client, stream.promise, 'page.data.qoraState');
				const cut = random() < 0.2;
				const key = pick(keys);
				setTimeout(() => (cut ? stream.reject(new Error('stream cut')) : stream.resolve(serverPayload([key, 'from the server']))), Math.floor(random() * 800));
			} else await vi.advanceTimersByTimeAsync(Math.floor(random() * 700));
		}
		for (const query of queries.splice(0)) query.stop();
		for (const stop of observers.splice(0)) stop();
		for (const view of views.splice(0)) view.unmount();
		goOnline(true);
		await vi.advanceTimersByTimeAsync(30_000);
		await Promise.all(mutations);
		await vi.advanceTimersByTimeAsync(30_000);
		expect(errors).toEqual([]);
		expect({ size: client.size, timers: vi.getTimerCount(), windowListeners: live.size, ...counts }).toEqual({
			size: 0,
			timers: 0,
			windowListeners: 0,
			_onRemove: 0,
			_onResume: 0,
			_holdFetches: 0
		});
	});
}
