import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { derived, writable, type Readable } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient, type FetchContext, type QoraState, type QueryKeyInput } from '../../src/lib/index.js';
import { createQuery, keepPrevious, type CreateQueryConfig } from '../../src/lib/svelte/index.js';
import FilteredList from './components/FilteredList.svelte';
import PagedList from './components/PagedList.svelte';
import Provide from './components/Provide.svelte';
import QueryView from './components/QueryView.svelte';
import ReadmePager from './components/ReadmePager.svelte';
import { deferred, flush, freshClientPerTest, plainStore } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

/** A fetcher per page whose answers the test releases one by one. */
function pages() {
	const pending = new Map<number, ReturnType<typeof deferred<string>>>();
	const fetcher = vi.fn(({ key }: FetchContext) => {
		const page = key[1] as number;
		const answer = deferred<string>();
		pending.set(page, answer);
		return answer.promise;
	});
	const answer = async (page: number) => {
		pending.get(page)?.resolve(`page ${page} data`);
		await flush();
	};
	return { fetcher, answer };
}

function pagedConfig(fetcher: (context: FetchContext) => Promise<string>, keep: boolean) {
	const page = writable(1);
	const config = derived(page, (p): CreateQueryConfig<string> => ({
		key: ['page', p],
		fetcher,
		options: keep ? { placeholderData: keepPrevious } : {}
	}));
	return { page, config };
}

/** Page 1 loads, then page 2 fails through all its retries (keepPrevious on). Returns once page 2 shows its error. */
async function onFailedPage2(fetcher: (context: FetchContext) => Promise<string>) {
	const { page, config } = pagedConfig(fetcher, true);
	const seen: QoraState<string>[] = [];
	const stop = createQuery(config, client).subscribe((state) => seen.push(state));
	await flush();
	page.set(2);
	await flush(1000 + 2000 + 4000);
	return { page, seen, stop };
}

/**
 * Page 1 loads; page 2 fails on every attempt (the default retries run), so while
 * it retries the store shows page 1 as a placeholder. Returns once on page 2.
 */
async function onPage2WhileItRetries(extraOptions: { gcTime?: number } = {}) {
	const fetcher = vi.fn(async ({ key }: FetchContext) => {
		if (key[1] === 1) return 'page 1 data';
		throw new Error('busy');
	});
	const page = writable(1);
	const config = derived(page, (p): CreateQueryConfig<string> => ({
		key: ['page', p],
		fetcher,
		options: { placeholderData: keepPrevious, ...extraOptions }
	}));
	const seen: QoraState<string>[] = [];
	const stop = createQuery(config, client).subscribe((state) => seen.push(state));
	await flush();
	page.set(2);
	await flush();
	return { seen, stop };
}

/** What the store shows while page 2's second attempt runs: page 1 still, as a placeholder. */
const stillPage1 = { status: 'success', data: 'page 1 data', isPlaceholderData: true, failureCount: 2 };

