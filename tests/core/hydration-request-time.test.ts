/**
 * Hydration weighs data by when its request went out (`requestedAt`), on both sides:
 * the server's data and the browser's are each only known to be as new as their
 * requests. And an invalidation made on the server leaves the browser's data stale,
 * whatever fetch was in flight when it arrived.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, dehydrate, hydrate, type DehydratedState } from '../../src/lib/index.js';
import { T0, advance, controlledFetcher, flush, steppableClock, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const payload = (entry: DehydratedState['entries'][number]): DehydratedState => wire({ version: 1, entries: [entry] });

describe('data whose request went out later is newer, whenever it finished', () => {
	it('a later-requested streamed payload replaces an earlier-requested one that finished first', async () => {
		const browser = new QoraClient();
		// Server read A: went out at T0 (before a save), answered at T0+10s.
		// Server read B: went out at T0+5s (after the save: a form action's invalidateAll), answered at T0+11s.
		await advance(10_000);
		hydrate(browser, payload({ key: ['todos'], status: 'success', data: 'A: read from T0, before the save', dataUpdatedAt: T0 + 10_000, requestedAt: T0 }));
		await advance(1_000);
		hydrate(browser, payload({ key: ['todos'], status: 'success', data: 'B: read from T0+5s, after the save', dataUpdatedAt: T0 + 11_000, requestedAt: T0 + 5_000 }));
		expect(browser.getQueryData(['todos'])).toBe('B: read from T0+5s, after the save');
	});

	it('a later-requested server payload replaces the browser’s own slow fetch that went out earlier', async () => {
		const browser = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const own = browser.fetchQuery({ key: ['todos'], fetcher }); // request out at T0
		await advance(10_000);
		call(0).resolve('browser: read from T0, before the save');
		await own; // dataUpdatedAt T0+10s
		await advance(1_000);
		hydrate(browser, payload({ key: ['todos'], status: 'success', data: 'server: read from T0+5s, after the save', dataUpdatedAt: T0 + 11_000, requestedAt: T0 + 5_000 }));
		expect(browser.getQueryData(['todos'])).toBe('server: read from T0+5s, after the save');
	});
});

describe('an invalidated record and a browser fetch sent before the server invalidated', () => {
	async function run(requestedAt: number | undefined) {
		const browser = new QoraClient();
		const { fetcher, calls, call } = controlledFetcher<string>();
		await advance(2_000);
		const stop = browser.watchQuery({ key: ['k'], fetcher }).subscribe(() => {}); // browser request out at T0+2s
		await advance(3_000);
		// Server: read went out at T0, answered at T0+4s, then the server invalidated it (>= T0+4s).
		hydrate(
			browser,
			payload({ key: ['k'], status: 'success', data: 'server', dataUpdatedAt: T0 + 4_000, ...(requestedAt === undefined ? {} : { requestedAt }), invalidated: true })
		);
		call(0).resolve('browser: sent at T0+2s, before the server invalidated');
		await flush();
		const state = browser.getState(['k']);
		stop();
		return { state, fetches: calls.length };
	}

	it('control: without requestedAt the fetch sent before the invalidation is overridden and refetched', async () => {
		const { state, fetches } = await run(undefined);
		expect(fetches === 2 || state?.isInvalidated === true).toBe(true);
	});

	it('with requestedAt (which only makes the server data older) the invalidation is still honoured', async () => {
		const { state, fetches } = await run(T0);
		// The browser's fetch went out at T0+2s, before the server invalidated (at T0+4s or later).
		expect(fetches === 2 || state?.isInvalidated === true).toBe(true);
	});
});

describe('the request time travels on', () => {
	it('a server client that hydrates a load’s payload ships its requestedAt on', async () => {
		// +page.ts on the server hydrating data.qoraState (README) or QoraKitProvider hydrating page.data.qoraState,
		// then dehydrating the request client's cache into the HTML.
		const server = new QoraClient();
		await advance(4_000);
		hydrate(server, payload({ key: ['slow'], status: 'success', data: 'rows', dataUpdatedAt: T0 + 4_000, requestedAt: T0 }));
		expect(dehydrate(server).entries[0]).toEqual({ key: ['slow'], status: 'success', data: 'rows', dataUpdatedAt: T0 + 4_000, requestedAt: T0 });
	});

	it('restoring a snapshot of the same fetched data keeps its requestedAt', async () => {
		const server = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const fetched = server.fetchQuery({ key: ['slow'], fetcher });
		await advance(4_000);
		call(0).resolve('rows');
		await fetched;
		const snapshot = server.getState<string>(['slow']);
		await server.invalidate(['slow']); // unwatched: only marks it
		server.restoreQueryData(['slow'], snapshot); // same data, same dataUpdatedAt; only isInvalidated changes
		expect(dehydrate(server).entries[0]).toEqual({ key: ['slow'], status: 'success', data: 'rows', dataUpdatedAt: T0 + 4_000, requestedAt: T0 });
	});
});

describe('an invalidated record from a server clock ahead, with a fetch in flight', () => {
	it('the browser fetch sent before the payload does not clear the server’s invalidation', async () => {
		const browser = new QoraClient();
		const { fetcher, calls, call } = controlledFetcher<string>();
		const stop = browser.watchQuery({ key: ['k'], fetcher }).subscribe(() => {}); // request out at T0
		await advance(1_000);
		// Server clock 10 s ahead; it fetched, then invalidated. When it had the data is unknown.
		hydrate(browser, payload({ key: ['k'], status: 'success', data: 'server', dataUpdatedAt: T0 + 11_000, invalidated: true }));
		call(0).resolve('browser: sent at T0');
		await flush();
		const state = browser.getState(['k']);
		stop();
		// Design: "overrides no fetch in flight and clears no invalidation (at worst a refetch, never stale data shown as fresh)".
		expect(calls.length === 2 || state?.isInvalidated === true).toBe(true);
	});
});

describe('a wall clock stepped back during a browser fetch', () => {
	async function browserWithSteppedBackFetch() {
		const { clock, step } = steppableClock();
		const browser = new QoraClient({ clock });
		const { fetcher, call } = controlledFetcher<string>();
		await advance(60_000); // clock reads T0+60s
		const fetched = browser.fetchQuery({ key: ['k'], fetcher }); // startedAt T0+60s
		step(-60_000); // NTP corrects the clock back by a minute: it now reads T0
		await advance(1_000); // clock reads T0+1s
		call(0).resolve('browser: answered at T0+1s');
		await fetched; // dataUpdatedAt T0+1s, requestLead = -59s
		await advance(9_000); // clock reads T0+10s
		return browser;
	}

	it('a server payload requested after the browser’s answer (same clock frame) replaces it', async () => {
		const browser = await browserWithSteppedBackFetch();
		hydrate(browser, payload({ key: ['k'], status: 'success', data: 'server: read at T0+5s', dataUpdatedAt: T0 + 9_000, requestedAt: T0 + 5_000 }));
		expect(browser.getQueryData(['k'])).toBe('server: read at T0+5s');
	});

	it('even a payload without requestedAt, answered 8 s after the browser’s data, replaces it', async () => {
		const browser = await browserWithSteppedBackFetch();
		hydrate(browser, payload({ key: ['k'], status: 'success', data: 'server: read at T0+9s', dataUpdatedAt: T0 + 9_000 }));
		expect(browser.getQueryData(['k'])).toBe('server: read at T0+9s');
	});
});

describe('initialData against a streamed payload', () => {
	it('a streamed server payload (requested before the page mounted, answered after) replaces initialData', async () => {
		const browser = new QoraClient({ defaultOptions: { staleTime: 60_000 } }); // README's recommended setup
		const { fetcher, calls } = controlledFetcher<string[]>();
		// The server load's slow read went out at T0; the page (with initialData) mounts at T0+1s.
		await advance(1_000);
		const stop = browser.watchQuery({ key: ['posts'], fetcher, options: { initialData: [] as string[] } }).subscribe(() => {});
		await advance(4_000);
		hydrate(browser, payload({ key: ['posts'], status: 'success', data: ['p1'], dataUpdatedAt: T0 + 5_000, requestedAt: T0 }));
		const data = browser.getQueryData(['posts']);
		stop();
		expect(calls.length).toBe(0); // initialData is fresh: nothing else will bring the list for a minute
		expect(data).toEqual(['p1']);
	});
});

describe('initialData dated by initialDataUpdatedAt against a streamed payload', () => {
	// A seed stands in for the key's data: dated by initialDataUpdatedAt (often the answer time of the
	// list it comes from, later than when that list's request went out), it is still older than the
	// server's own data of the key. The date decides its staleness only.
	it('is replaced by the payload, as an undated seed is', async () => {
		const browser = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
		await advance(10_000);
		const stop = browser
			.watchQuery({ key: ['posts'], fetcher: async () => ['fetched'], options: { initialData: ['seed'], initialDataUpdatedAt: T0 + 5_000 } })
			.subscribe(() => {});
		expect(browser.getState(['posts'])).toMatchObject({ data: ['seed'], dataUpdatedAt: T0 + 5_000 });
		hydrate(browser, payload({ key: ['posts'], status: 'success', data: ['server, had at T0+4s'], dataUpdatedAt: T0 + 4_000 }));
		const data = browser.getQueryData(['posts']);
		stop();
		expect(data).toEqual(['server, had at T0+4s']);
	});

	it('the README’s recipe: a detail seeded from the list, dated by the list, gives way to the streamed detail requested after the list', async () => {
		type Todo = { id: number; title: string; body?: string };
		const client = new QoraClient();
		await advance(2_000);
		// The server load: the list went out at T0 and answered at T0+1s; the detail went out at T0+200ms
		// (streamed, answered at T0+1.5s). The list arrives with the page.
		hydrate(client, payload({ key: ['todos'], status: 'success', data: [{ id: 1, title: 'Buy milk' }], dataUpdatedAt: T0 + 1_000, requestedAt: T0 }));
		const stop = client
			.watchQuery<Todo>({
				key: ['todo', 1],
				fetcher: async () => ({ id: 1, title: 'Buy milk', body: 'from the browser' }),
				options: {
					staleTime: 60_000,
					initialData: () => client.getQueryData<Todo[]>(['todos'])?.find((todo) => todo.id === 1),
					initialDataUpdatedAt: () => client.getState(['todos'])?.dataUpdatedAt
				}
			})
			.subscribe(() => {});
		expect(client.getState(['todo', 1])).toMatchObject({ data: { id: 1, title: 'Buy milk' }, dataUpdatedAt: T0 + 1_000 });
		hydrate(client, payload({ key: ['todo', 1], status: 'success', data: { id: 1, title: 'Buy milk', body: '2 litres' }, dataUpdatedAt: T0 + 1_500, requestedAt: T0 + 200 }));
		expect(client.getQueryData(['todo', 1])).toEqual({ id: 1, title: 'Buy milk', body: '2 litres' });
		stop();
		client.dispose();
	});
});

describe('fetched data that an updater hands back unchanged', () => {
	it('keeps the time its request went out: a payload requested after that replaces it, one requested before does not', async () => {
		const browser = new QoraClient();
		const { fetcher, call } = controlledFetcher<string>();
		const fetched = ['after', 'before'].map((name) => browser.fetchQuery({ key: [name], fetcher })); // requests out at T0
		await advance(1_000);
		call(0).resolve('browser, requested at T0');
		call(1).resolve('browser, requested at T0');
		await Promise.all(fetched);
		await advance(4_000);
		for (const name of ['after', 'before']) browser.setQueryData<string>([name], (old) => old); // at T0+5s
		await advance(1_000);
		hydrate(browser, payload({ key: ['after'], status: 'success', data: 'server, requested at T0+2s', dataUpdatedAt: T0 + 6_000, requestedAt: T0 + 2_000 }));
		hydrate(browser, payload({ key: ['before'], status: 'success', data: 'server, requested at T0-0.5s', dataUpdatedAt: T0 + 6_000, requestedAt: T0 - 500 }));
		expect([browser.getQueryData(['after']), browser.getQueryData(['before'])]).toEqual(['server, requested at T0+2s', 'browser, requested at T0']);
	});
});

describe('an undated seed that an updater hands back unchanged', () => {
	it('is still older than a streamed payload (a write of the very data the entry holds is no newer than anything)', async () => {
		const browser = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
		const { fetcher, calls } = controlledFetcher<string[]>();
		// The server load's slow read went out at T0; the page with initialData mounts at T0+1s.
		await advance(1_000);
		const stop = browser.watchQuery({ key: ['posts'], fetcher, options: { initialData: [] as string[] } }).subscribe(() => {});
		await advance(1_000);
		// An event handler updates a post that is not in the list: the updater returns the list it was given.
		browser.setQueryData<string[]>(['posts'], (old) => old);
		await advance(3_000);
		hydrate(browser, payload({ key: ['posts'], status: 'success', data: ['p1'], dataUpdatedAt: T0 + 5_000, requestedAt: T0 }));
		const data = browser.getQueryData(['posts']);
		stop();
		expect(calls.length).toBe(0);
		expect(data).toEqual(['p1']);
	});
});

/** The server fetched (request out at T0), the browser fetched (request out at T0+100), then the server invalidated at T0+1500. */
async function serverInvalidatedAfterBrowserRequest(browserLandsFirst: boolean) {
	const server = new QoraClient({ defaultOptions: { retry: 0 } });
	const browser = new QoraClient({ defaultOptions: { retry: 0, staleTime: 60_000 } });
	const s = controlledFetcher<string>();
	const b = controlledFetcher<string>();
	void server.fetchQuery({ key: ['k'], fetcher: s.fetcher }); // server request out at T0
	await advance(100);
	const own = browser.fetchQuery({ key: ['k'], fetcher: b.fetcher }); // browser request out at T0+100
	await advance(100);
	if (browserLandsFirst) {
		b.call(0).resolve('browser: requested at T0+100');
		await own;
	}
	await advance(800);
	s.call(0).resolve('server: requested at T0'); // server has it at T0+1000
	await advance(500);
	await server.invalidate(['k']); // T0+1500: later than the browser's request at T0+100
	const payload = wire(dehydrate(server));
	expect(payload.entries[0]).toMatchObject({ invalidated: true, requestedAt: T0, dataUpdatedAt: T0 + 1000 });
	hydrate(browser, payload);
	if (!browserLandsFirst) {
		b.call(0).resolve('browser: requested at T0+100');
		await own;
	}
	return browser.getState<string>(['k'])!;
}

