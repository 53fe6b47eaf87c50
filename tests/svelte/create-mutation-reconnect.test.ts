/**
 * Back online, a paused write goes out before any paused refetch, and the refetches wait until
 * every resumed write still out has settled: sent while the write is in flight, a refetch is
 * answered with the data from before the write, which lands over the optimistic update (TanStack
 * avoids it the same way: resumed paused mutations first, then the queries). Found dogfooding in
 * Chromium (a todo toggled offline flipped back for the ~400 ms its PATCH took); a review then
 * found the same hole through later "online" news while the write was out: a flapping connection,
 * a mount(), and a QoraProvider remounted while offline. A later review found two more: a write
 * made offline whose async onMutate was still running at reconnect did not hold the refetches,
 * and a fetch that replaced (offline) the one a fetchQuery promise stood for lost its "awaited"
 * mark, so a write awaiting that promise waited for itself.
 */
import { render } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type QoraOptions, type QueryConfig } from '../../src/lib/index.js';
import { createMutation, type MutationOptions } from '../../src/lib/svelte/index.js';
import { manualFocus, manualOnline } from '../core/helpers.js';
import ProviderApp from './components/ProviderApp.svelte';
import { deferred, flush, goOnline } from './helpers.js';

let undo: (() => void)[] = [];
beforeEach(() => void vi.useFakeTimers());
afterEach(() => {
	for (const step of undo.reverse()) step();
	undo = [];
	vi.useRealTimers();
});

/**
 * A like counter: GET answers at once with what the server has; the POST applies the like when it
 * completes (`postDone`). The mutation adds the like optimistically and invalidates when settled.
 */
function likes(client: QoraClient, onMutateDone?: Promise<void>) {
	let serverLikes = 0;
	const sent: string[] = [];
	const postDone = deferred<void>();
	const config = {
		key: ['likes'],
		fetcher: async () => {
			sent.push('GET');
			return serverLikes;
		},
		options: { staleTime: 0 }
	};
	const like = createMutation(
		{
			mutationFn: async () => {
				sent.push('POST');
				await postDone.promise;
				serverLikes++;
			},
			// With `onMutateDone`, an onMutate that ends with it (it awaits local storage, say).
			onMutate: () => {
				client.cancel(['likes']);
				client.setQueryData<number>(['likes'], (n) => (n ?? 0) + 1);
				return onMutateDone;
			},
			onSettled: () => client.invalidate(['likes'])
		},
		client
	);
	return { sent, postDone, config, like };
}

/** Offline: the like is made, and a refetch of the count pauses. */
async function likeOffline(client: QoraClient, online: ReturnType<typeof manualOnline>, onMutateDone?: Promise<void>) {
	const scenario = likes(client, onMutateDone);
	const stop = client.watchQuery(scenario.config).subscribe(() => {});
	await flush();
	online.set(false);
	scenario.like.mutate();
	void client.invalidate(['likes']);
	await flush();
	expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'paused', data: 1 });
	return { ...scenario, stop };
}

/** Back online, the POST is out: the GET waits, and the optimistic like stands. */
function refetchWaits(sent: string[], like: ReturnType<typeof likes>['like'], client: QoraClient) {
	expect(get(like)).toMatchObject({ status: 'pending' });
	expect(sent).toEqual(['GET', 'POST']);
	expect(client.getState(['likes'])).toMatchObject({ data: 1 });
}

/** The POST completes: the refetch goes and confirms the like. */
/**
 * A page first visited offline: its load's prefetch of `key` paused, the page watches it. Its GETs and the
 * saves' POSTs are logged in `sent`; `answer` reads what the saves put on `server`.
 */
async function openedOffline(key: string[], answer: (server: string[]) => unknown, staleTime: number) {
	const online = manualOnline(false);
	const client = new QoraClient({ online });
	const sent: string[] = [];
	const server: string[] = [];
	const query = { key, fetcher: async () => (sent.push('GET'), answer(server)), options: { staleTime } };
	await client.prefetchQuery(query);
	const stop = client.watchQuery(query).subscribe(() => {});
	return { online, client, sent, server, stop, query };
}