describe('a key that follows a store', () => {
	it('fetches the new key when the key store changes, showing loading meanwhile without keepPrevious', async () => {
		const { fetcher, answer } = pages();
		const { page, config } = pagedConfig(fetcher, false);
		render(Provide, { client, view: QueryView, viewProps: { config } });
		await answer(1);
		expect(screen.getByText('data: "page 1 data"')).toBeInTheDocument();

		page.set(2);
		await tick();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(fetcher.mock.lastCall?.[0].key).toEqual(['page', 2]);
		expect(screen.getByText('loading')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=fetching failureCount=0 placeholder=false');

		await answer(2);
		expect(screen.getByText('data: "page 2 data"')).toBeInTheDocument();
	});

	it('keeps the previous key’s data on screen as placeholder data with keepPrevious', async () => {
		const { fetcher, answer } = pages();
		const { page, config } = pagedConfig(fetcher, true);
		render(Provide, { client, view: QueryView, viewProps: { config } });
		await answer(1);

		page.set(2);
		await tick();
		expect(screen.getByText('data: "page 1 data"')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=success fetchStatus=fetching failureCount=0 placeholder=true');

		await answer(2);
		expect(screen.getByText('data: "page 2 data"')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=success fetchStatus=idle failureCount=0 placeholder=false');
	});

	it('keeps the first page through several pending pages, ends the placeholder when the new key fails, and keeps it again for the next key', async () => {
		const fetcher = vi.fn(async ({ key }: FetchContext) => {
			if (key[1] === 1) return 'page 1 data';
			throw new Error(`no page ${String(key[1])}`);
		});
		const { page, config } = pagedConfig(fetcher, true);
		const store = createQuery(config, client);
		const seen: QoraState<string>[] = [];
		const stop = store.subscribe((state) => seen.push(state));
		await flush();

		page.set(2);
		page.set(3);
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'page 1 data', isPlaceholderData: true, isFetching: true });

		await flush(); // page 3's first attempt fails; the default three retries follow
		expect(seen.at(-1)).toMatchObject({ status: 'success', isPlaceholderData: true, failureCount: 1 });
		await flush(1000 + 2000 + 4000);
		expect(seen.at(-1)).toMatchObject({ status: 'error', data: undefined, isPlaceholderData: false });
		expect(seen.at(-1)?.error?.message).toBe('no page 3');

		// A page that failed without data leaves the last data to keep for the next one.
		page.set(4);
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'page 1 data', isPlaceholderData: true, isFetching: true });
		stop();
	});

	it('keeps a failed page’s error on screen while it is fetched again (a retry button), and keeps nothing after a logout', async () => {
		let page2Works = false;
		const fetcher = vi.fn(async ({ key }: FetchContext) => {
			if (key[1] === 1 || page2Works) return `page ${String(key[1])} data`;
			throw new Error('busy');
		});
		const { page, seen, stop } = await onFailedPage2(fetcher);
		expect(seen.at(-1)).toMatchObject({ status: 'error', data: undefined, isPlaceholderData: false });

		page2Works = true;
		void client.invalidate(['page', 2]);
		expect(seen.at(-1)).toMatchObject({ status: 'error', data: undefined, isPlaceholderData: false, isFetching: true, isLoading: false });
		await flush();
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'page 2 data', isPlaceholderData: false });

		// Failing again, then a logout (clear) before the retry: nothing of the old user comes back.
		page2Works = false;
		page.set(3);
		await flush(1000 + 2000 + 4000);
		expect(seen.at(-1)).toMatchObject({ status: 'error', data: undefined });
		client.clear();
		void client.invalidate(['page', 3]);
		expect(seen.at(-1)).toMatchObject({ data: undefined, isPlaceholderData: false });
		stop();
	});

	it('after a failed page is tried again and fails again, the next page still keeps the data shown before', async () => {
		const fetcher = vi.fn(async ({ key }: FetchContext) => {
			if (key[1] === 1) return 'page 1 data';
			throw new Error(`no page ${String(key[1])}`);
		});
		const page = writable(1);
		const config = derived(page, (p): CreateQueryConfig<string> => ({ key: ['page', p], fetcher, options: { placeholderData: keepPrevious, retry: 0 } }));
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, client).subscribe((state) => seen.push(state));
		await flush();
		page.set(2);
		await flush();
		void client.invalidate(['page', 2]); // "try again"
		await flush();
		expect(seen.at(-1)).toMatchObject({ status: 'error', data: undefined, fetchStatus: 'idle' });
		page.set(3);
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'page 1 data', isPlaceholderData: true, isFetching: true });
		stop();
	});

	it('keeps no placeholder from data the app removed meanwhile (clear on logout)', async () => {
		const { fetcher, answer } = pages();
		const { page, config } = pagedConfig(fetcher, true);
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, client).subscribe((state) => seen.push(state));
		await answer(1);
		expect(seen.at(-1)?.data).toBe('page 1 data');
		client.clear();
		page.set(2);
		expect(seen.at(-1)).toMatchObject({ status: 'pending', data: undefined, isPlaceholderData: false });
		stop();
	});

	it('drops the placeholder when the app clears the cache while the new key loads (logout)', async () => {
		const { fetcher, answer } = pages();
		const { page, config } = pagedConfig(fetcher, true);
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, client).subscribe((state) => seen.push(state));
		await answer(1);
		page.set(2); // page 2's fetch never answers
		expect(seen.at(-1)).toMatchObject({ data: 'page 1 data', isPlaceholderData: true });

		client.clear();
		expect(seen.at(-1)).toMatchObject({ status: 'pending', data: undefined, isPlaceholderData: false });
		await flush(60_000);
		expect(seen.at(-1)).toMatchObject({ status: 'pending', data: undefined, isPlaceholderData: false });
		stop();
	});

	it('drops the placeholder at logout (clear) even when gc collected the previous key first (gcTime 0)', async () => {
		const { fetcher, answer } = pages();
		const page = writable(1);
		const config = derived(page, (p): CreateQueryConfig<string> => ({ key: ['page', p], fetcher, options: { placeholderData: keepPrevious, gcTime: 0 } }));
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, client).subscribe((state) => seen.push(state));
		await answer(1);
		page.set(2); // page 2's fetch never answers
		await flush(1);
		expect(client.getState(['page', 1])).toBeUndefined(); // collected: nothing watches it
		expect(seen.at(-1)).toMatchObject({ data: 'page 1 data', isPlaceholderData: true });

		client.clear();
		expect(seen.at(-1)).toMatchObject({ status: 'pending', data: undefined, isPlaceholderData: false });
		stop();
	});

	it('drops the placeholder when the app removes the previous and the current key while the new key loads', async () => {
		const { fetcher, answer } = pages();
		const { page, config } = pagedConfig(fetcher, true);
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, client).subscribe((state) => seen.push(state));
		await answer(1);
		page.set(2);
		expect(seen.at(-1)).toMatchObject({ data: 'page 1 data', isPlaceholderData: true });

		client.remove(['page', 1]);
		client.remove(['page', 2]);
		expect(seen.at(-1)).toMatchObject({ status: 'pending', data: undefined, isPlaceholderData: false });
		stop();
	});

	it('does not keep data removed while the current key was failing for the next key', async () => {
		const fetcher = vi.fn(async ({ key }: FetchContext) => {
			if (key[1] === 1) return 'page 1 data';
			throw new Error(`no page ${String(key[1])}`);
		});
		const { page, seen, stop } = await onFailedPage2(fetcher);
		expect(seen.at(-1)).toMatchObject({ status: 'error', data: undefined });

		client.remove(['page', 1]); // page 2's error entry does not change: the store hears nothing
		page.set(3);
		expect(seen.at(-1)).toMatchObject({ status: 'pending', data: undefined, isPlaceholderData: false });
		stop();
	});

	it('keeps the placeholder when something else is removed while the new key retries', async () => {
		client.setQueryData(['unrelated'], 'x');
		const { seen, stop } = await onPage2WhileItRetries();
		client.remove(['unrelated']);
		await flush(1000); // the second attempt fails too: a new pending state arrives
		expect(seen.at(-1)).toMatchObject(stillPage1);
		stop();
	});

	it('keeps the placeholder when gc collects the previous key while the new key retries', async () => {
		const { seen, stop } = await onPage2WhileItRetries({ gcTime: 0 });
		expect(client.getState(['page', 1])).toBeUndefined();
		await flush(1000);
		expect(seen.at(-1)).toMatchObject(stillPage1);
		stop();
	});

	it('does not bring data clear() removed back as a placeholder when a subscriber switches keys on the cancel', async () => {
		const fetcher = () => new Promise<string>(() => {});
		const config = writable<CreateQueryConfig<string>>({ key: ['p', 1], fetcher, options: { placeholderData: keepPrevious } });
		const query = createQuery(config, client);
		let shown: QoraState<string> | undefined;
		let switchOnIdle = false;
		const stop = query.subscribe((state) => {
			shown = state;
			if (switchOnIdle && state.fetchStatus === 'idle') {
				switchOnIdle = false;
				config.set({ key: ['p', 2], fetcher, options: { placeholderData: keepPrevious } });
			}
		});
		client.setQueryData(['p', 1], 'secret of user A'); // its fetch is still in flight
		switchOnIdle = true;
		client.clear();
		await flush();
		expect(shown).toMatchObject({ data: undefined, isPlaceholderData: false });
		stop();
	});

	it('drops the placeholder at once when the app removes just the previous key', async () => {
		const { fetcher, answer } = pages();
		const { page, config } = pagedConfig(fetcher, true);
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, client).subscribe((state) => seen.push(state));
		await answer(1);
		page.set(2);
		client.remove(['page', 1]);
		expect(seen.at(-1)).toMatchObject({ status: 'pending', fetchStatus: 'fetching', data: undefined, isPlaceholderData: false });
		stop();
	});

	it('keeps the placeholder when gc collected the previous key and then something else is removed', async () => {
		client.setQueryData(['unrelated'], 'x');
		const { seen, stop } = await onPage2WhileItRetries({ gcTime: 0 });
		expect(client.getState(['page', 1])).toBeUndefined();
		client.remove(['unrelated']);
		await flush(1000);
		expect(seen.at(-1)).toMatchObject(stillPage1);
		stop();
	});

	it('keeps the placeholder when the previous key got newer data and then something else is removed', async () => {
		client.setQueryData(['unrelated'], 'x');
		const { seen, stop } = await onPage2WhileItRetries();
		client.setQueryData(['page', 1], 'page 1 data, edited elsewhere');
		client.remove(['unrelated']);
		await flush(1000);
		expect(seen.at(-1)).toMatchObject(stillPage1);
		stop();
	});

	it('keeps the placeholder while the config store sends the loading key again, still with keepPrevious', async () => {
		const fetcher = vi.fn(async ({ key }: FetchContext) => {
			if (key[1] === 1) return 'page 1 data';
			throw new Error('busy');
		});
		const paged = (page: number): CreateQueryConfig<string> => ({ key: ['page', page], fetcher, options: { placeholderData: keepPrevious } });
		const config = writable(paged(1));
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, client).subscribe((state) => seen.push(state));
		await flush();
		config.set(paged(2));
		config.set(paged(2)); // an equal config again (a derived store recomputed)
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'page 1 data', isPlaceholderData: true, failureCount: 0 });
		await flush(); // page 2's first attempt fails: a new pending state arrives
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'page 1 data', isPlaceholderData: true, failureCount: 1 });
		stop();
	});

	it('still keeps the data on screen for the next key after an unrelated key is removed, reporting nothing', async () => {
		const reported: unknown[] = [];
		const reporting = new QoraClient({ onError: (error) => reported.push(error) });
		const { fetcher, answer } = pages();
		const { page, config } = pagedConfig(fetcher, true);
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, reporting).subscribe((state) => seen.push(state));
		await answer(1);
		reporting.setQueryData(['unrelated'], 'x');
		reporting.remove(['unrelated']);
		page.set(2);
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'page 1 data', isPlaceholderData: true });
		expect(reported).toEqual([]);
		stop();
		reporting.dispose();
	});

	it('shows a cached key’s own data at once when switching back to it', async () => {
		const { fetcher, answer } = pages();
		const { page, config } = pagedConfig(fetcher, true);
		const store = createQuery(config, client);
		const seen: QoraState<string>[] = [];
		const stop = store.subscribe((state) => seen.push(state));
		await answer(1);
		page.set(2);
		await answer(2);

		page.set(1);
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'page 1 data', isPlaceholderData: false });
		expect(fetcher).toHaveBeenCalledTimes(2); // page 1 is fresh: no refetch
		stop();
	});

	it('keeps no placeholder across subscriptions: a new subscriber to a collected key sees it load', async () => {
		const fetcher = vi.fn(async () => 'fresh');
		const store = createQuery({ key: ['once'], fetcher, options: { placeholderData: keepPrevious, gcTime: 1000 } }, client);
		const stop = store.subscribe(() => {});
		await flush();
		stop();
		await flush(1000);
		expect(client.getState(['once'])).toBeUndefined();

		const seen: QoraState<string>[] = [];
		const stopAgain = store.subscribe((state) => seen.push(state));
		expect(seen.at(-1)).toMatchObject({ status: 'pending', isPlaceholderData: false });
		stopAgain();
	});

	it('neither re-watches nor emits when the store re-emits an equal key, but uses the new fetcher from then on', async () => {
		const first = vi.fn(async () => 'from first');
		const second = vi.fn(async () => 'from second');
		const config = writable<CreateQueryConfig<string>>({ key: ['user', { id: 1 }], fetcher: first });
		const store = createQuery(config, client);
		const seen: QoraState<string>[] = [];
		const stop = store.subscribe((state) => seen.push(state));
		await flush();
		expect(seen).toHaveLength(2);

		// Structurally equal key (a new array), new fetcher.
		config.set({ key: ['user', { id: 1 }], fetcher: second });
		await flush();
		expect(seen).toHaveLength(2);
		expect(second).not.toHaveBeenCalled();

		await client.invalidate(['user', { id: 1 }]);
		expect(first).toHaveBeenCalledTimes(1);
		expect(second).toHaveBeenCalledTimes(1);
		expect(seen.at(-1)?.data).toBe('from second');
		stop();
	});

	it('applies new options for an equal key: turning enabled on starts the fetch', async () => {
		const fetcher = vi.fn(async () => 'now');
		const config = writable<CreateQueryConfig<string>>({ key: ['gated'], fetcher, options: { enabled: false } });
		const store = createQuery(config, client);
		const seen: QoraState<string>[] = [];
		const stop = store.subscribe((state) => seen.push(state));
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(seen.at(-1)).toMatchObject({ status: 'pending', fetchStatus: 'idle' });

		config.set({ key: ['gated'], fetcher, options: { enabled: true } });
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'now' });
		stop();
	});

	it('emits nothing when new options for an equal key change nothing on screen', async () => {
		const fetcher = vi.fn(async () => 'steady');
		const config = writable<CreateQueryConfig<string>>({ key: ['steady'], fetcher });
		const store = createQuery(config, client);
		const seen: QoraState<string>[] = [];
		const stop = store.subscribe((state) => seen.push(state));
		await flush();

		config.set({ key: ['steady'], fetcher, options: { staleTime: Infinity, gcTime: 1000 } });
		await flush();
		expect(seen).toHaveLength(2);
		expect(fetcher).toHaveBeenCalledTimes(1);

		// The new staleTime is in force: an hour later the data is still fresh.
		await flush(60 * 60_000);
		expect(seen.at(-1)?.isStale).toBe(false);
		stop();
	});

	it('does not refetch stale data when an option of an equal key changes, even an inline function re-created per emission', async () => {
		const fetcher = vi.fn(async () => 'x');
		const config = writable<CreateQueryConfig<string>>({ key: ['k'], fetcher, options: { staleTime: 0, retry: (n) => n < 2 } });
		const stop = createQuery(config, client).subscribe(() => {});
		await flush();
		config.set({ key: ['k'], fetcher, options: { staleTime: 0, retry: (n) => n < 2 } });
		await flush();
		config.set({ key: ['k'], fetcher, options: { staleTime: 0, retry: (n) => n < 2, refetchInterval: 60_000 } });
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		stop();
	});

	it('keeps polling on its rhythm while the config store re-emits more often than the interval', async () => {
		const fetcher = vi.fn(async () => 'x');
		const config = writable<CreateQueryConfig<string>>({ key: ['k'], fetcher, options: { refetchInterval: 1000 } });
		const stop = createQuery(config, client).subscribe(() => {});
		await flush();
		for (let i = 0; i < 5; i++) {
			await flush(900);
			config.set({ key: ['k'], fetcher, options: { refetchInterval: 1000, gcTime: 60_000 + i } });
		}
		// 4.5 s: the first fetch and four polls.
		expect(fetcher).toHaveBeenCalledTimes(5);
		stop();
	});

	it('follows a key or options changed in place on the config object and set again ($config.key = …)', async () => {
		const fetcher = vi.fn(async ({ key }: FetchContext) => `page ${String(key[1])}`);
		const config = writable<CreateQueryConfig<string>>({ key: ['page', 1], fetcher, options: { enabled: true } });
		const query = createQuery(config, client);
		const seen: QoraState<string>[] = [];
		const stop = query.subscribe((state) => seen.push(state));
		await flush();
		config.update((value) => {
			value.key = ['page', 2];
			return value;
		});
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(seen.at(-1)?.data).toBe('page 2');

		config.update((value) => {
			(value.options as { enabled: boolean }).enabled = false;
			return value;
		});
		await client.invalidate(['page', 2]); // a disabled watcher does not refetch
		expect(fetcher).toHaveBeenCalledTimes(2);
		stop();
	});

	it('keeps page 1’s fetcher for page 1’s retry when the config is changed in place to page 2, key and fetcher together', async () => {
		let page1Attempts = 0;
		const fetchPage = vi.fn(async (page: number) => {
			if (page === 1 && ++page1Attempts === 1) throw new Error('503');
			return `items of page ${page}`;
		});
		const config = writable<CreateQueryConfig<string>>({ key: ['items', 1], fetcher: () => fetchPage(1), options: { retry: 1 } });
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, client).subscribe((state) => seen.push(state));
		await flush(); // page 1's first attempt fails; its retry is due in 1 s
		config.update((value) => {
			value.key = ['items', 2];
			value.fetcher = () => fetchPage(2);
			return value;
		});
		await flush();
		expect(seen.at(-1)?.data).toBe('items of page 2');
		await flush(1000); // page 1's retry goes out, its watcher gone: with page 1's fetcher, not the object's new one
		expect(fetchPage.mock.calls.map(([page]) => page)).toEqual([1, 2, 1]);
		expect(client.getQueryData(['items', 1])).toBe('items of page 1');
		stop();
	});

	it('treats a $state object held by reference in the key the same before and after another change: an in-place change is not followed', async () => {
		const fetcher = vi.fn(async ({ key }: FetchContext) => JSON.stringify(key));
		const { component } = render(FilteredList, { client, fetcher });
		const list = component as unknown as { toggle(): void; nextPage(): void };
		await flush();
		expect(screen.getByTestId('todos')).toHaveTextContent('["todos",{"done":false},1]');

		list.toggle(); // done: true, in place: the toStore function read only the reference
		await flush();
		expect(screen.getByTestId('todos')).toHaveTextContent('["todos",{"done":false},1]');

		list.nextPage(); // a new config: its key is read as it is now
		await flush();
		expect(screen.getByTestId('todos')).toHaveTextContent('["todos",{"done":true},2]');

		list.toggle(); // done: false, in place: still not followed (it used to be, from the second config on)
		await flush();
		expect(screen.getByTestId('todos')).toHaveTextContent('["todos",{"done":true},2]');
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('follows $state through toStore in a runes component, keeping the previous page', async () => {
		const { fetcher, answer } = pages();
		const paged = vi.fn(({ key }: FetchContext) => {
			const { page } = key[1] as { page: number };
			return fetcher({ key: ['page', page], signal: new AbortController().signal }).then((text) => [text]);
		});
		render(Provide, { client, view: PagedList, viewProps: { fetcher: paged } });
		expect(screen.getByText('loading')).toBeInTheDocument();
		await answer(1);
		expect(screen.getByText('page 1 data')).toBeInTheDocument();

		await fireEvent.click(screen.getByRole('button', { name: 'next' }));
		expect(screen.getByTestId('page')).toHaveTextContent('page 2');
		expect(screen.getByText('page 1 data')).toBeInTheDocument();
		expect(screen.getByRole('list')).toHaveClass('dimmed');
		expect(screen.getByTestId('flags')).toHaveTextContent('placeholder=true fetchStatus=fetching');

		await answer(2);
		expect(screen.getByText('page 2 data')).toBeInTheDocument();
		expect(screen.queryByText('page 1 data')).not.toBeInTheDocument();
		expect(screen.getByRole('list')).not.toHaveClass('dimmed');
	});
});

