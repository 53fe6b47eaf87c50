/** Claims of the README's Svelte API section that no other test pinned, each quoted in its test's name. */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient, type FetchContext } from '../../src/lib/index.js';
import { browserFocusSource, browserOnlineSource, createMutation } from '../../src/lib/svelte/index.js';
import Provide from './components/Provide.svelte';
import ReadmeBoundary from './components/ReadmeBoundary.svelte';
import QueryView from './components/QueryView.svelte';
import ReadmeFilters from './components/ReadmeFilters.svelte';
import { deferred, flush, freshClientPerTest, goOnline } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('README: createMutation', () => {
	it('"submittedAt is when the call was made, on the client\'s clock, and 0 when idle"', async () => {
		vi.setSystemTime(1_000_000);
		let now = 42;
		const clock = { now: () => now, setTimeout: (run: () => void, ms: number) => setTimeout(run, ms), clearTimeout: (handle: unknown) => clearTimeout(handle as never) };
		const clocked = new QoraClient({ clock });
		const answer = deferred<string>();
		const mutation = createMutation({ mutationFn: (_title: string) => answer.promise }, clocked);
		expect(get(mutation)).toMatchObject({ status: 'idle', submittedAt: 0 });
		const result = mutation.mutateAsync('milk');
		expect(get(mutation)).toMatchObject({ status: 'pending', submittedAt: 42 });
		now = 9_000;
		answer.resolve('saved');
		await expect(result).resolves.toBe('saved');
		await flush();
		expect(get(mutation)).toMatchObject({ status: 'success', submittedAt: 42 });
		clocked.dispose();
	});
});

describe('README: "toStore follows what its function reads"', () => {
	async function keysFetched(form: 'spread' | 'snapshot' | 'reference' | 'class spread' | 'class snapshot' | 'class fields' | 'class getter') {
		const fetched: unknown[] = [];
		const fetcher = async ({ key }: FetchContext) => {
			fetched.push(key);
			return JSON.stringify(key);
		};
		render(Provide, { client, view: ReadmeFilters, viewProps: { form, fetcher } });
		await flush();
		await fireEvent.click(screen.getByRole('button', { name: 'done' }));
		await flush();
		return fetched;
	}

	it('"key: [\'todos\', { ...filters }] (or $state.snapshot(filters)) follows every change"', async () => {
		expect(await keysFetched('spread')).toEqual([['todos', { done: false }], ['todos', { done: true }]]);
	});

	it('$state.snapshot(filters) too', async () => {
		expect(await keysFetched('snapshot')).toEqual([['todos', { done: false }], ['todos', { done: true }]]);
	});

	it('"while key: [\'todos\', filters] reads only the reference, so a change made in place (filters.done = true) is not followed"', async () => {
		expect(await keysFetched('reference')).toEqual([['todos', { done: false }]]);
	});

	it('"a spread or a snapshot of an instance [of a class with $state fields] is {}: the key never changes"', async () => {
		expect(await keysFetched('class spread')).toEqual([['todos', {}]]);
	});

	it('"or a snapshot of an instance is {}" too', async () => {
		expect(await keysFetched('class snapshot')).toEqual([['todos', {}]]);
	});

	it('"Name the fields ({ category: filters.category, … })": a class instance\'s change is then followed', async () => {
		expect(await keysFetched('class fields')).toEqual([['todos', { done: false }], ['todos', { done: true }]]);
	});

	it('"or give the class a getter that does and use it in the key"', async () => {
		expect(await keysFetched('class getter')).toEqual([['todos', { done: false }], ['todos', { done: true }]]);
	});
});

describe('README: error boundaries (Coming from TanStack, throwOnError)', () => {
	it('"throw only when $query.isError && !$query.isFetching … await client.fetchQuery(config).catch(() => {}), then reset()": the retry shows the data', async () => {
		let attempts = 0;
		const config = {
			key: ['profile'],
			fetcher: async () => {
				if (++attempts === 1) throw new Error('server down');
				return 'Ada';
			},
			options: { retry: 0 }
		};
		render(Provide, { client, view: ReadmeBoundary, viewProps: { config } });
		await flush();
		expect(screen.getByText('failed: server down')).toBeTruthy();
		await fireEvent.click(screen.getByText('Retry'));
		await flush();
		expect(screen.getByText('data: Ada')).toBeTruthy();
		expect(attempts).toBe(2);
	});
});

describe('README: Coming from TanStack Query, the refetch() row', () => {
	it('"a disabled watcher never fetches, not even on invalidate, and shows what fetchQuery brings"; "fresh data is returned as it is: invalidate(key) first to fetch anew"', async () => {
		let version = 0;
		const fetcher = vi.fn(async () => `report ${++version}`);
		const config = { key: ['report'], fetcher, options: { enabled: false } };
		render(Provide, { client, view: QueryView, viewProps: { config } });
		await flush();
		await client.invalidate(['report']);
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(screen.getByTestId('query').textContent).toContain('loading');

		await client.fetchQuery(config);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(screen.getByTestId('query').textContent).toContain('data: "report 1"');

		// "Later, fresh data is returned as it is: invalidate(key) first to fetch anew."
		await client.fetchQuery(config);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		await client.invalidate(['report']);
		await client.fetchQuery(config);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(screen.getByTestId('query').textContent).toContain('data: "report 2"');
	});
});

describe('README (Svelte): "A client that only reaches stores passed to them (createQuery(config, client)), never through a provider, gets them at construction"', () => {
	async function withoutProvider(sources: boolean) {
		const own = new QoraClient(sources ? { focus: browserFocusSource(), online: browserOnlineSource() } : {});
		const fetcher = vi.fn(async () => 'Ada');
		render(QueryView, { config: { key: ['me'], fetcher, options: { staleTime: 0 } }, client: own });
		await flush();
		window.dispatchEvent(new Event('focus')); // back to the page
		await flush();
		const afterFocus = fetcher.mock.calls.length;
		const undo = goOnline(false);
		await own.invalidate(['me']);
		const offline = { calls: fetcher.mock.calls.length, fetchStatus: own.getState(['me'])?.fetchStatus };
		undo();
		window.dispatchEvent(new Event('online'));
		await flush();
		own.dispose();
		return { afterFocus, offline };
	}

	it('with the browser sources given to the constructor, it refetches on return to the page and waits while offline', async () => {
		expect(await withoutProvider(true)).toEqual({ afterFocus: 2, offline: { calls: 2, fetchStatus: 'paused' } });
	});

	it('"without them it never refetches on focus and counts itself online"', async () => {
		expect(await withoutProvider(false)).toEqual({ afterFocus: 1, offline: { calls: 2, fetchStatus: 'idle' } });
	});
});
