/**
 * loadQoraClient defers the revalidation of stale payload data while the first page's loads run
 * (SvelteKit would answer their fetch from the page's own old responses): what ends the window,
 * and what is revalidated when it ends (found by review). Simulated in Node as
 * load-client-browser.test.ts does: `$app/environment` reports a browser, and the document holds the
 * payload element the provider rendered (`payloadMarkup`) on the server at the fake clock's time, mostly
 * ten minutes before the browser runs (a document from the HTTP cache).
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { dehydrate, QoraClient } from '../../src/lib/index.js';
import { payloadMarkup, serializeForScript } from '../../src/lib/sveltekit/payload.js';
import { stubPageDocument } from './page-document.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

async function freshModule(): Promise<typeof import('../../src/lib/sveltekit/load-client.js').loadQoraClient> {
	vi.resetModules();
	return (await import('../../src/lib/sveltekit/load-client.js')).loadQoraClient;
}

/** A page whose payload (users 7 and their posts) the server rendered ten minutes ago. */
async function oldPage(): Promise<void> {
	vi.useFakeTimers();
	vi.setSystemTime(Date.UTC(2024, 0, 1, 12, 0, 0));
	const server = new QoraClient();
	server.setQueryData(['users', 7], { name: 'Ada, ten minutes ago' });
	server.setQueryData(['users', 7, 'posts'], ['a post of ten minutes ago']);
	const text = serializeForScript(dehydrate(server));
	server.dispose();
	stubPageDocument(payloadMarkup(text, Date.now()));
	vi.setSystemTime(Date.UTC(2024, 0, 1, 12, 10, 0));
}

afterEach(() => {
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
	vi.useRealTimers();
});

describe("loadQoraClient's deferred revalidation of the first page's payload", () => {
	test("lasts all the first page's loads: a layout load that observes a key (the README's unlessPaused recipe) does not end it for the page's load", async () => {
		await oldPage();
		const qora = (await freshModule())(() => new QoraClient({ defaultOptions: { staleTime: 60_000 } }));
		// users/[id]/+layout.ts, as the demo's profile load: await unlessPaused(qora, key, qora.fetchQuery(...)),
		// whose observeQuery subscription is a watcher.
		const layoutReplay = vi.fn(async () => ({ name: 'Ada, ten minutes ago' }));
		const pending = qora.fetchQuery({ key: ['users', 7], fetcher: layoutReplay });
		const stop = qora.observeQuery(['users', 7]).subscribe(() => {});
		await pending;
		stop();
		// users/[id]/posts/+page.ts after `await parent()`: SvelteKit still answers its fetch from the inlined response.
		const pageReplay = vi.fn(async () => ['a post of ten minutes ago']);
		await qora.prefetchQuery({ key: ['users', 7, 'posts'], fetcher: pageReplay });
		await vi.advanceTimersByTimeAsync(0);
		expect(layoutReplay).not.toHaveBeenCalled();
		expect(pageReplay).not.toHaveBeenCalled(); // ended by the observeQuery subscription, the window let the replay make old posts "fresh"
		expect(qora.getState(['users', 7, 'posts'])).toMatchObject({ isStale: true });
		qora.dispose();
	});

	test('a key the page shows only through a state store (createQueryState / observeQuery) is revalidated when the window ends', async () => {
		await oldPage();
		const qora = (await freshModule())(() => new QoraClient({ defaultOptions: { staleTime: 60_000 } }));
		// +page.ts with the global fetch (as the README and the demo advise): before 46edf27 this refetched, for real.
		const live = vi.fn(async () => ({ name: 'Ada, now' }));
		await qora.prefetchQuery({ key: ['users', 7], fetcher: live });
		// The page shows the key with createQueryState (a state-only watcher, it never fetches).
		const seen: unknown[] = [];
		const stop = qora.observeQuery<{ name: string }>(['users', 7]).subscribe((state) => seen.push(state.data?.name));
		qora._deferRevalidation(false); // as QoraKitProvider does in the browser
		await vi.advanceTimersByTimeAsync(5 * 60_000);
		expect(live).toHaveBeenCalled(); // no watcher fetches it: only the end of the window does
		expect(seen.at(-1)).toBe('Ada, now');
		stop();
		qora.dispose();
	});
});

