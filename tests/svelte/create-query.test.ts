import { fireEvent, render, screen } from '@testing-library/svelte';
import { derived, get, writable } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient, keepPrevious as coreKeepPrevious, type QoraState, type QueryKeyInput } from '../../src/lib/index.js';
import { createQuery, keepPrevious, type CreateQueryConfig } from '../../src/lib/svelte/index.js';
import LegacyQuery from './components/LegacyQuery.svelte';
import Provide from './components/Provide.svelte';
import QueryView from './components/QueryView.svelte';
import ReadmeSearch from './components/ReadmeSearch.svelte';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('createQuery in a component', () => {
	it('renders the loading branch first, then the data', async () => {
		const answer = deferred<string>();
		render(Provide, { client, view: QueryView, viewProps: { config: { key: ['greeting'], fetcher: () => answer.promise } } });
		expect(screen.getByText('loading')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=fetching');

		answer.resolve('hello');
		await flush();
		expect(screen.getByText('data: "hello"')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=success fetchStatus=idle');
	});

	it('calls the fetcher once for two components showing the same key', async () => {
		const fetcher = vi.fn(async () => 'shared');
		render(Provide, { client, view: QueryView, viewProps: { config: { key: ['shared'], fetcher } }, count: 2 });
		expect(screen.getAllByText('loading')).toHaveLength(2);

		await flush();
		expect(screen.getAllByText('data: "shared"')).toHaveLength(2);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('shows retries through failureCount, then the error branch once retries run out', async () => {
		const fetcher = vi.fn(async () => {
			throw new Error('server down');
		});
		const config = { key: ['flaky'], fetcher, options: { retry: 2, retryDelay: 1000 } };
		render(Provide, { client, view: QueryView, viewProps: { config } });
		const meta = screen.getByTestId('query-meta');

		await flush();
		expect(meta).toHaveTextContent('status=pending fetchStatus=fetching failureCount=1');
		expect(screen.getByText('loading')).toBeInTheDocument();

		await flush(1000);
		expect(meta).toHaveTextContent('failureCount=2');
		expect(fetcher).toHaveBeenCalledTimes(2);

		await flush(1000);
		expect(fetcher).toHaveBeenCalledTimes(3);
		expect(screen.getByText('error: server down')).toBeInTheDocument();
		expect(meta).toHaveTextContent('status=error fetchStatus=idle failureCount=3');
	});

	it('works in a legacy-mode component through $query', async () => {
		const answer = deferred<number[]>();
		render(Provide, { client, view: LegacyQuery, viewProps: { config: { key: ['legacy'], fetcher: () => answer.promise } } });
		expect(screen.getByText('loading')).toBeInTheDocument();

		answer.resolve([1, 2]);
		await flush();
		expect(screen.getByText('data: [1,2]')).toBeInTheDocument();
	});

	it('stops watching on unmount: no further fetches, and the entry is collected after gcTime', async () => {
		const fetcher = vi.fn(async () => 'polled');
		const config = { key: ['polled'], fetcher, options: { refetchInterval: 1000, gcTime: 10_000 } };
		const { unmount } = render(Provide, { client, view: QueryView, viewProps: { config } });
		await flush(1000);
		expect(fetcher).toHaveBeenCalledTimes(2); // the first fetch and one poll: the watch was live

		unmount();
		await flush(5000);
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getQueryData(['polled'])).toBe('polled');

		await flush(5000);
		expect(client.getState(['polled'])).toBeUndefined();
		expect(client.size).toBe(0);
	});

	it('takes the client as an argument when given one, without context', async () => {
		render(QueryView, { config: { key: ['explicit'], fetcher: async () => 'no context needed' }, client });
		await flush();
		expect(screen.getByText('data: "no context needed"')).toBeInTheDocument();
	});
});

describe('createQuery store contract', () => {
	it('calls a new subscriber at once and returns an unsubscriber that ends the watch', async () => {
		const fetcher = vi.fn(async () => 1);
		const store = createQuery({ key: ['n'], fetcher }, client);
		expect(fetcher).not.toHaveBeenCalled(); // creating the store does not fetch

		const seen: QoraState<number>[] = [];
		const stop = store.subscribe((state) => seen.push(state));
		expect(seen.map((s) => `${s.status}/${s.fetchStatus}`)).toEqual(['pending/fetching']);
		await flush();
		expect(seen.map((s) => `${s.status}/${s.fetchStatus}`)).toEqual(['pending/fetching', 'success/idle']);

		stop();
		await client.invalidate(['n']);
		expect(fetcher).toHaveBeenCalledTimes(1); // unwatched: invalidation does not refetch
		expect(seen).toHaveLength(2);
	});

	it('calls the fetcher as the core does: with the fetch context only, and no `this`', async () => {
		const receivers: unknown[] = [];
		const fetcher = vi.fn(function (this: unknown) {
			receivers.push(this);
			return Promise.resolve(1);
		});
		const stop = createQuery({ key: ['plain-call'], fetcher }, client).subscribe(() => {});
		await client.fetchQuery({ key: ['core-call'], fetcher });
		expect(receivers).toEqual([undefined, undefined]);
		expect(fetcher.mock.calls.map((call) => Object.keys((call as unknown[])[0] as object).sort())).toEqual([
			['key', 'signal'],
			['key', 'signal']
		]);
		stop();
	});

	it('delivers states restoreQueryData treats as getState snapshots: one taken before a clear() (a logout) puts nothing back', async () => {
		const store = createQuery({ key: ['todos'], fetcher: async () => ['old user’s todo'] }, client);
		const stop = store.subscribe(() => {});
		await flush();
		const snapshot = get(store); // what `$todos` holds in a mutation's onMutate
		client.setQueryData(['todos'], ['old user’s todo', 'optimistic']);
		client.restoreQueryData(['todos'], snapshot); // the save failed: the rollback works
		expect(client.getQueryData(['todos'])).toEqual(['old user’s todo']);
		client.setQueryData(['todos'], ['old user’s todo', 'optimistic']);
		client.clear(); // the user logs out while the save is out
		client.restoreQueryData(['todos'], snapshot);
		expect(get(store).data).toBeUndefined();
		stop();
	});

	it('gives every subscriber the same object, and emits nothing when nothing changed', async () => {
		const store = createQuery({ key: ['same'], fetcher: async () => 'x' }, client);
		const first: QoraState<string>[] = [];
		const second: QoraState<string>[] = [];
		const stopFirst = store.subscribe((state) => first.push(state));
		await flush();
		const stopSecond = store.subscribe((state) => second.push(state));
		expect(second[0]).toBe(first.at(-1));

		// A change to an unrelated key, and time passing within staleTime, are no news.
		client.setQueryData(['other'], 'y');
		await flush(60_000);
		expect(first).toHaveLength(2);
		expect(second).toHaveLength(1);
		stopFirst();
		stopSecond();
	});

	it('gives a subscriber that comes back after the last one left the same state object, once', async () => {
		const store = createQuery({ key: ['again'], fetcher: async () => 'x' }, client);
		const stop = store.subscribe(() => {});
		await flush();
		const before = get(store);
		stop();

		const seen: QoraState<string>[] = [];
		const stopAgain = store.subscribe((state) => seen.push(state));
		expect(seen[0]).toBe(before);
		await flush();
		expect(seen).toHaveLength(1); // fresh data: no refetch, nothing new
		stopAgain();
	});

	it('throws at creation for an invalid key, fetcher, option or placeholderData', () => {
		const fetcher = async () => 1;
		expect(() => createQuery({ key: [() => 1], fetcher }, client)).toThrow(/Invalid query key: key\[0\]/);
		expect(() => createQuery({ key: ['k'], fetcher: 'nope' as never }, client)).toThrow(/"fetcher" must be a function/);
		expect(() => createQuery({ key: ['k'], fetcher, options: { stalTime: 1 } as never }, client)).toThrow(
			/unknown option "stalTime".*did you mean "staleTime"/
		);
		expect(() => createQuery({ key: ['k'], fetcher, options: { placeholderData: 'old' as never } }, client)).toThrow(
			/"placeholderData" must be keepPrevious/
		);
	});

	it('refuses a promise given as initialData (initialData: fetchSeed()) at the call, as other bad options are, not at the first subscribe', () => {
		const fetcher = async () => 1;
		const initialData = new Promise<number>(() => {}) as unknown as number;
		expect(() => createQuery({ key: ['k'], fetcher, options: { initialData } }, client)).toThrow(
			/^createQuery: initialData is a promise: pass the data itself, or let the fetcher load it$/
		);
		expect(client.size).toBe(0);
	});

	it('rejects options that are an array, as watchQuery does, instead of taking it for empty options', () => {
		const fetcher = async () => 1;
		expect(() => createQuery({ key: ['k'], fetcher, options: [] as never }, client)).toThrow(/^createQuery: options must be an object, got an array$/);
		expect(() => createQuery({ key: ['k'], fetcher, options: ['staleTime'] as never }, client)).toThrow(/^createQuery: options must be an object, got an array$/);
	});

	it('says placeholderData must be keepPrevious even for a value that has no string form', () => {
		const fetcher = async () => 1;
		expect(() => createQuery({ key: ['k'], fetcher, options: { placeholderData: Object.create(null) } }, client)).toThrow(
			/^createQuery: option "placeholderData" must be keepPrevious/
		);
	});

	it('shares one query definition with keepPrevious between a load’s prefetchQuery and the page', async () => {
		const itemsQuery = (page: number) => ({
			key: ['items', page],
			fetcher: async () => [page],
			options: { placeholderData: keepPrevious, staleTime: 60_000 }
		});
		await client.prefetchQuery(itemsQuery(1));
		await expect(client.fetchQuery(itemsQuery(1))).resolves.toEqual([1]);
		const seen: QoraState<number[]>[] = [];
		const stop = createQuery(itemsQuery(1), client).subscribe((state) => seen.push(state));
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: [1], fetchStatus: 'idle' });
		stop();
	});

	it('accepts keepPrevious imported from qora (the same value as qora/svelte’s)', () => {
		expect(coreKeepPrevious).toBe(keepPrevious);
		const seen: QoraState<number>[] = [];
		const page = writable(1);
		const stop = createQuery(
			derived(page, (n) => ({ key: ['items', n], fetcher: async () => n, options: { placeholderData: coreKeepPrevious } })),
			client
		).subscribe((state) => seen.push(state));
		client.setQueryData(['items', 1], 1);
		page.set(2);
		expect(seen.at(-1)).toMatchObject({ data: 1, isPlaceholderData: true });
		stop();
	});

	it('refuses a config that is not an object, or options that are null, naming what it got', () => {
		expect(() => createQuery(null as never, client)).toThrow(/^createQuery: expected \{ key, fetcher, options\? \} or a store of it, got null$/);
		expect(() => createQuery('todos' as never, client)).toThrow(/^createQuery: expected \{ key, fetcher, options\? \} or a store of it, got string$/);
		expect(() => createQuery(undefined as never, client)).toThrow(/^createQuery: expected \{ key, fetcher, options\? \} or a store of it, got undefined$/);
		expect(() => createQuery({ key: ['k'], fetcher: async () => 1, options: null as never }, client)).toThrow(/^createQuery: options must be an object, got null$/);
		// A store's value is checked the same way, when the store is subscribed.
		expect(() => createQuery(writable(null as never), client).subscribe(() => {})).toThrow(/^createQuery: expected \{ key, fetcher, options\? \} or a store of it, got null$/);
	});

	it('points a getter, as TanStack Query v6 takes it, to toStore', () => {
		const config = () => ({ key: ['k'], fetcher: async () => 1 });
		expect(() => createQuery(config as never, client)).toThrow(
			/^createQuery: expected \{ key, fetcher, options\? \} or a store of it \(wrap a getter in toStore, from svelte\/store\), got function$/
		);
	});

	it('names itself, and where an option put beside the key belongs, in its errors', () => {
		const fetcher = async () => 1;
		expect(() => createQuery({ key: ['k'], fetcher, staleTime: 0 } as never, client)).toThrow(
			/^createQuery: unknown field "staleTime"; query options go in options: \{ staleTime \}/
		);
		expect(() => createQuery({ key: ['k'], fetcher, placeholderData: keepPrevious } as never, client)).toThrow(
			/^createQuery: unknown field "placeholderData"; query options go in options/
		);
		expect(() => createQuery({ key: ['k'], fetcher, options: { stalTime: 1 } as never }, client)).toThrow(/^createQuery: unknown option "stalTime"/);
		expect(client.size).toBe(0);
	});

	it('throws when its config store emits an invalid config', () => {
		const configs = writable({ key: [undefined] as never[], fetcher: async () => 1 }); // the types refuse it; JavaScript does not
		const store = createQuery(configs, client);
		expect(() => store.subscribe(() => {})).toThrow(/Invalid query key/);
	});

	it('leaves nothing subscribed when the first config was invalid: fixing it later fetches nothing until someone subscribes', async () => {
		const fetcher = vi.fn(async () => 1);
		const configs = writable({ key: [undefined] as unknown as QueryKeyInput, fetcher }); // e.g. ['projects', user?.id] before the user loads (a cast or JavaScript)
		const store = createQuery(configs, client);
		expect(() => store.subscribe(() => {})).toThrow(/Invalid query key/);
		configs.set({ key: ['fixed'], fetcher });
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(client.size).toBe(0);

		const stop = store.subscribe(() => {});
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		stop();
		await flush(10 * 60_000); // past gcTime: nothing keeps watching
		expect(client.getState(['fixed'])).toBeUndefined();
	});

	it('leaves nothing subscribed when the subscriber itself throws on its first call: no polling, the entry is collected', async () => {
		const fetcher = vi.fn(async () => 'x');
		const store = createQuery({ key: ['orphan'], fetcher, options: { gcTime: 1000, refetchInterval: 5000 } }, client);
		expect(() =>
			store.subscribe(() => {
				throw new Error('subscriber broke');
			})
		).toThrow('subscriber broke');
		await flush(60_000);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.size).toBe(0);
		// The next subscriber starts afresh.
		const seen: unknown[] = [];
		const stop = store.subscribe((state) => seen.push(state.data));
		await flush();
		expect(seen.at(-1)).toBe('x');
		stop();
	});

	it('recovers from a subscribe that threw: the error reaches that subscriber, and a later one fetches afresh', async () => {
		let broken = true;
		const fetcher = vi.fn(async () => ({ theme: 'dark' }));
		const query = createQuery(
			{
				key: ['settings'],
				fetcher,
				options: {
					initialData: () => {
						if (broken) throw new SyntaxError('bad JSON');
						return undefined;
					}
				}
			},
			client
		);
		expect(() => query.subscribe(() => {})).toThrow('bad JSON');

		broken = false;
		const seen: QoraState<{ theme: string }>[] = [];
		const stop = query.subscribe((state) => seen.push(state));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: { theme: 'dark' } });
		stop();
	});

	it('leaves no subscription on its config store when a subscribe threw, and recovers for a later subscriber', async () => {
		let broken = true;
		const fetcher = vi.fn(async () => 'fetched');
		const initialData = () => {
			if (broken) throw new SyntaxError('bad JSON');
			return undefined;
		};
		const configs = writable<CreateQueryConfig<string>>({ key: ['settings'], fetcher, options: { initialData } });
		const query = createQuery(configs, client);
		expect(() => query.subscribe(() => {})).toThrow('bad JSON');

		broken = false;
		configs.set({ key: ['other'], fetcher, options: { initialData } }); // nobody subscribes: nothing may follow it
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
		expect(client.size).toBe(0);

		const seen: QoraState<string>[] = [];
		const stop = query.subscribe((state) => seen.push(state));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(seen.at(-1)).toMatchObject({ status: 'success', data: 'fetched' });
		stop();
	});

	it('throws a clear error when created outside a component without a client', () => {
		expect(() => createQuery({ key: ['k'], fetcher: async () => 1 })).toThrow(
			/can only be called while a component initialises.*pass the client explicitly/
		);
	});
});

