import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, QoraClient, type QoraClientConfig, type QoraOptions } from '../../src/lib/index.js';
import {
	MINUTE,
	advance,
	controlledFetcher,
	counter,
	flush,
	manualFocus,
	manualOnline,
	manualVisibility,
	phase,
	record,
	useFakeTime
} from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('focus', () => {
	it('refetches watched stale queries', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus, defaultOptions: { staleTime: 1000 } });
		const fetcher = counter();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(1000);
		focus.focus();
		expect(fetcher).toHaveBeenCalledTimes(2);
		await flush();
		expect(watcher.last.data).toBe(2);
	});

	it('does not refetch fresh queries', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus, defaultOptions: { staleTime: 1000 } });
		const fetcher = counter();
		record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(999);
		focus.focus();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('refetches a query whose last refetch failed, though its data is still fresh by age', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus, defaultOptions: { retry: 0, staleTime: MINUTE } });
		let calls = 0;
		const fetcher = vi.fn(async () => (++calls === 2 ? Promise.reject(new Error('blip')) : `d${calls}`));
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 10_000 } }));
		await flush();
		await advance(10_000); // the poll fails: the error stands over fresh data
		expect(watcher.last).toMatchObject({ status: 'error', data: 'd1', isRefetchError: true, isStale: true });
		focus.focus();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(3);
		expect(watcher.last).toMatchObject({ status: 'success', data: 'd3', error: null, isStale: false });
	});

	it('does not refetch with refetchOnFocus: false (per query or by default)', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus, defaultOptions: { staleTime: 0 } });
		const perQuery = counter();
		record(client.watchQuery({ key: ['a'], fetcher: perQuery, options: { refetchOnFocus: false } }));
		const byDefault = new QoraClient({ focus, defaultOptions: { staleTime: 0, refetchOnFocus: false } });
		const other = counter();
		record(byDefault.watchQuery({ key: ['b'], fetcher: other }));
		await flush();
		focus.focus();
		await flush();
		expect(perQuery).toHaveBeenCalledTimes(1);
		expect(other).toHaveBeenCalledTimes(1);
	});

	it('does not refetch with enabled: false', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus, defaultOptions: { staleTime: 0 } });
		client.setQueryData(['k'], 0);
		const fetcher = counter();
		record(client.watchQuery({ key: ['k'], fetcher, options: { enabled: false } }));
		focus.focus();
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('does not refetch unwatched queries, or after the watcher left', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus, defaultOptions: { staleTime: 0 } });
		const fetcher = counter();
		await client.fetchQuery({ key: ['fetched'], fetcher });
		record(client.watchQuery({ key: ['left'], fetcher })).stop();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		focus.focus();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('does not start a second fetch when one is in flight', async () => {
		const focus = manualFocus();
		const client = new QoraClient({ focus });
		const { fetcher } = controlledFetcher<number>();
		record(client.watchQuery({ key: ['k'], fetcher }));
		focus.focus();
		focus.focus();
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('the default focus source never fires', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 0 } });
		const fetcher = counter();
		record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(10 * MINUTE);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});
});