/** A save of a todo whose POST (logged in `sent`) lands on `server` once the test resolves `postDone`. */
function addTodo(client: QoraClient, sent: string[], server: string[], callbacks: Pick<MutationOptions<void, string>, 'onMutate' | 'onSuccess' | 'onSettled'> = {}) {
	const postDone = deferred<void>();
	const add = createMutation(
		{
			mutationFn: async (title: string) => {
				sent.push('POST');
				await postDone.promise;
				server.push(title);
			},
			...callbacks
		},
		client
	);
	return { add, postDone };
}

async function writeLands(client: QoraClient, postDone: ReturnType<typeof deferred<void>>) {
	postDone.resolve();
	await flush();
	expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'idle', data: 1 });
}

type TodoCallbacks = Pick<MutationOptions<void, string>, 'onSuccess' | 'onSettled'>;

/** onMutate of a save that shows the new todo at once. */
function showsAtOnce(client: QoraClient): MutationOptions<void, string>['onMutate'] {
	return (title) => void client.setQueryData<string[]>(['todos'], (list = []) => [...list, title]);
}

/**
 * A todo saved (shown at once) on a page first visited offline, with `callbacks`; then the connection is
 * back and its POST is out, the list's paused fetch held behind it.
 */
async function savedOfflineThenSent(staleTime: number, callbacks: TodoCallbacks) {
	const opened = await openedOffline(['todos'], (list) => [...list], staleTime);
	const { online, client, sent, server } = opened;
	const { add, postDone } = addTodo(client, sent, server, { onMutate: showsAtOnce(client), ...callbacks });
	add.mutate('milk');
	await flush();
	online.set(true);
	await flush();
	expect(sent).toEqual(['POST']);
	return { ...opened, postDone };
}

/**
 * A list watched (by `options`, staleTime 0 by default) and fetched online; then, offline for
 * `offlineFor` ms, a todo saved (shown at once if `showAtOnce`), and the connection back: its POST is
 * out. `slowNextAnswer()` makes the next GET answer only once the deferred it returns is resolved.
 */
async function watchedThenSavedOffline(showAtOnce = false, options: QoraOptions<string[]> = { staleTime: 0 }, offlineFor = 0) {
	const online = manualOnline(true);
	const focus = manualFocus();
	const client = new QoraClient({ online, focus });
	const sent: string[] = [];
	const server: string[] = [];
	let gate: Promise<void> | null = null;
	const fetcher = async () => {
		sent.push('GET');
		const list = [...server];
		const wait = gate;
		gate = null;
		if (wait) await wait;
		return list;
	};
	const stop = client.watchQuery({ key: ['todos'], fetcher, options }).subscribe(() => {});
	await flush();
	online.set(false);
	if (offlineFor > 0) await vi.advanceTimersByTimeAsync(offlineFor);
	const { add, postDone } = addTodo(client, sent, server, showAtOnce ? { onMutate: showsAtOnce(client) } : {});
	add.mutate('milk');
	await flush();
	online.set(true);
	await flush();
	expect(sent).toEqual(['GET', 'POST']);
	const slowNextAnswer = () => {
		const answer = deferred<void>();
		gate = answer.promise;
		return answer;
	};
	return { client, focus, sent, postDone, stop, slowNextAnswer };
}