describe('a config store that misbehaves later', () => {
	it('an invalid later config (an id that turned undefined) is reported, keeps the current watch, and leaves other stores working', async () => {
		const reported: unknown[] = [];
		const reporting = new QoraClient({ onError: (error) => reported.push(error) });
		const userId = writable<number | undefined>(1);
		// The types refuse ['user', id] with id possibly undefined; JavaScript, or a cast, does not.
		const config = derived(userId, (id) => ({ key: ['user', id] as QueryKeyInput, fetcher: async () => `user ${id}`, options: { enabled: id !== undefined } }));
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, reporting).subscribe((state) => seen.push(state));
		await flush();
		expect(() => userId.set(undefined)).not.toThrow();
		expect(reported).toHaveLength(1);
		expect(String(reported[0])).toContain('key[1] is undefined');
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'user 1' });
		// svelte/store's queue still delivers, to every store of the app.
		const other = writable('a');
		const values: string[] = [];
		other.subscribe((value) => values.push(value));
		other.set('b');
		expect(values).toEqual(['a', 'b']);
		userId.set(2);
		await flush();
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'user 2' });
		stop();
		reporting.dispose();
	});

	it('a later key whose initialData throws is reported, and the previous key stays watched', async () => {
		const reported: unknown[] = [];
		const reporting = new QoraClient({ onError: (error) => reported.push(error) });
		const fetcher = vi.fn(async ({ key }: FetchContext) => `data of ${String(key[1])}`);
		const config = plainStore<CreateQueryConfig<string>>({ key: ['item', 1], fetcher, options: { refetchInterval: 1000 } });
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, reporting).subscribe((state) => seen.push(state));
		await flush();
		config.set({
			key: ['item', 2],
			fetcher,
			options: {
				initialData: () => {
					throw new Error('bad initial data');
				}
			}
		});
		expect(reported).toEqual([expect.objectContaining({ message: 'bad initial data' })]);
		const before = fetcher.mock.calls.length;
		await flush(2_500);
		expect(fetcher.mock.calls.length - before).toBe(2); // key 1 still polls
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'data of 1' });
		stop();
		reporting.dispose();
	});

	it('a failed switch leaves the previous key watched as it was: no refetch, polling keeps its rhythm', async () => {
		const reporting = new QoraClient({ onError: () => {} });
		const fetcher = vi.fn(async ({ key }: FetchContext) => `data of ${String(key[1])}`);
		const config = plainStore<CreateQueryConfig<string>>({ key: ['item', 1], fetcher, options: { staleTime: 0, refetchInterval: 1000 } });
		const stop = createQuery(config, reporting).subscribe(() => {});
		await flush(900);
		expect(fetcher).toHaveBeenCalledTimes(1);
		const throwing = () => {
			throw new Error('bad initial data');
		};
		config.set({ key: ['item', 2], fetcher, options: { initialData: throwing } });
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		await flush(150); // t = 1050: the poll due at 1000 ran
		expect(fetcher).toHaveBeenCalledTimes(2);
		stop();
		reporting.dispose();
	});

	it('ignores a value the store sends while it is being unsubscribed', async () => {
		const fetcher = vi.fn(async ({ key }: FetchContext) => String(key[1]));
		const store = {
			subscribe(run: (config: CreateQueryConfig<string>) => void) {
				run({ key: ['s', 1], fetcher });
				return () => run({ key: ['s', 2], fetcher });
			}
		};
		const stop = createQuery(store, client).subscribe(() => {});
		await flush();
		stop();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('options with TanStack’s nested queries are told plainly that the option is unknown', () => {
		expect(() => createQuery({ key: ['q'], fetcher: async () => 1, options: { queries: {} } as never }, client)).toThrow(
			/unknown option "queries"$/
		);
	});

	it('options set for the new key while it is first emitted take effect', async () => {
		const fetcher = vi.fn(async () => 'x');
		const config = plainStore<CreateQueryConfig<string>>({ key: ['a'], fetcher });
		let switched = false;
		let asked = false;
		const stop = createQuery(config, client).subscribe((state) => {
			if (switched && !asked && state.status === 'pending') {
				asked = true;
				config.set({ key: ['b'], fetcher, options: { refetchInterval: 1000 } });
			}
		});
		await flush();
		switched = true;
		config.set({ key: ['b'], fetcher });
		await flush();
		expect(asked).toBe(true);
		const before = fetcher.mock.calls.length;
		await flush(3_500);
		expect(fetcher.mock.calls.length - before).toBe(3);
		stop();
	});

	it('options set for the new key while it is first emitted raise no error', async () => {
		const reported: unknown[] = [];
		const reporting = new QoraClient({ onError: (error) => reported.push(error) });
		const fetcher = vi.fn(async () => 'x');
		const config = plainStore<CreateQueryConfig<string>>({ key: ['a'], fetcher });
		let switched = false;
		const stop = createQuery(config, reporting).subscribe((state) => {
			if (switched && state.status === 'pending') {
				switched = false;
				config.set({ key: ['b'], fetcher, options: { staleTime: 1000 } });
			}
		});
		await flush();
		switched = true;
		config.set({ key: ['b'], fetcher });
		await flush();
		expect(reported).toEqual([]);
		stop();
		reporting.dispose();
	});

	it('does not fetch a key left during its own first emission for options set for it meanwhile', async () => {
		const fetcher = vi.fn(async ({ key }: FetchContext) => String(key[0]));
		const config = plainStore<CreateQueryConfig<string>>({ key: ['a'], fetcher });
		let redirect = false;
		const stop = createQuery(config, client).subscribe((state) => {
			if (redirect && state.status === 'pending') {
				redirect = false;
				// Key b turns enabled, and right away the user moves on to key c.
				config.set({ key: ['b'], fetcher, options: { enabled: true } });
				config.set({ key: ['c'], fetcher });
			}
		});
		await flush();
		redirect = true;
		config.set({ key: ['b'], fetcher, options: { enabled: false } });
		await flush();
		expect(fetcher.mock.calls.map(([context]) => context.key)).toEqual([['a'], ['c']]);
		stop();
	});

	it('accepts a store whose subscribe returns { unsubscribe } (RxJS interop) and ends its subscription', async () => {
		let subscribed = 0;
		const fetcher = vi.fn(async () => 'x');
		const rx = {
			subscribe(run: (config: CreateQueryConfig<string>) => void) {
				subscribed++;
				run({ key: ['rx'], fetcher, options: { refetchInterval: 1000 } });
				return { unsubscribe: () => void subscribed-- };
			}
		};
		const stop = createQuery(rx as unknown as Readable<CreateQueryConfig<string>>, client).subscribe(() => {});
		await flush();
		expect(() => stop()).not.toThrow();
		expect(subscribed).toBe(0);
		const calls = fetcher.mock.calls.length;
		await flush(5_000);
		expect(fetcher.mock.calls.length).toBe(calls);
	});
});