describe('the first page of an old document (prerendered, or from the HTTP cache), data the payload cannot carry', () => {
	test('data the payload cannot carry, which the load fetches again through the replay, is revalidated like payload data', async () => {
		vi.useFakeTimers();
		vi.setSystemTime(T0);
		// The server ten minutes ago: +page.ts prefetched a user (its fetcher revives a Date) and its posts.
		const server = new QoraClient();
		server.setQueryData(['users', 7], { name: 'Ada, ten minutes ago', since: new Date(T0) });
		server.setQueryData(['users', 7, 'posts'], ['a post of ten minutes ago']);
		const text = serializeForScript(dehydrate(server)); // the user is left out: JSON would change its Date
		server.dispose();
		stubPageDocument(payloadMarkup(text, Date.now()));
		vi.setSystemTime(T0 + 10 * 60_000);

		vi.resetModules();
		const { loadQoraClient } = await import('../../src/lib/sveltekit/load-client.js');
		const qora = loadQoraClient(() => new QoraClient({ defaultOptions: { staleTime: 60_000 } }));
		// +page.ts runs again before the first render; SvelteKit's fetch answers from the inlined responses.
		await qora.prefetchQuery({ key: ['users', 7], fetcher: async () => ({ name: 'Ada, ten minutes ago', since: new Date(T0) }) });
		await qora.prefetchQuery({ key: ['users', 7, 'posts'], fetcher: async () => ['a post of ten minutes ago'] });
		// The page mounts its queries (global fetch, as the README advises), then the provider ends the window.
		const liveUser = vi.fn(async () => ({ name: 'Ada, now', since: new Date() }));
		const livePosts = vi.fn(async () => ['a post of now']);
		const stopUser = qora.watchQuery({ key: ['users', 7], fetcher: liveUser }).subscribe(() => {});
		const stopPosts = qora.watchQuery({ key: ['users', 7, 'posts'], fetcher: livePosts }).subscribe(() => {});
		qora._deferRevalidation(false);
		await vi.advanceTimersByTimeAsync(0);

		expect(livePosts).toHaveBeenCalledTimes(1); // payload data ten minutes old: revalidated on mount
		// As old as the posts (the replay answered the load's fetch), the user is refetched when the window ends:
		// the page proved old. (It counted as fetched now, and nothing revalidated it for staleTime; found by review.)
		expect(liveUser).toHaveBeenCalledTimes(1);
		stopUser();
		stopPosts();
		qora.dispose();
	});

	test('on a page just rendered (none of its payload stale), what the loads fetched is not fetched again', async () => {
		vi.useFakeTimers();
		vi.setSystemTime(T0);
		const server = new QoraClient();
		server.setQueryData(['users', 7, 'posts'], ['a post of now']);
		const text = serializeForScript(dehydrate(server));
		server.dispose();
		stubPageDocument(payloadMarkup(text, Date.now()));
		vi.setSystemTime(T0 + 1000);
		const qora = (await freshModule())(() => new QoraClient({ defaultOptions: { staleTime: 60_000 } }));
		const user = vi.fn(async () => ({ name: 'Ada', since: new Date(T0) }));
		await qora.prefetchQuery({ key: ['users', 7], fetcher: user });
		await qora.prefetchQuery({ key: ['users', 7, 'posts'], fetcher: async () => ['a post of now'] });
		qora._deferRevalidation(false);
		await vi.advanceTimersByTimeAsync(0);
		expect(user).toHaveBeenCalledTimes(1); // the load's own fetch only
		qora.dispose();
	});
});