describe('a paused write and a paused refetch of what it changes, on reconnect', () => {
	it('the optimistic update stands while the write is still in flight; the refetch goes once it settled', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const { sent, postDone, like, stop } = await likeOffline(client, online);
		online.set(true);
		await flush();
		expect(sent).toEqual(['GET', 'POST']);
		expect(get(like)).toMatchObject({ status: 'pending' });
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'paused', data: 1 });

		postDone.resolve();
		await flush();
		expect(sent).toEqual(['GET', 'POST', 'GET']);
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'idle', data: 1 });
		stop();
		client.dispose();
	});

	it('a connection that flaps while the write is out: the refetch still waits for it', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const { sent, postDone, like, stop } = await likeOffline(client, online);
		online.set(true);
		await flush();
		online.set(false);
		await flush();
		online.set(true);
		await flush();
		refetchWaits(sent, like, client);
		await writeLands(client, postDone);
		stop();
		client.dispose();
	});

	it('a mount() while the write is out (a provider mounting its focus source) does not let the refetch go either', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const { sent, postDone, stop } = await likeOffline(client, online);
		online.set(true);
		await flush();
		client.mount({ focus: manualFocus() });
		await flush();
		expect(sent).toEqual(['GET', 'POST']);
		postDone.resolve();
		await flush();
		expect(sent).toEqual(['GET', 'POST', 'GET']);
		stop();
		client.dispose();
	});

	it('a QoraProvider remounted while offline, then one "online" event: the refetch still waits', async () => {
		const client = new QoraClient();
		const { sent, postDone, config, like } = likes(client);
		const first = render(ProviderApp, { client, config });
		await flush();
		undo.push(goOnline(false));
		like.mutate();
		void client.invalidate(['likes']);
		await flush();
		// A navigation remounts the provider, still offline: the old one's online source is detached
		// once the client hears the connection is back, which is more "online" news.
		first.unmount();
		render(ProviderApp, { client, config });
		await flush();
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'paused', data: 1 });

		goOnline(true);
		await flush();
		refetchWaits(sent, like, client);
		await writeLands(client, postDone);
		client.dispose();
	});

	it('a write that fails still lets the refetch go, after it; one gone offline again meanwhile leaves it paused', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const fetcher = vi.fn(async () => 'server');
		const stop = client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }).subscribe(() => {});
		await flush();
		const writes = [deferred<void>(), deferred<void>()];
		let call = 0;
		const save = createMutation({ mutationFn: () => writes[call++]!.promise }, client);
		online.set(false);
		void save.mutateAsync().catch(() => {});
		void client.invalidate(['k']);
		await flush();
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'paused' });

		online.set(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		writes[0]!.reject(new Error('refused'));
		await flush();
		expect(get(save)).toMatchObject({ status: 'error' });
		expect(fetcher).toHaveBeenCalledTimes(2);

		// Again, but the connection goes before the write settles: the refetch waits for the next "online".
		online.set(false);
		void save.mutateAsync().catch(() => {});
		void client.invalidate(['k']);
		await flush();
		online.set(true);
		await flush();
		online.set(false);
		writes[1]!.resolve();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'paused' });
		online.set(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(3);
		stop();
		client.dispose();
	});

	it('keeps the optimistic update of a key a load prefetched offline: its paused fetch waits for the write too, as nobody awaits it', async () => {
		// First visit to the page offline: its universal load's prefetchQuery pauses and lets the page render.
		const { online, client, sent, server, stop } = await openedOffline(['todos'], (list) => [...list], 0);
		const { add, postDone } = addTodo(client, sent, server, {
			onMutate: showsAtOnce(client),
			onSettled: () => client.invalidate(['todos'])
		});
		add.mutate('milk');
		await flush();
		expect(client.getState(['todos'])).toMatchObject({ fetchStatus: 'paused', data: ['milk'] });

		online.set(true);
		await flush();
		// Sent with the POST, the GET answered without the new todo, which dropped out of the list.
		expect(sent).toEqual(['POST']);
		expect(client.getQueryData(['todos'])).toEqual(['milk']);
		postDone.resolve();
		await flush();
		expect(sent).toEqual(['POST', 'GET']);
		expect(client.getState(['todos'])).toMatchObject({ fetchStatus: 'idle', data: ['milk'] });
		stop();
		client.dispose();
	});

	it("keeps the paused refetch to one request when the write's onSuccess is async: it waits for the invalidate in onSettled", async () => {
		// A todo added offline on one page; the list's refetch paused too (a focus, an invalidate, the next page's load).
		const { client, sent, stop, postDone } = await savedOfflineThenSent(60_000, {
			// Async, as a toast or a navigation after the save is (one await is enough).
			onSuccess: async () => {
				await Promise.resolve();
			},
			// Called once the POST is done, after the client below is set.
			onSettled: () => client.invalidate(['todos'])
		});
		postDone.resolve();
		await flush();
		// Before, the held GET went out as the POST settled, and onSettled's invalidate, a few microtasks later,
		// replaced it with a second GET: two requests for the list on every reconnect with a queued write.
		expect(sent).toEqual(['POST', 'GET']);
		expect(client.getState(['todos'])).toMatchObject({ fetchStatus: 'idle', data: ['milk'] });
		stop();
		client.dispose();
	});

	it("keeps the paused refetch to one request when the write's onSettled awaits something before its invalidate", async () => {
		// A todo added offline; onSettled shows a toast (or navigates) first, then invalidates the list.
		const toastShown = deferred<void>();
		const { client, sent, stop, postDone } = await savedOfflineThenSent(60_000, {
			onSettled: async () => {
				await toastShown.promise;
				await client.invalidate(['todos']);
			}
		});
		postDone.resolve();
		await flush();
		// Before, the held GET was released as onSettled was called and went out; its invalidate, once
		// the toast was shown, replaced it with a second GET.
		expect(sent).toEqual(['POST']);
		toastShown.resolve();
		await flush();
		expect(sent).toEqual(['POST', 'GET']);
		expect(client.getState(['todos'])).toMatchObject({ fetchStatus: 'idle', data: ['milk'] });
		stop();
		client.dispose();
	});

	it('keeps refetching a stale list on focus while a resumed write is still out', async () => {
		// A photo upload made offline goes out at reconnect and takes a while; focus refetches are not held meanwhile (README).
		const { client, focus, sent, postDone, stop } = await watchedThenSavedOffline();
		// A push from the server (a teammate's change) invalidates the list meanwhile: it is refetched.
		await client.invalidate(['todos']);
		await flush();
		expect(sent).toEqual(['GET', 'POST', 'GET']);
		// The user looks at another tab and comes back a minute later, the upload still going: the stale list is refetched.
		await vi.advanceTimersByTimeAsync(60_000);
		focus.focus();
		await flush();
		// Before, a key fetched while the write was out was skipped by every focus until the write settled,
		// not only by the reconnect refetch at its release.
		expect(sent).toEqual(['GET', 'POST', 'GET', 'GET']);
		postDone.resolve();
		await flush();
		stop();
		client.dispose();
	});

	// None is held while the POST is out (README): its GET answers with the list from before the write.
	const polled: QoraOptions<string[]> = { staleTime: 30_000, refetchInterval: 45_000 };
	it.each([
		['a focus', { staleTime: 0 }, 0, async (client: QoraClient, focus: ReturnType<typeof manualFocus>) => void focus.focus()],
		// A push from the server (a teammate's change).
		['an invalidation from elsewhere', { staleTime: 0 }, 0, async (client: QoraClient) => void client.invalidate(['todos'])],
		// Polled every 45 s, offline for 40 s: the poll comes due while the POST is out (an upload takes a while), and its
		// answer is still fresh at the release (whose reconnect refetch asks only stale keys).
		['a poll', polled, 40_000, () => vi.advanceTimersByTimeAsync(10_000)]
	])("keeps the write's change on screen when %s refetched its key while the resumed write was still out", async (_, options, offlineFor, refetch) => {
		// A todo added offline, with no invalidate of its own: the reconnect refetch after the write brings the server's list.
		const { client, focus, sent, postDone, stop } = await watchedThenSavedOffline(true, options, offlineFor);
		await refetch(client, focus);
		await flush();
		expect(sent).toEqual(['GET', 'POST', 'GET']);
		postDone.resolve();
		await flush();
		// Released, the reconnect refetch asks after the write. Before, the key fetched in that window was skipped
		// (as if the write's onSettled had refetched it), and the list stayed without the new todo.
		expect(sent).toEqual(['GET', 'POST', 'GET', 'GET']);
		expect(client.getState(['todos'])).toMatchObject({ fetchStatus: 'idle', data: ['milk'] });
		stop();
		client.dispose();
	});

	it("keeps the write's change on screen when an invalidation from elsewhere replaced the held paused fetch while the resumed write was out (staleTime 60 s)", async () => {
		// A todo added (shown at once) on a page first visited offline, no invalidate of its own: the held fetch of the list is what brings the server's list after the write.
		const { client, sent, stop, postDone } = await savedOfflineThenSent(60_000, {});
		// A push from the server (a teammate's change) invalidates the list while the POST is out: its GET goes now.
		void client.invalidate(['todos']);
		await flush();
		expect(sent).toEqual(['POST', 'GET']);
		postDone.resolve();
		await flush();
		// That GET answered with the list from before the write, fresh for a minute: the release refetched nothing
		// (its reconnect refetch asks only stale keys), and the new todo dropped out of the list for good.
		expect(sent).toEqual(['POST', 'GET', 'GET']);
		expect(client.getState(['todos'])).toMatchObject({ fetchStatus: 'idle', data: ['milk'] });
		stop();
		client.dispose();
	});

	it("keeps the write's change on screen when an invalidation's refetch sent while the resumed write was out is still in flight as the write ends", async () => {
		// A list watched online (staleTime 0), then a todo saved offline (shown at once), and its POST out at reconnect.
		const { client, sent, postDone, stop, slowNextAnswer } = await watchedThenSavedOffline(true);
		// A push invalidates the list while the POST is out; its GET is slow (a big list), and answers after the POST.
		const answer = slowNextAnswer();
		void client.invalidate(['todos']);
		await flush();
		postDone.resolve();
		await flush();
		answer.resolve();
		await flush();
		// Before, the release skipped the list (its GET still out), which then landed without the new todo: nothing refetched it.
		expect(sent).toEqual(['GET', 'POST', 'GET', 'GET']);
		expect(client.getState(['todos'])).toMatchObject({ fetchStatus: 'idle', data: ['milk'] });
		stop();
		client.dispose();
	});

	it('keeps a paused fetch held for a resumed write when a load prefetches its key while the write is out (a hover preload)', async () => {
		// First visit to the stats page offline: its load's prefetchQuery pauses, the page renders and watches the count.
		const { online, client, sent, server, stop, query: count } = await openedOffline(['todos', 'count'], (list) => list.length, 60_000);
		const { add, postDone } = addTodo(client, sent, server);
		add.mutate('milk');
		await flush();

		online.set(true);
		await flush();
		expect(sent).toEqual(['POST']);
		// The user hovers a link to a page whose load prefetches the count too (a dashboard) while the POST is out: SvelteKit preloads it.
		await client.prefetchQuery(count);
		await flush();
		// Sent with the POST, the GET counted the todos without the new one, and nothing refetched after it.
		expect(sent).toEqual(['POST']);
		expect(client.getState(['todos', 'count'])).toMatchObject({ fetchStatus: 'paused', status: 'pending' });
		postDone.resolve();
		await flush();
		expect(sent).toEqual(['POST', 'GET']);
		expect(client.getState(['todos', 'count'])).toMatchObject({ fetchStatus: 'idle', data: 1 });
		stop();
		client.dispose();
	});

	/**
	 * Offline, a query the save needs first (the user, a token) pauses without data; the save is
	 * made offline and its mutationFn awaits `ensure()` before its POST. Back online, both go out.
	 */
	async function saveAfterEnsuring(pauseFirst: (client: QoraClient, user: QueryConfig<{ id: number }>) => void, ensure: (client: QoraClient, user: QueryConfig<{ id: number }>) => Promise<{ id: number }>) {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const sent: string[] = [];
		const user: QueryConfig<{ id: number }> = {
			key: ['me'],
			fetcher: async () => {
				sent.push('GET /me');
				return { id: 7 };
			},
			options: { staleTime: Infinity }
		};
		pauseFirst(client, user);
		await flush();
		expect(client.getState(['me'])).toMatchObject({ fetchStatus: 'paused', status: 'pending' });
		const save = createMutation(
			{
				mutationFn: async (title: string) => {
					const { id } = await ensure(client, user);
					sent.push(`POST ${title} for ${id}`);
					return title;
				}
			},
			client
		);
		const saved = save.mutateAsync('note');
		await flush();
		expect(get(save)).toMatchObject({ status: 'pending', isPaused: true });

		online.set(true);
		await flush(60_000);
		expect(sent).toEqual(['GET /me', 'POST note for 7']);
		expect(get(save)).toMatchObject({ status: 'success', data: 'note' });
		await expect(saved).resolves.toBe('note');
		expect(client.getState(['me'])).toMatchObject({ fetchStatus: 'idle', data: { id: 7 } });
		client.dispose();
	}

	it('a resumed write whose mutationFn fetchQuery-s a query a page watches, paused offline: both go out, no deadlock', async () => {
		await saveAfterEnsuring(
			(client, user) => void client.watchQuery(user).subscribe(() => {}),
			(client, user) => client.fetchQuery(user)
		);
	});

	it('a resumed write awaiting a fetchQuery promise taken while offline (a memoized token): both go out, no deadlock', async () => {
		let memo: Promise<{ id: number }> | null = null;
		const ensure = (client: QoraClient, user: QueryConfig<{ id: number }>) => (memo ??= client.fetchQuery(user));
		await saveAfterEnsuring((client, user) => void ensure(client, user).catch(() => {}), ensure);
	});

	it('a resumed write awaiting a fetchQuery promise whose fetch an invalidation replaced while offline: both go out, no deadlock', async () => {
		let memo: Promise<{ id: number }> | null = null;
		const ensure = (client: QoraClient, user: QueryConfig<{ id: number }>) => (memo ??= client.fetchQuery(user));
		await saveAfterEnsuring((client, user) => {
			client.watchQuery(user).subscribe(() => {});
			void ensure(client, user).catch(() => {});
			// Something invalidates the user while offline (a websocket message): the fetch behind the memo is replaced.
			void client.invalidate(['me']);
		}, ensure);
	});
});