describe('an invalidated record for data the browser keeps as its own', () => {
	it('with the browser’s fetch still in flight when the record arrives, the browser’s data ends invalidated', async () => {
		const state = await serverInvalidatedAfterBrowserRequest(false);
		expect(state.data).toBe('browser: requested at T0+100');
		expect(state.isInvalidated).toBe(true);
		expect(state.isStale).toBe(true);
	});

	it('with that fetch landed before the record arrives, the browser keeps its data, invalidated, not fresh', async () => {
		const state = await serverInvalidatedAfterBrowserRequest(true);
		expect(state.data).toBe('browser: requested at T0+100');
		// The server invalidated at >= T0+1000 (its dataUpdatedAt), after the browser's request went out at T0+100.
		expect(state.isInvalidated).toBe(true);
		expect(state.isStale).toBe(true);
	});
});

describe('data put back by a rollback (restoreQueryData after an optimistic write)', () => {
	it('keeps the streamed payload over initialData when an optimistic write on the seed was rolled back', async () => {
		const browser = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
		const { fetcher, calls } = controlledFetcher<string[]>();
		// The server load's slow read went out at T0; the page (with initialData) mounts at T0+1s.
		await advance(1_000);
		const stop = browser.watchQuery({ key: ['posts'], fetcher, options: { initialData: [] as string[] } }).subscribe(() => {});
		// An optimistic add, then its mutation fails and rolls back to the seed.
		const snapshot = browser.getState<string[]>(['posts']);
		await advance(1_000);
		browser.setQueryData<string[]>(['posts'], (old) => [...(old ?? []), 'optimistic']);
		await advance(1_000);
		browser.restoreQueryData(['posts'], snapshot);
		await advance(2_000);
		hydrate(browser, payload({ key: ['posts'], status: 'success', data: ['p1'], dataUpdatedAt: T0 + 5_000, requestedAt: T0 }));
		const data = browser.getQueryData(['posts']);
		stop();
		expect(calls.length).toBe(0);
		expect(data).toEqual(['p1']); // not the empty seed, fresh for a minute
	});

	it('keeps a later-requested payload over slowly fetched data when an optimistic write on it was rolled back', async () => {
		const browser = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
		const { fetcher, call } = controlledFetcher<string>();
		const own = browser.fetchQuery({ key: ['todos'], fetcher }); // request out at T0
		await advance(4_000);
		call(0).resolve('browser: read from T0');
		await own; // dataUpdatedAt T0+4s
		const snapshot = browser.getState<string>(['todos']);
		await advance(1_000);
		browser.setQueryData(['todos'], 'optimistic');
		await advance(1_000);
		browser.restoreQueryData(['todos'], snapshot); // back to the data read from T0
		// Its rollback is not a newer read: the server's read from T0+2s is newer.
		hydrate(browser, payload({ key: ['todos'], status: 'success', data: 'server: read from T0+2s', dataUpdatedAt: T0 + 6_000, requestedAt: T0 + 2_000 }));
		expect(browser.getQueryData(['todos'])).toBe('server: read from T0+2s');
	});

	it("keeps the browser's own read landing over a rolled-back streamed payload that was requested before it", async () => {
		const browser = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
		const { fetcher, call } = controlledFetcher<string>();
		// The page mounts at T0+2s and reads; the server's slower read, requested at T0, streams in at T0+4s.
		await advance(2_000);
		const stop = browser.watchQuery({ key: ['todos'], fetcher }).subscribe(() => {});
		await advance(2_000);
		hydrate(browser, payload({ key: ['todos'], status: 'success', data: 'server: read from T0', dataUpdatedAt: T0 + 4_000, requestedAt: T0 }));
		// An optimistic write, then its mutation fails and rolls back to the payload's data.
		const snapshot = browser.getState<string>(['todos']);
		await advance(1_000);
		browser.setQueryData(['todos'], 'optimistic');
		await advance(1_000);
		browser.restoreQueryData(['todos'], snapshot);
		// The browser's read went out after the server's: without the optimistic write it lands, and the rollback undid that write.
		call(0).resolve('browser: read from T0+2s');
		await flush();
		const data = browser.getQueryData(['todos']);
		stop();
		expect(data).toBe('browser: read from T0+2s'); // not the older server read, shown fresh for a minute
	});

	it("keeps the browser's read landing over a rolled-back payload from a server clock ahead, as it lands without the rollback", async () => {
		// Before, the rollback counted as a write made after the read went out (dated at the hydrate): the read was dropped.
		expect(await clockAheadPayloadOverRead({ saved: false, rolledBack: true }, 'browser: read from T0+2s')).toBe('browser: read from T0+2s');
	});

	it('keeps dropping a read that a direct write had already overridden when the payload from a server clock ahead over that write is rolled back to', async () => {
		// As without the optimistic write: the rollback undoes that write only, not the save's.
		expect(await clockAheadPayloadOverRead({ saved: true, rolledBack: true }, 'browser: read from T0+2s, before the save')).toBe('server: read at an unknown time');
	});

	it('control: without the optimistic write and its rollback, that read lands over the payload from a server clock ahead', async () => {
		expect(await clockAheadPayloadOverRead({ saved: false, rolledBack: false }, 'browser: read from T0+2s')).toBe('browser: read from T0+2s');
	});
});

