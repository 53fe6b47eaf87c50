// Bad platform sources, clocks and subscribers: a clear error at the call, and nothing left half-attached.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type FocusSource, type OnlineSource } from '../../src/lib/index.js';
import { advance, flush, manualFocus, manualOnline, useFakeTime } from './helpers.js';
import { unhandledRejectionsDuring } from '../ssr/unhandled-rejections.js';

beforeEach(useFakeTime);
afterEach(() => {
	vi.restoreAllMocks();
	vi.useRealTimers();
});

const throwingSubscribe = (isOnline: boolean): OnlineSource => ({
	isOnline: () => isOnline,
	subscribe: () => {
		throw new Error('subscribe failed');
	}
});

describe('mount() is all or nothing: a source whose subscribe throws leaves nothing of the mount attached', () => {
	it('an offline-reporting online source whose subscribe threw does not count: later fetches go out', async () => {
		const client = new QoraClient();
		expect(() => client.mount({ online: throwingSubscribe(false) })).toThrow('subscribe failed');
		// mount threw, so the caller has no detach function: nothing of that mount may stay attached.
		const fetcher = vi.fn(async () => 'data');
		const result = client.fetchQuery({ key: ['other'], fetcher }).then((v) => ({ v }));
		const outcome = await Promise.race([result, advance(60_000).then(() => 'hung')]);
		expect({ isOnline: client.isOnline(), fetcherCalls: fetcher.mock.calls.length, outcome }).toEqual({
			isOnline: true,
			fetcherCalls: 1,
			outcome: { v: 'data' }
		});
	});

	it("keeps a first page's load fetches going out offline (answered from the page) after an online source's mount threw", async () => {
		// loadQoraClient on a cached first page opened offline: the browser's source says offline, and SvelteKit
		// answers the loads' fetches from the responses inlined in the page until the provider mounts (deferral 2).
		const client = new QoraClient({ online: manualOnline(false) });
		client._deferRevalidation(2);
		// A load tries a native connectivity source (a Capacitor plugin missing on the web) and goes on without it.
		expect(() => client.mount({ online: throwingSubscribe(true) })).toThrow('subscribe failed');
		const fromPage = vi.fn(async () => [{ title: 'Hello' }]);
		const outcome = await Promise.race([client.fetchQuery({ key: ['posts'], fetcher: fromPage }), advance(60_000).then(() => 'hung')]);
		// Before, the failed mount ended the deferral's offline answers: the fetch paused, the load never finished.
		expect({ outcome, fetcherCalls: fromPage.mock.calls.length }).toEqual({ outcome: [{ title: 'Hello' }], fetcherCalls: 1 });
		client.dispose();
	});

	it('the focus source of the same mount is unsubscribed again', () => {
		const client = new QoraClient();
		const focus = manualFocus();
		expect(() => client.mount({ focus, online: throwingSubscribe(true) })).toThrow('subscribe failed');
		expect(focus.listenerCount).toBe(0);
	});

	it('the same through the constructor: new QoraClient throws and leaves the focus source no listener', () => {
		const focus = manualFocus();
		expect(() => new QoraClient({ focus, online: throwingSubscribe(true) })).toThrow('subscribe failed');
		expect(focus.listenerCount).toBe(0);
	});
});