describe('polling while the app is in the background (a focus source with isFocused)', () => {
	/** A client told of the app's visibility, a `feed` poller every 5 s that has fetched once, and the app gone to the background. */
	async function pollerHidden(options: QoraOptions = {}, config: QoraClientConfig = {}) {
		const focus = manualVisibility();
		const client = new QoraClient(config);
		const detach = client.mount({ focus });
		const fetcher = counter();
		const watcher = record(client.watchQuery({ key: ['feed'], fetcher, options: { refetchInterval: 5000, ...options } }));
		await flush();
		focus.hide();
		return { focus, client, detach, fetcher, watcher };
	}

	it('a poll falling due in the background while a fetch is out is no poll missed: coming back, fresh data is not fetched', async () => {
		const focus = manualVisibility();
		const client = new QoraClient();
		client.mount({ focus });
		focus.hide();
		const { fetcher, call } = controlledFetcher<number>();
		const watcher = record(client.watchQuery({ key: ['feed'], fetcher, options: { refetchInterval: 5000, staleTime: MINUTE } }));
		await advance(6000); // the poll falls due while the first fetch is still out
		call(0).resolve(1);
		await flush();
		focus.show(); // before the next poll
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		watcher.stop();
	});

	it('skips the polls due while the app is in the background, polls as it comes back, then keeps the rhythm', async () => {
		const { focus, fetcher, watcher } = await pollerHidden();
		await advance(15_000);
		expect(fetcher).toHaveBeenCalledTimes(1);
		focus.show();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(watcher.last).toMatchObject({ data: 2, isStale: false });
		await advance(5000);
		expect(fetcher).toHaveBeenCalledTimes(3);
		watcher.stop();
	});

	it('the made-up poll restarts the rhythm: the next poll comes a whole interval after it, not a moment later', async () => {
		const { focus, fetcher, watcher } = await pollerHidden();
		await advance(5000); // the poll due then is skipped
		expect(fetcher).toHaveBeenCalledTimes(1);
		await advance(4900); // hidden for 9.9 s: the poll due at 10 s is 100 ms away
		focus.show();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		await advance(4999);
		expect(fetcher).toHaveBeenCalledTimes(2);
		await advance(1);
		expect(fetcher).toHaveBeenCalledTimes(3);
		watcher.stop();
	});

	it('makes up for a skipped poll even with refetchOnFocus: false, which is about stale data, not polling', async () => {
		const { focus, fetcher, watcher } = await pollerHidden({}, { defaultOptions: { refetchOnFocus: false } });
		await advance(5000);
		focus.show();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		// Nothing was skipped since: the next focus fetches nothing.
		focus.focus();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		watcher.stop();
	});

	it('a focus event while still in the background makes up for nothing', async () => {
		const { focus, fetcher, watcher } = await pollerHidden();
		await advance(5000);
		focus.focus();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		watcher.stop();
	});

	it('polls in the background when any polling watcher of the key sets refetchIntervalInBackground', async () => {
		const { client, fetcher, watcher } = await pollerHidden();
		const background = record(client.watchQuery({ key: ['feed'], fetcher, options: { refetchInterval: 10_000, refetchIntervalInBackground: true } }));
		await advance(10_000);
		expect(fetcher).toHaveBeenCalledTimes(3);
		// A watcher that does not poll cannot ask for background polls.
		background.stop();
		const idle = record(client.watchQuery({ key: ['feed'], fetcher, options: { refetchIntervalInBackground: true } }));
		await advance(10_000);
		expect(fetcher).toHaveBeenCalledTimes(3);
		watcher.stop();
		idle.stop();
	});

	it('refetchIntervalInBackground is a shared option: set in defaultOptions, every poller polls in the background', async () => {
		const { fetcher, watcher } = await pollerHidden({}, { defaultOptions: { refetchIntervalInBackground: true } });
		await advance(10_000);
		expect(fetcher).toHaveBeenCalledTimes(3);
		watcher.stop();
	});

	it('a poller that stops while a poll was skipped leaves nothing to make up for', async () => {
		const { client, focus, fetcher, watcher } = await pollerHidden({}, { defaultOptions: { refetchOnFocus: false } });
		const reader = record(client.watchQuery({ key: ['feed'], fetcher }));
		await advance(5000);
		watcher.stop();
		focus.show();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		reader.stop();
	});

	it('a poll that ran after a skipped one (a background poller joined) leaves nothing to make up for', async () => {
		const { client, focus, fetcher, watcher } = await pollerHidden({}, { defaultOptions: { refetchOnFocus: false } });
		await advance(5000); // skipped
		// A widget that polls in the background joins (fresh by its staleTime: no fetch on join).
		const widget = record(client.watchQuery({ key: ['feed'], fetcher, options: { staleTime: Infinity, refetchInterval: 5000, refetchIntervalInBackground: true } }));
		await advance(5000); // polls, in the background
		expect(fetcher).toHaveBeenCalledTimes(2);
		widget.stop();
		focus.show();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		watcher.stop();
	});

	it('detaching the source ends the background: polls run again, and a later return makes up for nothing', async () => {
		const { client, focus, detach, fetcher, watcher } = await pollerHidden({}, { defaultOptions: { refetchOnFocus: false } });
		await advance(5000);
		expect(fetcher).toHaveBeenCalledTimes(1);
		detach();
		await advance(5000);
		expect(fetcher).toHaveBeenCalledTimes(2);
		client.mount({ focus });
		focus.show();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		watcher.stop();
	});

	it('a focus source whose isFocused throws is reported and counts as in the foreground; one without isFocused always does', async () => {
		const onError = vi.fn();
		const broken = Object.assign(manualFocus(), {
			isFocused: () => {
				throw new Error('no visibility');
			}
		});
		const client = new QoraClient({ onError });
		client.mount({ focus: broken });
		client.mount({ focus: manualFocus() });
		const fetcher = counter();
		const watcher = record(client.watchQuery({ key: ['feed'], fetcher, options: { refetchInterval: 5000 } }));
		await flush();
		await advance(5000);
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'no visibility' }));
		watcher.stop();
	});

	it('refuses a focus source whose isFocused is not a function', () => {
		const client = new QoraClient();
		expect(() => client.mount({ focus: Object.assign(manualFocus(), { isFocused: true as unknown as () => boolean }) })).toThrow(
			new TypeError('mount(sources): focus.isFocused must be a function')
		);
	});
});