describe("the README's Search (enabled waits for a term)", () => {
	type Hit = { id: number; title: string };
	const out = () => screen.getByTestId('out').textContent;

	it('shows no spinner while the term is too short, searches from two letters, and shows the hits', async () => {
		const answers: ReturnType<typeof deferred<Hit[]>>[] = [];
		const search = vi.fn((_url: string, _signal: AbortSignal) => {
			const answer = deferred<Hit[]>();
			answers.push(answer);
			return answer.promise;
		});
		render(Provide, { client, view: ReadmeSearch, viewProps: { search } });
		const input = screen.getByRole('textbox');
		expect(out()).toBe(''); // pending with nothing to fetch: isPending, but not isLoading
		await fireEvent.input(input, { target: { value: 'a' } });
		await flush();
		expect(out()).toBe('');
		expect(search).not.toHaveBeenCalled();
		expect(client.getState(['search', 'a'])).toMatchObject({ status: 'pending', fetchStatus: 'idle', isPending: true, isLoading: false });

		await fireEvent.input(input, { target: { value: 'ab' } });
		await flush();
		expect(search).toHaveBeenCalledTimes(1);
		expect(search.mock.calls[0]?.[0]).toBe('/api/search?q=ab');
		expect(out()).toBe('Searching…');
		answers[0]?.resolve([{ id: 1, title: 'About' }, { id: 2, title: 'Abba' }]);
		await flush();
		expect(out()).toBe('2 hits');

		// Back to one letter: the query waits again; nothing is fetched and no spinner shows.
		await fireEvent.input(input, { target: { value: 'a' } });
		await flush();
		expect(out()).toBe('');
		// Back to the term already searched: its fresh hits show at once, without a request.
		await fireEvent.input(input, { target: { value: 'ab' } });
		await flush();
		expect(out()).toBe('2 hits');
		expect(search).toHaveBeenCalledTimes(1);
	});
});