describe('a source whose subscribe returns no unsubscriber (returns addEventListener(...), say)', () => {
	it('is refused by mount with a TypeError, leaving nothing attached, and dispose still cleans up everything', async () => {
		const client = new QoraClient();
		let subscribed = 0;
		const focus: FocusSource = { subscribe: () => (subscribed++, undefined as unknown as () => void) };
		expect(() => client.mount({ focus })).toThrow(/focus\.subscribe must return a function that unsubscribes, got undefined/);
		let signal: AbortSignal | undefined;
		const pending = client.fetchQuery({ key: ['k'], fetcher: (c) => ((signal = c.signal), new Promise<string>(() => {})) });
		pending.catch(() => {});
		client.setQueryData(['gc'], 1); // arms the gc timer
		await flush();
		client.dispose();
		expect({ subscribed, signalAborted: signal?.aborted, timers: vi.getTimerCount(), entries: client.size }).toEqual({
			subscribed: 1,
			signalAborted: true,
			timers: 0,
			entries: 0
		});
	});

	it('keeps the refused focus source from refetching: its focus news after the failed mount changes nothing', async () => {
		const client = new QoraClient();
		const fetcher = vi.fn(async () => 'data');
		const stop = client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }).subscribe(() => {});
		await flush();
		// `subscribe` returns what addEventListener returned (undefined): the listener is on, with no way to take it off.
		let onFocus: (() => void) | undefined;
		const focus = { subscribe: (listener: () => void) => void (onFocus = listener) } as unknown as FocusSource;
		expect(() => client.mount({ focus })).toThrow(/focus\.subscribe must return a function that unsubscribes, got undefined/);
		onFocus?.();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		stop();
	});

	it('dispose finishes even when an unsubscriber throws, and reports it', async () => {
		const reported: unknown[] = [];
		const client = new QoraClient({ onError: (error) => reported.push(error) });
		client.mount({ focus: { subscribe: () => () => { throw new Error('unsubscribe failed'); } } });
		client.setQueryData(['gc'], 1);
		client.dispose();
		expect({ reported: reported.map(String), timers: vi.getTimerCount(), entries: client.size }).toEqual({
			reported: ['Error: unsubscribe failed'],
			timers: 0,
			entries: 0
		});
	});
});

describe('an online source whose isOnline() throws once (transiently)', () => {
	it('is reported and counts as online: the fetch goes out and the key stays usable', async () => {
		let fail = false;
		const online: OnlineSource = {
			isOnline: () => {
				if (fail) {
					fail = false;
					throw new Error('isOnline failed');
				}
				return true;
			},
			subscribe: () => () => {}
		};
		const reported: unknown[] = [];
		const client = new QoraClient({ online, onError: (error) => reported.push(error) });
		fail = true;
		const fetcher = vi.fn(async () => 'data');
		await expect(client.fetchQuery({ key: ['k'], fetcher })).resolves.toBe('data');
		expect(reported.map(String)).toEqual(['Error: isOnline failed']);
		expect(client.getState(['k'])).toMatchObject({ data: 'data', fetchStatus: 'idle' });
	});
});

describe('an online source whose isOnline() returns no boolean (a missing return: isOnline() { navigator.onLine })', () => {
	it('keeps fetching when an online source answers undefined: reported as no boolean, it counts as online instead of pausing every query for good', async () => {
		const online = { isOnline() {}, subscribe: () => () => {} } as unknown as OnlineSource;
		const reported: unknown[] = [];
		const client = new QoraClient({ online, onError: (error) => reported.push(error) });
		const fetcher = vi.fn(async () => 'data');
		const outcome = client.fetchQuery({ key: ['k'], fetcher });
		await flush();
		// Before: the client took undefined for "offline", silently: the fetch waited paused for a
		// connection that was never lost, and so did every query and write of the app.
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 'data', fetchStatus: 'idle' });
		await expect(outcome).resolves.toBe('data');
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(reported.some((error) => error instanceof TypeError && /isOnline\(\) returned undefined, not a boolean/.test(error.message))).toBe(true);
		client.dispose();
	});
});

describe('a source whose subscribe is async (returns a promise, not its unsubscriber)', () => {
	it('is refused by mount as a promise, and its rejection is no unhandled rejection beside the TypeError', async () => {
		const client = new QoraClient();
		const focus = { subscribe: async () => { throw new Error('listener setup failed'); } } as unknown as FocusSource;
		const unhandled = await unhandledRejectionsDuring(async () => {
			expect(() => client.mount({ focus })).toThrow(/focus\.subscribe must return a function that unsubscribes, got a promise/);
			client.dispose();
			vi.useRealTimers(); // Node reports unhandled rejections on its own turns
		});
		expect(unhandled.map(String)).toEqual([]);
	});
});