describe("how old the first page is: when the server rendered it, against each key's staleTime (found by reviews)", () => {
	test("an old page whose stale payload data came from a server load: what the universal loads fetched (replayed from the page's inlined responses) is refetched when the window ends", async () => {
		vi.useFakeTimers();
		vi.setSystemTime(T0);
		// The server ten minutes ago. +page.server.ts: qoraState from prefetchOnServer (the posts, plain JSON),
		// which the provider hydrated and wrote into the page. +page.ts: stats whose fetcher revives a Date
		// (data JSON would change: left out of the payload), fetched with SvelteKit's fetch, its response inlined.
		const server = new QoraClient();
		server.setQueryData(['posts'], ['a post of ten minutes ago']);
		server.setQueryData(['stats'], { views: 10, at: new Date(T0) });
		const text = serializeForScript(dehydrate(server));
		server.dispose();
		expect(JSON.parse(text).entries).toHaveLength(1); // the posts only
		stubPageDocument(payloadMarkup(text, Date.now()));
		vi.setSystemTime(T0 + 10 * 60_000);

		vi.resetModules();
		const { loadQoraClient } = await import('../../src/lib/sveltekit/load-client.js');
		const qora = loadQoraClient(() => new QoraClient({ defaultOptions: { staleTime: 60_000 } }));
		// +page.ts runs again before the first render (it returns qoraState: data.qoraState, already applied);
		// SvelteKit answers its fetch from the response inlined ten minutes ago.
		const replay = vi.fn(async () => ({ views: 10, at: new Date(T0) }));
		await qora.prefetchQuery({ key: ['stats'], fetcher: replay });
		expect(replay).toHaveBeenCalledTimes(1);
		// The page mounts its queries (global fetch, as the README advises); then the provider ends the window.
		const livePosts = vi.fn(async () => ['a post of now']);
		const liveStats = vi.fn(async () => ({ views: 99, at: new Date() }));
		const stopPosts = qora.watchQuery({ key: ['posts'], fetcher: livePosts }).subscribe(() => {});
		const stopStats = qora.watchQuery({ key: ['stats'], fetcher: liveStats }).subscribe(() => {});
		qora._deferRevalidation(false); // as QoraKitProvider does after the first page mounted
		await vi.advanceTimersByTimeAsync(0);

		expect(livePosts).toHaveBeenCalledTimes(1); // the payload's posts are ten minutes old: the page is old
		// The stats are as old (the replay answered them from the same document), yet counted as fetched now:
		// shown as fresh for staleTime. (Only stale data a browser load touched counted as the page being old.)
		expect(liveStats).toHaveBeenCalledTimes(1);
		expect(qora.getQueryData(['stats'])).toMatchObject({ views: 99 });
		stopPosts();
		stopStats();
		qora.dispose();
	});

	test('a page just rendered whose payload holds data the server invalidated: what the loads fetched (the replay answered it from fresh responses) is not fetched again', async () => {
		vi.useFakeTimers();
		vi.setSystemTime(T0);
		// The server a second ago: +page.ts prefetched the user, then invalidated it (it arrives stale, as the
		// README says), and the stats, whose Date keeps them out of the payload.
		const server = new QoraClient();
		server.setQueryData(['users', 7], { name: 'Ada' });
		await server.invalidate(['users', 7]);
		server.setQueryData(['stats'], { views: 10, at: new Date(T0) });
		const text = serializeForScript(dehydrate(server));
		server.dispose();
		expect(JSON.parse(text).entries).toMatchObject([{ key: ['users', 7], invalidated: true }]);
		stubPageDocument(payloadMarkup(text, Date.now()));
		vi.setSystemTime(T0 + 1000);

		vi.resetModules();
		const { loadQoraClient } = await import('../../src/lib/sveltekit/load-client.js');
		const qora = loadQoraClient(() => new QoraClient({ defaultOptions: { staleTime: 60_000 } }));
		// +page.ts again, before the first render: the user (stale: invalidated) is left to the page; the stats are
		// fetched, SvelteKit answering from the response inlined a second ago.
		await qora.prefetchQuery({ key: ['users', 7], fetcher: async () => ({ name: 'Ada' }) });
		const stats = vi.fn(async () => ({ views: 10, at: new Date(T0) }));
		await qora.prefetchQuery({ key: ['stats'], fetcher: stats });
		const liveUser = vi.fn(async () => ({ name: 'Ada, now' }));
		const stopUser = qora.watchQuery({ key: ['users', 7], fetcher: liveUser }).subscribe(() => {});
		qora._deferRevalidation(false);
		await vi.advanceTimersByTimeAsync(0);

		expect(liveUser).toHaveBeenCalledTimes(1); // invalidated: revalidated as the page mounts
		// The page is a second old: its stats are not stale, and were fetched again only because the invalidated
		// user counted as the page being old.
		expect(stats).toHaveBeenCalledTimes(1);
		stopUser();
		qora.dispose();
	});

	test('an old page whose payload carries no data (what its load fetched holds a Date): what the load fetched through the replay is refetched when the window ends', async () => {
		const qora = await openOldPageWithoutPayloadData();
		// +page.ts again before the first render: SvelteKit answers its fetch from the response inlined ten minutes ago.
		await qora.prefetchQuery({ key: ['stats'], fetcher: async () => ({ views: 10, at: new Date(T0) }) });
		const live = vi.fn(async () => ({ views: 99, at: new Date() }));
		const stop = qora.watchQuery({ key: ['stats'], fetcher: live }).subscribe(() => {});
		qora._deferRevalidation(false); // as QoraKitProvider does once the page mounted
		await vi.advanceTimersByTimeAsync(0);

		// Ten minutes old, yet counted as fetched now (a page without payload data counted as new), it showed as fresh for a minute.
		expect(live).toHaveBeenCalledTimes(1);
		stop();
		qora.dispose();
	});

	test("an old page stays old though the client's factory wrote data of its own (dated now) before the payload was applied: its replayed keys are refetched", async () => {
		vi.useFakeTimers();
		vi.setSystemTime(T0);
		const server = new QoraClient();
		server.setQueryData(['posts'], ['a post of ten minutes ago']);
		server.setQueryData(['stats'], { views: 10, at: new Date(T0) }); // left out of the payload (a Date)
		const text = serializeForScript(dehydrate(server));
		server.dispose();
		stubPageDocument(payloadMarkup(text, Date.now()));
		vi.setSystemTime(T0 + 10 * 60_000);

		const qora = (await freshModule())(() => {
			const client = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
			// Something the app knows at start, not from the page (a feature flag, a user read from a cookie).
			client.setQueryData(['flags'], { beta: true });
			return client;
		});
		const replay = vi.fn(async () => ({ views: 10, at: new Date(T0) }));
		await qora.prefetchQuery({ key: ['stats'], fetcher: replay });
		const live = vi.fn(async () => ({ views: 99, at: new Date() }));
		const stop = qora.watchQuery({ key: ['stats'], fetcher: live }).subscribe(() => {});
		qora._deferRevalidation(false);
		await vi.advanceTimersByTimeAsync(0);

		// The payload's newest data is ten minutes old: the page is, whatever the factory wrote now.
		expect(live).toHaveBeenCalledTimes(1);
		stop();
		qora.dispose();
	});
});