describe('connectivity', () => {
	it('is online by default, with no source', () => {
		expect(new QoraClient().isOnline()).toBe(true);
	});

	it('a fetch started offline waits with fetchStatus paused, without calling the fetcher, and runs on reconnect', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const fetcher = counter();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await advance(MINUTE);
		expect(fetcher).not.toHaveBeenCalled();
		expect(watcher.phases()).toEqual(['pending/paused']);
		expect(watcher.last).toMatchObject({ isPaused: true, isFetching: false, isLoading: false });
		online.set(true);
		expect(fetcher).toHaveBeenCalledTimes(1);
		await flush();
		expect(watcher.phases()).toEqual(['pending/paused', 'pending/fetching', 'success/idle']);
	});

	it('fetchQuery offline waits, then resolves after reconnect', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		let resolved: unknown;
		void client.fetchQuery({ key: ['k'], fetcher: async () => 'data' }).then((data) => (resolved = data));
		await advance(MINUTE);
		expect(resolved).toBeUndefined();
		expect(phase(client.getState(['k']))).toBe('pending/paused');
		online.set(true);
		await flush();
		expect(resolved).toBe('data');
	});

	it('a retry waits while offline (paused, failure count kept) and runs on reconnect', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		let attempts = 0;
		const fetcher = vi.fn(async () => {
			if (++attempts === 1) throw new Error('network');
			return 'ok';
		});
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		online.set(false);
		await advance(MINUTE);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(watcher.last).toMatchObject({ status: 'pending', fetchStatus: 'paused', failureCount: 1 });
		online.set(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(watcher.last).toMatchObject({ status: 'success', data: 'ok', failureCount: 0 });
	});

	it('a fetch already running when the connection drops keeps running', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		online.set(false);
		expect(call(0).signal.aborted).toBe(false);
		call(0).resolve('arrived');
		await flush();
		expect(watcher.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'arrived' });
	});

	it('on reconnect, watched stale queries refetch; fresh ones, unwatched ones and opted-out ones do not', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const stale = counter();
		const fresh = counter();
		const optedOut = counter();
		const disabled = counter();
		const unwatched = counter();
		record(client.watchQuery({ key: ['stale'], fetcher: stale, options: { staleTime: 0 } }));
		record(client.watchQuery({ key: ['fresh'], fetcher: fresh }));
		record(client.watchQuery({ key: ['opted-out'], fetcher: optedOut, options: { staleTime: 0, refetchOnReconnect: false } }));
		client.setQueryData(['disabled'], 0);
		record(client.watchQuery({ key: ['disabled'], fetcher: disabled, options: { staleTime: 0, enabled: false } }));
		await client.fetchQuery({ key: ['unwatched'], fetcher: unwatched, options: { staleTime: 0 } });
		await flush();
		online.set(false);
		online.set(true);
		await flush();
		expect(stale).toHaveBeenCalledTimes(2);
		expect(fresh).toHaveBeenCalledTimes(1);
		expect(optedOut).toHaveBeenCalledTimes(1);
		expect(disabled).not.toHaveBeenCalled();
		expect(unwatched).toHaveBeenCalledTimes(1);
	});

	it('on reconnect, a listener told that one paused fetch goes out may cancel another that waits', async () => {
		const online = manualOnline(false);
		const errors: unknown[] = [];
		const client = new QoraClient({ online, onError: (error) => errors.push(error) });
		const { fetcher } = controlledFetcher<string>();
		const stop = client.observeQuery(['a']).subscribe((state) => {
			if (state.fetchStatus === 'fetching') client.cancel(['b']);
		});
		void client.fetchQuery({ key: ['a'], fetcher });
		const b = client.fetchQuery({ key: ['b'], fetcher });
		online.set(true);
		await expect(b).rejects.toThrow(CancelledError);
		expect(fetcher.mock.calls.map(([context]) => context.key)).toEqual([['a']]);
		expect(client.getState(['b'])?.fetchStatus).toBe('idle');
		expect(errors).toEqual([]);
		stop();
	});

	it('a retry cancelled by the online source it asks before going out is not shown as paused', async () => {
		let cancelOnCheck = false;
		const online = {
			isOnline: () => {
				if (!cancelOnCheck) return true;
				cancelOnCheck = false;
				client.cancel(['k']);
				return false;
			},
			subscribe: () => () => {}
		};
		const client = new QoraClient({ online });
		const fetcher = vi.fn(async () => Promise.reject(new Error('blip')));
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { retry: 1, retryDelay: 10 } }));
		await flush();
		cancelOnCheck = true;
		await advance(10);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'idle', failureCount: 0 });
		expect(watcher.states.some((state) => state.fetchStatus === 'paused')).toBe(false);
		watcher.stop();
	});

	it('a source announcing "online" while already online triggers nothing', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online, defaultOptions: { staleTime: 0 } });
		const fetcher = counter();
		record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		online.set(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('with several online sources, the client is online only when all say so', async () => {
		const a = manualOnline(true);
		const b = manualOnline(true);
		const client = new QoraClient({ online: a });
		client.mount({ online: b });
		expect(client.isOnline()).toBe(true);
		b.set(false);
		expect(client.isOnline()).toBe(false);
		const fetcher = counter();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		expect(phase(watcher.last)).toBe('pending/paused');
		a.set(false);
		a.set(true); // a is back, b is still offline
		expect(client.isOnline()).toBe(false);
		expect(fetcher).not.toHaveBeenCalled();
		b.set(true);
		expect(client.isOnline()).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(1);
		await flush();
		expect(phase(watcher.last)).toBe('success/idle');
	});
});