describe('a source whose isOnline() or isFocused() returns a promise (an async status lookup, as Capacitor’s Network.getStatus())', () => {
	it('keeps the app from silently counting as online and in the foreground: each answer is reported as a promise, and a rejecting one is no unhandled rejection', async () => {
		const reported: unknown[] = [];
		const online = { isOnline: async () => false, subscribe: () => () => {} } as unknown as OnlineSource;
		const focus = { isFocused: async () => { throw new Error('status lookup failed'); }, subscribe: () => () => {} } as unknown as FocusSource;
		const unhandled = await unhandledRejectionsDuring(async () => {
			const client = new QoraClient({ online, focus, onError: (error) => reported.push(error) });
			reported.length = 0;
			client.isOnline();
			client.watchQuery({ key: ['k'], fetcher: async () => 1, options: { refetchInterval: 10 } }).subscribe(() => {});
			await advance(30); // three polls, each asking whether the app is in the foreground
			client.dispose();
			vi.useRealTimers(); // Node reports unhandled rejections on its own turns
		});
		expect(unhandled.map(String)).toEqual([]);
		expect(reported.some((error) => /isOnline\(\).*promise/.test(String(error)))).toBe(true);
		expect(reported.some((error) => /isFocused\(\).*promise/.test(String(error)))).toBe(true);
	});
});

describe('a clock whose now() returns NaN (now: () => fake.time with a misspelt field, say)', () => {
	it('is refused at construction, where a NaN deadline would stop every retry and gc for good', async () => {
		const clock = {
			now: () => NaN,
			setTimeout: (run: () => void, ms: number) => setTimeout(run, ms),
			clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>)
		};
		expect(() => new QoraClient({ clock })).toThrow(/clock\.now\(\) must return a finite number of ms, got NaN/);
	});

	it('so is one whose monotonic() reads NaN, where no retry, gc or poll would ever come due and its timer would spin', () => {
		const timers = { setTimeout: (run: () => void, ms: number) => setTimeout(run, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };
		expect(() => new QoraClient({ clock: { now: () => Date.now(), monotonic: () => NaN, ...timers } })).toThrow(
			/clock\.monotonic\(\) must return a finite number of ms, got NaN/
		);
		expect(() => new QoraClient({ clock: { now: () => Date.now(), monotonic: 5 as never, ...timers } })).toThrow(/clock\.monotonic must be a function or absent/);
	});

	it('so is one missing setTimeout or clearTimeout, before a write could half happen', () => {
		expect(() => new QoraClient({ clock: { now: () => Date.now() } as never })).toThrow(/clock\.setTimeout must be a function/);
		expect(() => new QoraClient({ clock: { now: () => Date.now(), setTimeout: () => 0 } as never })).toThrow(/clock\.clearTimeout must be a function/);
	});
});

describe('watchQuery(config).subscribe(run) with a run that is not a function', () => {
	it('throws a TypeError at the call and adds no watcher', async () => {
		const reported: unknown[] = [];
		const client = new QoraClient({ onError: (e) => reported.push(e) });
		const store = client.watchQuery({ key: ['k'], fetcher: async () => 'x' });
		let thrown: unknown;
		try {
			(store.subscribe as (run: unknown) => () => void)(undefined);
		} catch (e) {
			thrown = e;
		}
		await flush();
		expect({ thrown: thrown instanceof TypeError, reported: reported.map(String), entries: client.size }).toEqual({ thrown: true, reported: [], entries: 0 });
	});
});

describe('mount() with a misspelt source name', () => {
	it('is refused with the nearest name, as new QoraClient refuses it', () => {
		const client = new QoraClient();
		const online = { isOnline: () => false, subscribe: () => () => {} };
		expect(() => new QoraClient({ onLine: online } as never)).toThrow(/did you mean "online"/);
		expect(() => client.mount({ onLine: online } as never)).toThrow(/mount\(sources\): unknown field "onLine"; did you mean "online"\?/);
	});
});

describe('mount() with sources of the wrong shape', () => {
	it('a sources argument that is not an object is told the shape expected', () => {
		const client = new QoraClient();
		expect(() => client.mount(null as never)).toThrow(/^mount\(sources\): expected \{ focus\?, online\? \}, got null$/);
		expect(() => client.mount(5 as never)).toThrow(/^mount\(sources\): expected \{ focus\?, online\? \}, got number$/);
	});

	it('a source with no subscribe function is named before anything is called', () => {
		const client = new QoraClient();
		expect(() => client.mount({ focus: {} as never })).toThrow(/^mount\(sources\): focus\.subscribe must be a function$/);
		expect(() => client.mount({ online: { isOnline: () => true } as never })).toThrow(/^mount\(sources\): online\.subscribe must be a function$/);
	});
});