/**
 * The page mounts at T0+2s and reads (its answer held); a save's answer may be written at T0+3s; a payload from a
 * server whose clock runs 10 s ahead arrives at T0+4s: when the server read is unknown, hydrate lets the browser's
 * read in flight land over it, unless a write had overridden that read. Then, if `rolledBack`, an optimistic write
 * and its rollback to the snapshot taken after the hydrate (a failed mutation). Gives the data once the read answers.
 */
async function clockAheadPayloadOverRead({ saved, rolledBack }: { saved: boolean; rolledBack: boolean }, answer: string) {
	const browser = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
	const { fetcher, call } = controlledFetcher<string>();
	await advance(2_000);
	const stop = browser.watchQuery({ key: ['todos'], fetcher }).subscribe(() => {});
	await advance(1_000);
	if (saved) browser.setQueryData(['todos'], 'saved at T0+3s');
	await advance(1_000);
	hydrate(browser, payload({ key: ['todos'], status: 'success', data: 'server: read at an unknown time', dataUpdatedAt: T0 + 14_000, requestedAt: T0 + 12_000 }));
	const snapshot = browser.getState<string>(['todos']);
	await advance(1_000);
	if (rolledBack) browser.setQueryData(['todos'], 'optimistic');
	await advance(1_000);
	if (rolledBack) browser.restoreQueryData(['todos'], snapshot);
	call(0).resolve(answer);
	await flush();
	const data = browser.getQueryData(['todos']);
	stop();
	return data;
}

describe('a rollback to the very data shown, from before a newer request', () => {
	it('dates the data by the snapshot again: a payload requested after the snapshot’s data replaces it', async () => {
		const browser = new QoraClient();
		browser.setQueryData(['count'], 1); // at T0
		const snapshot = browser.getState<number>(['count']);
		await advance(10_000);
		const { fetcher, call } = controlledFetcher<number>();
		void browser.fetchQuery({ key: ['count'], fetcher, options: { staleTime: 0 } }); // stale: refetched, out at T0+10s
		await advance(1_000);
		call(0).resolve(1); // the same value, answered at T0+11s
		await flush();
		browser.restoreQueryData(['count'], snapshot); // back to the value of T0, dated T0
		// The server read from T0+5s is newer than the data of T0 put back.
		hydrate(browser, payload({ key: ['count'], status: 'success', data: 2, dataUpdatedAt: T0 + 6_000, requestedAt: T0 + 5_000 }));
		expect(browser.getQueryData(['count'])).toBe(2);
	});
});