describe('mount and detach', () => {
	it('mount attaches sources later; the returned function detaches them', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 0 } });
		const focus = manualFocus();
		const detach = client.mount({ focus });
		expect(focus.listenerCount).toBe(1);
		const fetcher = counter();
		record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		focus.focus();
		expect(fetcher).toHaveBeenCalledTimes(2);
		await flush();
		detach();
		expect(focus.listenerCount).toBe(0);
		focus.focus();
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('mounting an offline source pauses new fetches; detaching it resumes the paused ones', async () => {
		const client = new QoraClient();
		const online = manualOnline(false);
		const detach = client.mount({ online });
		expect(client.isOnline()).toBe(false);
		const fetcher = counter();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		expect(phase(watcher.last)).toBe('pending/paused');
		detach();
		expect(online.listenerCount).toBe(0);
		expect(client.isOnline()).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(1);
		await flush();
		expect(phase(watcher.last)).toBe('success/idle');
	});

	it('detach is idempotent and leaves other mounts attached', () => {
		const client = new QoraClient();
		const first = manualFocus();
		const second = manualFocus();
		const detachFirst = client.mount({ focus: first });
		client.mount({ focus: second });
		detachFirst();
		detachFirst();
		expect(first.listenerCount).toBe(0);
		expect(second.listenerCount).toBe(1);
	});

	it('a second call of detach does nothing: whatever waits for the connection hears of the detach once', () => {
		const client = new QoraClient();
		const detach = client.mount({ focus: manualFocus() });
		let resumed = 0;
		client._onResume(() => resumed++);
		detach();
		detach();
		expect(resumed).toBe(1);
	});

	it('mounting a source that reports online is no reconnect: watched stale queries do not refetch', async () => {
		const client = new QoraClient({ defaultOptions: { staleTime: 0 } });
		const fetcher = counter();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher }));
		await flush();
		client.mount({ online: manualOnline(true) });
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		watcher.stop();
	});

	it('an online source mounted twice keeps counting until both mounts are detached', () => {
		const online = manualOnline(true);
		const client = new QoraClient();
		const detachFirst = client.mount({ online });
		const detachSecond = client.mount({ online });
		detachFirst();
		online.set(false);
		expect(client.isOnline()).toBe(false);
		detachSecond();
		expect(client.isOnline()).toBe(true);
	});

	it('mount on a disposed client attaches nothing (nothing would ever detach it)', () => {
		const client = new QoraClient();
		client.dispose();
		const focus = manualFocus();
		const online = manualOnline(true);
		const detach = client.mount({ focus, online });
		expect(focus.listenerCount).toBe(0);
		expect(online.listenerCount).toBe(0);
		detach();
	});

	it('sources given to the constructor are attached at once and detached by dispose', () => {
		const focus = manualFocus();
		const online = manualOnline(true);
		const client = new QoraClient({ focus, online });
		expect(focus.listenerCount).toBe(1);
		expect(online.listenerCount).toBe(1);
		client.dispose();
		expect(focus.listenerCount).toBe(0);
		expect(online.listenerCount).toBe(0);
	});
});