describe('a write made offline whose onMutate is still running when the connection comes back', () => {
	it('goes out before the paused refetch, which waits until the write has settled', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const mutateDone = deferred<void>();
		const { sent, postDone, like, stop } = await likeOffline(client, online, mutateDone.promise);

		online.set(true);
		await flush();
		mutateDone.resolve();
		await flush();
		// The write goes out; the refetch of what it changes waits for it (README: "before any paused refetch").
		refetchWaits(sent, like, client);
		await writeLands(client, postDone);
		expect(sent).toEqual(['GET', 'POST', 'GET']);
		stop();
		client.dispose();
	});
});

describe('a write in its retry backoff when the connection comes back', () => {
	it('keeps the optimistic update while the retry is out: the reconnect refetch waits for the write, as for a paused one', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		let serverLikes = 0;
		const sent: string[] = [];
		const postDone = deferred<void>();
		const stop = client.watchQuery({ key: ['likes'], fetcher: async () => (sent.push('GET'), serverLikes), options: { staleTime: 0 } }).subscribe(() => {});
		await flush();
		let attempts = 0;
		const like = createMutation(
			{
				mutationFn: async () => {
					sent.push('POST');
					// The first POST fails (the connection is going); the retry goes through.
					if (++attempts === 1) throw new Error('503');
					await postDone.promise;
					serverLikes++;
				},
				onMutate: () => void client.setQueryData<number>(['likes'], (n) => (n ?? 0) + 1),
				onSettled: () => client.invalidate(['likes']),
				retry: 1,
				retryDelay: 1000
			},
			client
		);
		like.mutate();
		await flush();
		expect(sent).toEqual(['GET', 'POST']); // in its 1 s backoff
		online.set(false);
		await vi.advanceTimersByTimeAsync(200);
		online.set(true); // back before the backoff ends: the retry goes out at its time, not paused
		await flush();
		// Sent now, the GET answers 0 over the optimistic like, which drops out until the retry lands.
		expect(sent).toEqual(['GET', 'POST']);
		expect(client.getQueryData(['likes'])).toBe(1);
		await vi.advanceTimersByTimeAsync(1000);
		expect(sent).toEqual(['GET', 'POST', 'POST']);
		expect(client.getQueryData(['likes'])).toBe(1);
		postDone.resolve();
		await flush();
		expect(sent).toEqual(['GET', 'POST', 'POST', 'GET']);
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'idle', data: 1 });
		expect(get(like)).toMatchObject({ status: 'success' });
		stop();
		client.dispose();
	});
});
