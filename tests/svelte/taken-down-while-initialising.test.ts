/**
 * A component an error boundary takes down while it initialises (a child of it throws, or its own
 * markup does, after its `$query` subscribed). Svelte registers a component's store cleanup at the
 * end of its initialisation, so the `$query` and `$state` subscriptions of such a component are never
 * ended by Svelte. README (Coming from TanStack): "a component an error boundary took down is not watched".
 * Svelte takes components down the same way when hydration fails and it mounts the app afresh.
 * Found by a review; the stores end their watch themselves when their component is taken down.
 */
import { render, screen } from '@testing-library/svelte';
import { flushSync, hydrate, unmount } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import Provide from './components/Provide.svelte';
import QueryView from './components/QueryView.svelte';
import TakenDownDerivedKept from './components/TakenDownDerivedKept.svelte';
import DerivedInClosedPanel from './components/DerivedInClosedPanel.svelte';
import TakenDownHost from './components/TakenDownHost.svelte';
import { flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('a component an error boundary took down while it initialised', () => {
	it('is not watched: no polling, no refetch on invalidate, and its key is collected after gcTime', async () => {
		const fetcher = vi.fn(async () => 'Ada');
		const config = { key: ['profile'], fetcher, options: { refetchInterval: 1000, gcTime: 5000 } };
		render(Provide, { client, view: TakenDownHost, viewProps: { config } });
		expect(screen.getByText('failed: child broke')).toBeInTheDocument();
		await flush();
		const calls = fetcher.mock.calls.length; // the fetch its mount started may land

		await flush(10_000);
		expect(fetcher).toHaveBeenCalledTimes(calls); // no polling
		await client.invalidate(['profile']);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(calls); // not watched: nothing refetches

		await flush(5000);
		expect(client.size).toBe(0); // nothing keeps the entry from gc
	});

	it('README: "make the store in the script (createQuery(toStore(() => …)) follows the props)": such a store is not watched either', async () => {
		const fetcher = vi.fn(async () => 'Ada');
		const config = { key: ['profile'], fetcher, options: { refetchInterval: 1000, gcTime: 5000 } };
		render(Provide, { client, view: TakenDownHost, viewProps: { config, toStore: true } });
		expect(screen.getByText('failed: child broke')).toBeInTheDocument();
		await flush();
		const calls = fetcher.mock.calls.length;
		expect(calls).toBe(1); // the fetch its mount started
		await flush(10_000);
		expect(fetcher).toHaveBeenCalledTimes(calls); // no polling
		await client.invalidate(['profile']);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(calls);
		await flush(5000);
		expect(client.size).toBe(0);
	});

	it('leaves no createIsFetching or createIsMutating subscription behind', async () => {
		const live = { watchIsFetching: 0, watchIsMutating: 0 };
		let subscribed = 0;
		for (const name of ['watchIsFetching', 'watchIsMutating'] as const) {
			const watch = client[name].bind(client);
			vi.spyOn(client, name).mockImplementation((match) => {
				const store = watch(match);
				return {
					subscribe(run) {
						const stop = store.subscribe(run);
						live[name]++;
						subscribed++;
						return () => {
							stop();
							live[name]--;
						};
					}
				};
			});
		}
		const config = { key: ['profile'], fetcher: async () => 'Ada' };
		render(Provide, { client, view: TakenDownHost, viewProps: { config } });
		expect(screen.getByText('failed: child broke')).toBeInTheDocument();
		expect(subscribed).toBe(2); // it did subscribe both before it was taken down
		await flush();
		expect(live).toEqual({ watchIsFetching: 0, watchIsMutating: 0 });
	});
});

describe('a component that is not taken down', () => {
	it('keeps the watch of a store made in $derived when the derived runs again before the effects ran and returns the same store', async () => {
		const fetcher = vi.fn(async () => 'Ada');
		const config = { key: ['profile'], fetcher, options: { refetchInterval: 1000 } };
		render(Provide, { client, view: TakenDownDerivedKept, viewProps: { config } });
		await flush();
		expect(screen.getByText('data: Ada (page 1)')).toBeInTheDocument(); // not stuck at 'loading'
		await flush(2000);
		expect(fetcher).toHaveBeenCalledTimes(3); // it polls on
	});

	it('keeps the watch of a store made in $derived whose only reader, a panel, closed before the effects ran, and shows its data when the panel opens', async () => {
		const fetcher = vi.fn(async () => 'Ada');
		const config = { key: ['profile'], fetcher, options: { refetchInterval: 1000 } };
		render(Provide, { client, view: DerivedInClosedPanel, viewProps: { config } });
		await flush();
		screen.getByText('open').click();
		await flush();
		expect(screen.getByText('data: Ada')).toBeInTheDocument(); // not stuck at 'loading'
		await flush(2000);
		expect(fetcher).toHaveBeenCalledTimes(3); // it polls on
	});
});

describe('a failed hydration, which Svelte recovers from by mounting the app afresh', () => {
	it('leaves no query of the abandoned first attempt watched once the app is unmounted', async () => {
		const fetcher = vi.fn(async () => 'Ada');
		const config = { key: ['profile'], fetcher, options: { refetchInterval: 1000, gcTime: 5000 } };
		// The server's markup of Provide > QueryView with its meta line missing (a browser extension, an
		// invalid nesting the parser moved): hydration fails inside QueryView, after its $query subscribed.
		const target = document.body.appendChild(document.createElement('div'));
		target.innerHTML = '<!--[--><!--[--><!--[--><section data-testid="query"><!--[0--><p>loading</p><!--]--></section><!--]--><!--]--><!--]-->';
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const app = hydrate(Provide, { target, props: { client, view: QueryView, viewProps: { config } } });
		flushSync();
		expect(warn).toHaveBeenCalled(); // Svelte gave up hydrating and mounted afresh
		warn.mockRestore();
		await flush();
		expect(target.textContent).toContain('data: "Ada"');

		await unmount(app);
		target.remove();
		const calls = fetcher.mock.calls.length;
		await flush(10_000);
		expect(fetcher).toHaveBeenCalledTimes(calls); // nothing polls once the app is gone
		await flush(5000);
		expect(client.size).toBe(0);
	});
});