describe('online news told to the client’s resume listeners (qora/svelte’s paused mutations)', () => {
	it('a listener disposing the client: every listener hears of the dispose once, and nothing after it', () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const calls: string[] = [];
		client._onResume(() => {
			calls.push(`A disposed=${client.isDisposed}`);
			client.dispose();
		});
		client._onResume(() => calls.push(`B disposed=${client.isDisposed}`));
		online.set(true);
		expect(calls).toEqual(['A disposed=false', 'A disposed=true', 'B disposed=true']);
	});

	it('a listener that unsubscribed hears nothing more', () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const listener = vi.fn();
		const stop = client._onResume(listener);
		online.set(true);
		stop();
		online.set(false);
		online.set(true);
		client.dispose();
		expect(listener).toHaveBeenCalledTimes(1);
	});
});

describe('a fetch that starts paused while a listener brings the connection back', () => {
	it('shows fetching while its request runs, and a prefetch joining it waits for it', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const { fetcher, calls } = controlledFetcher<string>();
		const stop = client.observeQuery(['k']).subscribe((state) => {
			if (state.fetchStatus === 'paused') online.set(true);
		});
		void client.fetchQuery({ key: ['k'], fetcher, options: { retry: 3 } }).catch(() => {});
		expect(calls).toHaveLength(1);
		let prefetched = false;
		void client.prefetchQuery({ key: ['k'], fetcher, options: { retry: 3 } }).then(() => (prefetched = true));
		await flush();
		expect(client.getState(['k'])?.fetchStatus).toBe('fetching');
		expect(prefetched).toBe(false);
		stop();
	});

	it('reports no error, and a listener that cancels it as it goes out stops it before the fetcher runs', async () => {
		const online = manualOnline(false);
		const errors: unknown[] = [];
		const client = new QoraClient({ online, onError: (error) => errors.push(error) });
		const { fetcher } = controlledFetcher<string>();
		const stop = client.observeQuery(['k']).subscribe((state) => {
			if (state.fetchStatus === 'paused') online.set(true);
			else if (state.fetchStatus === 'fetching') client.cancel(['k']);
		});
		await expect(client.fetchQuery({ key: ['k'], fetcher })).rejects.toThrow(CancelledError);
		expect(fetcher).not.toHaveBeenCalled();
		expect(client.getState(['k'])?.fetchStatus).toBe('idle');
		expect(errors).toEqual([]);
		stop();
	});
});

describe('fetches held back at reconnect while a resumed write is out', () => {
	/** A paused write (qora/svelte's mutation) that the next "online" news resumes: it stays out until `done` settles. */
	function resumedWrite(client: QoraClient) {
		let resolveWrite!: () => void;
		const write = new Promise<void>((resolve) => (resolveWrite = resolve));
		let resumed = false;
		client._onResume((writes) => {
			if (!resumed && client.isOnline()) {
				resumed = true;
				writes.push(write);
			}
		});
		return { done: () => resolveWrite() };
	}

	it('a fetchQuery joining one sends it at once: the write may itself be awaiting that data', async () => {
		const online = manualOnline(false);
		const client = new QoraClient({ online });
		const { fetcher, call } = controlledFetcher<string>();
		const watcher = record(client.watchQuery({ key: ['token'], fetcher }));
		expect(phase(watcher.last)).toBe('pending/paused');
		const write = resumedWrite(client);
		online.set(true);
		await flush();
		// Held: its answer could predate the write.
		expect(fetcher).not.toHaveBeenCalled();
		// The mutationFn ensures a token first: holding this fetch would hold both for ever.
		const token = client.fetchQuery({ key: ['token'], fetcher });
		expect(fetcher).toHaveBeenCalledTimes(1);
		call(0).resolve('t1');
		await expect(token).resolves.toBe('t1');
		write.done();
		await flush();
		watcher.stop();
	});

	it('one handler per write, however often a flapping connection tells of it while it is still out', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		// A write whose onMutate is still running: it is handed over again at every news.
		const write = new Promise<void>(() => {});
		const then = vi.spyOn(write, 'then');
		client._onResume((writes) => writes.push(write));
		online.set(false);
		online.set(true);
		await flush();
		const handlers = then.mock.calls.length;
		for (let i = 0; i < 50; i++) {
			online.set(false);
			online.set(true);
		}
		await flush();
		expect(then.mock.calls.length).toBe(handlers);
	});

	it('a reconnect while a write resumed by a mount is still out refetches stale queries once the write settles', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const fetcher = counter();
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		const write = resumedWrite(client);
		// A provider mounting its focus source: news while online, no reconnect, and the write is resumed.
		client.mount({ focus: manualFocus() });
		// Then the connection drops and comes back while the write is still out.
		online.set(false);
		online.set(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		write.done();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		watcher.stop();
	});
});
