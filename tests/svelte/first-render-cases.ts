/**
 * Cache states a server render can meet, with what a query's first render shows for
 * each. ssr.test.ts checks the server render against `shows`; first-render.test.ts
 * checks the browser's first render, on a client hydrated from the server's payload,
 * against the same `shows`. Both passing means the server renders what the browser's
 * first render shows, so hydration keeps the server's markup (an `{#if isLoading}`
 * renders the same branch on both sides).
 */
import { vi } from 'vitest';
import type { QoraClient } from '../../src/lib/index.js';
import type { CreateQueryConfig } from '../../src/lib/svelte/index.js';

export interface FirstRenderCase {
	readonly name: string;
	/** Fills the server's request client, as loads would. */
	readonly setup: (server: QoraClient) => Promise<void>;
	readonly config: CreateQueryConfig<string>;
	readonly shows: { readonly status: string; readonly fetchStatus: string; readonly data: string | undefined };
}

const key = ['case'];
const never = () => new Promise<string>(() => {});
const failing = async (): Promise<string> => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
const nothing = async () => {};

export const firstRenderCases: readonly FirstRenderCase[] = [
	{ name: 'a key nobody prefetched', setup: nothing, config: { key, fetcher: never }, shows: { status: 'pending', fetchStatus: 'fetching', data: undefined } },
	{
		name: 'a key nobody prefetched, in a disabled query',
		setup: nothing,
		config: { key, fetcher: never, options: { enabled: false } },
		shows: { status: 'pending', fetchStatus: 'idle', data: undefined }
	},
	{
		name: 'fresh prefetched data',
		setup: (server) => server.prefetchQuery({ key, fetcher: async () => 'prefetched' }),
		config: { key, fetcher: never },
		shows: { status: 'success', fetchStatus: 'idle', data: 'prefetched' }
	},
	{
		name: 'prefetched data that is stale by the query’s staleTime',
		setup: (server) => server.prefetchQuery({ key, fetcher: async () => 'prefetched' }),
		config: { key, fetcher: never, options: { staleTime: 0 } },
		shows: { status: 'success', fetchStatus: 'fetching', data: 'prefetched' }
	},
	{
		name: 'prefetched data older than the default staleTime, the options given as undefined',
		setup: async (server) => {
			await server.prefetchQuery({ key, fetcher: async () => 'prefetched', options: { gcTime: 10 * 60_000 } });
			await vi.advanceTimersByTimeAsync(6 * 60_000);
		},
		config: { key, fetcher: never, options: { enabled: undefined, staleTime: undefined } },
		shows: { status: 'success', fetchStatus: 'fetching', data: 'prefetched' }
	},
	{
		name: 'prefetched data, invalidated',
		setup: async (server) => {
			await server.prefetchQuery({ key, fetcher: async () => 'prefetched' });
			await server.invalidate(key);
		},
		config: { key, fetcher: never },
		shows: { status: 'success', fetchStatus: 'fetching', data: 'prefetched' }
	},
	{
		name: 'prefetched data whose refetch failed (neither is shipped)',
		setup: async (server) => {
			await server.prefetchQuery({ key, fetcher: async () => 'prefetched' });
			await server.invalidate(key);
			await server.prefetchQuery({ key, fetcher: failing, options: { retry: 0 } });
			await vi.advanceTimersByTimeAsync(0);
		},
		config: { key, fetcher: never },
		shows: { status: 'pending', fetchStatus: 'fetching', data: undefined }
	},
	{
		name: 'a failed prefetch',
		setup: (server) => server.prefetchQuery({ key, fetcher: failing, options: { retry: 0 } }),
		config: { key, fetcher: never },
		shows: { status: 'pending', fetchStatus: 'fetching', data: undefined }
	},
	{
		name: 'a prefetch still in flight (streamed)',
		setup: async (server) => void server.prefetchQuery({ key, fetcher: never }),
		config: { key, fetcher: never },
		shows: { status: 'pending', fetchStatus: 'fetching', data: undefined }
	},
	{
		name: 'a prefetch still in flight (streamed), the query held by streamSettled',
		setup: async (server) => void server.prefetchQuery({ key, fetcher: never }),
		config: { key, fetcher: never, options: { enabled: false } },
		shows: { status: 'pending', fetchStatus: 'idle', data: undefined }
	},
	{
		name: 'initialData while the server’s prefetch is still in flight (streamed): the browser seeds it',
		setup: async (server) => void server.prefetchQuery({ key, fetcher: never }),
		config: { key, fetcher: never, options: { initialData: () => 'seed' } },
		shows: { status: 'success', fetchStatus: 'idle', data: 'seed' }
	},
	{
		name: 'a first fetch retrying after a failure',
		setup: async (server) => {
			void server.fetchQuery({ key, fetcher: failing, options: { retry: 3 } }).catch(() => {});
			await vi.advanceTimersByTimeAsync(0);
		},
		config: { key, fetcher: never },
		shows: { status: 'pending', fetchStatus: 'fetching', data: undefined }
	},
	{
		name: 'initialData',
		setup: nothing,
		config: { key, fetcher: never, options: { initialData: 'seed' } },
		shows: { status: 'success', fetchStatus: 'idle', data: 'seed' }
	},
	{
		name: 'initialData that is stale by the query’s staleTime',
		setup: nothing,
		config: { key, fetcher: never, options: { initialData: 'seed', staleTime: 0 } },
		shows: { status: 'success', fetchStatus: 'fetching', data: 'seed' }
	},
	{
		name: 'initialData over a failed prefetch',
		setup: (server) => server.prefetchQuery({ key, fetcher: failing, options: { retry: 0 } }),
		config: { key, fetcher: never, options: { initialData: 'seed' } },
		shows: { status: 'success', fetchStatus: 'idle', data: 'seed' }
	}
];