describe("the README's pager (fetcher made from the key's values)", () => {
	it('retries page 1 with page 1’s URL after the user moved to page 2, and shows page 1’s items on the way back', async () => {
		let page1Attempts = 0;
		const fetchPage = vi.fn(async (url: string) => {
			if (url.endsWith('page=1') && ++page1Attempts === 1) throw new Error('503');
			return [`item of ${url}`];
		});
		render(Provide, { client, view: ReadmePager, viewProps: { fetchPage } });
		await flush(); // page 1's first attempt fails; its retry is due in 1 s
		await fireEvent.click(screen.getByRole('button', { name: 'next' }));
		await flush();
		expect(screen.getByTestId('items')).toHaveTextContent('item of /api/items?page=2');
		await flush(1000); // page 1's retry goes out, its watcher gone
		expect(fetchPage.mock.calls.map(([url]) => url)).toEqual(['/api/items?page=1', '/api/items?page=2', '/api/items?page=1']);
		await fireEvent.click(screen.getByRole('button', { name: 'prev' }));
		await flush();
		expect(screen.getByTestId('items')).toHaveTextContent('item of /api/items?page=1');
	});
});

describe('keepPrevious turned off for the same key', () => {
	it('takes the placeholder off the screen at once', async () => {
		const next = deferred<string>();
		const fetcher = vi.fn(({ key }: FetchContext) => (key[1] === 1 ? Promise.resolve('one') : next.promise));
		const page = writable(1);
		const keep = writable(true);
		const config = derived([page, keep], ([p, k]): CreateQueryConfig<string> => ({
			key: ['p', p],
			fetcher,
			options: k ? { placeholderData: keepPrevious } : {}
		}));
		const seen: QoraState<string>[] = [];
		const stop = createQuery(config, client).subscribe((state) => seen.push(state));
		await flush();
		page.set(2);
		expect(seen.at(-1)).toMatchObject({ isPlaceholderData: true, data: 'one' });
		keep.set(false);
		expect(seen.at(-1)).toMatchObject({ status: 'pending', isPlaceholderData: false, data: undefined });
		next.resolve('two');
		await flush();
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'two' });
		expect(fetcher).toHaveBeenCalledTimes(2);
		stop();
	});
});