describe('a fetch the replay answers still in flight when the window ends (found by review)', () => {
	test('keeps what an old page\'s load fetched stale when its fetch lands after the window ended: the page\'s query refetches it', async () => {
		const qora = await openOldPageWithoutPayloadData();
		// +page.ts streams its data (returns the promise unawaited), or its fetcher has more to do after the
		// response SvelteKit answers from the page (inlined ten minutes ago): the fetch is still out as the page mounts.
		let answer!: (value: { views: number; at: Date }) => void;
		const replay = vi.fn(() => new Promise<{ views: number; at: Date }>((resolve) => (answer = resolve)));
		const streamed = qora.fetchQuery({ key: ['stats'], fetcher: replay });
		const live = vi.fn(async () => ({ views: 99, at: new Date() }));
		const seen: unknown[] = [];
		const stop = qora.watchQuery<{ views: number }>({ key: ['stats'], fetcher: live }).subscribe((state) => seen.push(state.data?.views));
		qora._deferRevalidation(false); // as QoraKitProvider does once the page mounted
		await vi.advanceTimersByTimeAsync(0);
		answer({ views: 10, at: new Date(T0) }); // ten minutes old
		await streamed;
		await vi.advanceTimersByTimeAsync(0);

		// It counted as fetched now: shown as fresh for a minute, and nothing revalidated it.
		expect(live).toHaveBeenCalledTimes(1);
		expect(seen.at(-1)).toBe(99);
		stop();
		qora.dispose();
	});

	test('keeps what an old page\'s load fetched revalidated when its fetch lands after the window ended and the page shows it only through a state-only store (createQueryState)', async () => {
		const qora = await openOldPageWithoutPayloadData();
		// The load streams the key (its fetch is still out as the page mounts); the page shows it with createQueryState.
		let answer!: (value: { views: number; at: Date }) => void;
		let calls = 0;
		const fetcher = vi.fn(() => (++calls === 1 ? new Promise<{ views: number; at: Date }>((resolve) => (answer = resolve)) : Promise.resolve({ views: 99, at: new Date() })));
		const streamed = qora.fetchQuery({ key: ['stats'], fetcher });
		const seen: unknown[] = [];
		const stop = qora.observeQuery<{ views: number }>(['stats']).subscribe((state) => seen.push(state.data?.views));
		qora._deferRevalidation(false);
		await vi.advanceTimersByTimeAsync(0);
		answer({ views: 10, at: new Date(T0) });
		await streamed;
		await vi.advanceTimersByTimeAsync(0);
		// What the deferral leaves stale is revalidated watched or not; this landed stale, ten minutes old, and stayed so.
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(seen.at(-1)).toBe(99);
		stop();
		qora.dispose();
	});
});

/**
 * The first page, rendered ten minutes ago (from the HTTP cache, or prerendered): its +page.ts had stats whose data
 * holds a Date, so the payload carries none of it. Gives the browser's client as loadQoraClient makes it then.
 */
async function openOldPageWithoutPayloadData(): Promise<QoraClient> {
	vi.useFakeTimers();
	vi.setSystemTime(T0);
	const server = new QoraClient();
	server.setQueryData(['stats'], { views: 10, at: new Date(T0) });
	const text = serializeForScript(dehydrate(server));
	server.dispose();
	expect(JSON.parse(text).entries).toEqual([]); // JSON would change the Date
	stubPageDocument(payloadMarkup(text, Date.now()));
	vi.setSystemTime(T0 + 10 * 60_000);
	return (await freshModule())(() => new QoraClient({ defaultOptions: { staleTime: 60_000 } }));
}
