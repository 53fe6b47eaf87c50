/**
 * Leaks: watch/unwatch churn over many keys must leave an empty cache and no
 * pending timer once gcTime has passed, detached sources must hold no
 * listener, and the heap must stay flat (measured in a child process started
 * with --expose-gc, on an esbuild bundle of src/lib/index.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type FetchContext } from '../../src/lib/index.js';
import { FakeFocus, FakeOnline, advance, failOnUnhandledRejections, flush, useFakeTime } from './support.js';

failOnUnhandledRejections();
beforeEach(() => useFakeTime());
afterEach(() => {
	vi.useRealTimers();
});

const GC_TIME = 60_000;
const KEYS = 1_000;
const CYCLES = 10_000;

describe('leaks: churn leaves nothing behind after gcTime', () => {
	it('10,000 watch/unwatch cycles over 1,000 keys: cache empty and no timer pending after gcTime, one fetch per key', async () => {
		const client = new QoraClient({ defaultOptions: { gcTime: GC_TIME } });
		let fetches = 0;
		const fetcher = async ({ key }: FetchContext) => {
			fetches++;
			return { id: key[1], rows: [1, 2, 3] };
		};
		for (let i = 0; i < CYCLES; i++) {
			const key = ['item', i % KEYS, { tab: (i % KEYS) % 4 }];
			const stop = client.watchQuery({ key, fetcher }).subscribe(() => {});
			// Half the watchers leave while their fetch is still in flight.
			if (i % 2 === 1) await flush();
			stop();
		}
		await flush();
		expect(client.size).toBe(KEYS);
		expect(fetches).toBe(KEYS); // fresh data and shared fetches: never more than one call per key
		expect(vi.getTimerCount()).toBe(1); // one scheduler timer for 1,000 gc deadlines
		await advance(GC_TIME - 1);
		expect(client.size).toBe(KEYS);
		await advance(1);
		expect(client.size).toBe(0);
		expect(client.keys()).toEqual([]);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('every API touching 1,000 keys (fetch, prefetch, set, restore, invalidate, observe, poll, cancel) leaves an empty cache and no timer after gcTime', async () => {
		const client = new QoraClient({ defaultOptions: { gcTime: GC_TIME, staleTime: 1_000 } });
		const fetcher = async ({ key }: FetchContext) => key[1];
		const never = () => new Promise<never>(() => {});
		for (let i = 0; i < KEYS; i++) {
			const key = ['k', i];
			switch (i % 8) {
				case 0:
					void client.fetchQuery({ key, fetcher });
					break;
				case 1:
					void client.prefetchQuery({ key, fetcher: () => Promise.reject(new Error('x')), options: { retry: 0 } });
					break;
				case 2:
					client.setQueryData(key, i);
					break;
				case 3:
					client.restoreQueryData(key, client.getState(['k', i - 1]));
					break;
				case 4: {
					const stop = client.watchQuery({ key, fetcher, options: { refetchInterval: 500 } }).subscribe(() => {});
					await advance(1_200);
					stop();
					break;
				}
				case 5:
					client.observeQuery(key).subscribe(() => {})();
					break;
				case 6:
					void client.fetchQuery({ key, fetcher: never }).catch(() => {});
					client.cancel(key);
					break;
				case 7:
					client.setQueryData(key, i);
					void client.invalidate(key);
					break;
			}
		}
		await flush();
		void client.invalidateWhere(() => true);
		await advance(GC_TIME);
		expect(client.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('10,000 mount/detach cycles of focus and online sources leave no listener attached', () => {
		const client = new QoraClient();
		const focus = new FakeFocus();
		const online = new FakeOnline(true);
		for (let i = 0; i < CYCLES; i++) {
			const detach = client.mount({ focus, online });
			if (i % 2) detach(); // detaching twice must be harmless
			detach();
		}
		expect(focus.listenerCount).toBe(0);
		expect(online.listenerCount).toBe(0);
		expect(client.isOnline()).toBe(true);
		online.set(false);
		expect(client.isOnline()).toBe(true); // a detached source no longer counts
		client.dispose();
	});

	it('dispose with watchers, polls, retries and fetches in flight leaves no timer and no source listener', async () => {
		const focus = new FakeFocus();
		const online = new FakeOnline(true);
		const client = new QoraClient({ focus, online, defaultOptions: { retry: 5 } });
		for (let i = 0; i < 100; i++) {
			client.watchQuery({ key: ['w', i], fetcher: () => Promise.reject(new Error('retrying')), options: { refetchInterval: 1_000 } }).subscribe(() => {});
			void client.fetchQuery({ key: ['f', i], fetcher: () => new Promise(() => {}) }).catch(() => {});
		}
		await advance(500);
		expect(vi.getTimerCount()).toBeGreaterThan(0);
		client.dispose();
		expect(vi.getTimerCount()).toBe(0);
		expect(focus.listenerCount).toBe(0);
		expect(online.listenerCount).toBe(0);
		expect(client.size).toBe(0);
	});
});

describe('leaks: heap stays flat (child process with --expose-gc)', () => {
	const here = dirname(fileURLToPath(import.meta.url));
	const root = resolve(here, '../..');
	let dir = '';
	let bundle = '';

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'qora-heap-'));
		bundle = join(dir, 'qora.mjs');
		await build({ entryPoints: [join(root, 'src/lib/index.ts')], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'silent' });
	});
	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	interface Probe {
		fetches: number;
		rounds: { heapUsed: number; size: number; timers: number }[];
	}

	function probe(mode: 'clean' | 'leak', rounds: number): Probe {
		const run = spawnSync(process.execPath, ['--expose-gc', join(here, 'heap-probe.mjs'), bundle, mode, String(rounds)], {
			encoding: 'utf8',
			timeout: 50_000
		});
		if (run.status !== 0) throw new Error(`heap probe failed (${run.status} ${run.signal}): ${run.stderr}`);
		return JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as Probe;
	}

	it('a request-scoped client (loadQoraClient on the server) that is never disposed is garbage once unreferenced, even with a store still subscribed; a plain one is held by its gc timer', () => {
		const script = `
			const { QoraClient } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
			function make(requestScoped, watched = false) {
				const client = new QoraClient();
				if (requestScoped) client._scopeToRequest();
				for (let i = 0; i < 100; i++) client.setQueryData(['k', i], { i });
				// A load that subscribed, then threw redirect(): no staleness timer may hold the client.
				if (watched) client.observeQuery(['k', 0]).subscribe(() => {});
				return new WeakRef(client);
			}
			const scoped = make(true);
			const scopedWatched = make(true, true);
			const plain = make(false);
			for (let i = 0; i < 2; i++) {
				await new Promise((resolve) => setTimeout(resolve, 0)); // WeakRef targets live to the end of the job
				gc();
			}
			console.log(JSON.stringify({ scopedCollected: scoped.deref() === undefined, scopedWatchedCollected: scopedWatched.deref() === undefined, plainCollected: plain.deref() === undefined }));
			process.exit(0);
		`;
		const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 50_000 });
		if (run.status !== 0) throw new Error(`probe failed (${run.status} ${run.signal}): ${run.stderr}`);
		expect(JSON.parse(run.stdout.trim())).toEqual({ scopedCollected: true, scopedWatchedCollected: true, plainCollected: false });
	});

	/** Runs an ES module script against the bundle in a fresh Node process; `qora` is the bundle's exports. */
	function runScript(body: string) {
		const script = `const qora = await import(${JSON.stringify(pathToFileURL(bundle).href)});\n${body}`;
		return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 50_000 });
	}

	it('a Node script awaiting a fetchQuery through a retry backoff gets its answer (the backoff keeps the process running)', () => {
		const run = runScript(`
			const client = new qora.QoraClient();
			let attempts = 0;
			const fetcher = async () => {
				if (++attempts === 1) throw new Error('ECONNRESET');
				return 'ok';
			};
			const data = await client.fetchQuery({ key: ['config'], fetcher, options: { retry: 1, retryDelay: 50 } });
			console.log(data, attempts);
		`);
		expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: 'ok 2' });
	});

	it('polling keeps a Node script running while a watcher is subscribed; an undisposed client with only gc timers lets it exit', () => {
		const run = runScript(`
			const client = new qora.QoraClient();
			let polls = 0;
			const stop = client.watchQuery({ key: ['tick'], fetcher: async () => ++polls, options: { refetchInterval: 20 } }).subscribe((state) => {
				if (state.data !== 3) return;
				stop();
				console.log('polled', polls);
			});
		`);
		expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: 'polled 3' });
	});

	/** Heap growth (bytes) after `n` calls of a scenario against one fetch that never answers. */
	function growthWhileAFetchHangs(scenario: 'invalidate' | 'prefetch' | 'invalidateWhere', n: number): number {
		const script = `
			const { QoraClient } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
			const turn = () => new Promise((resolve) => setImmediate(resolve));
			const heap = async () => { for (let i = 0; i < 3; i++) { await turn(); gc(); } return process.memoryUsage().heapUsed; };
			const never = () => new Promise(() => {});
			const abortable = ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
			const client = new QoraClient({ defaultOptions: { retry: 0, staleTime: Infinity } });
			const n = ${n};
			const before = await heap();
			if (${JSON.stringify(scenario)} === 'invalidate') {
				// Invalidations (websocket pushes) coming faster than the API answers: each replaces the fetch.
				client.watchQuery({ key: ['k'], fetcher: abortable }).subscribe(() => {});
				for (let i = 0; i < n; i++) { void client.invalidate(['k']); if (i % 100 === 0) await turn(); }
			} else if (${JSON.stringify(scenario)} === 'invalidateWhere') {
				// A dashboard's widgets under one prefix, all refetched on every push while their API hangs.
				for (let k = 0; k < 3; k++) client.watchQuery({ key: ['metrics', k], fetcher: abortable }).subscribe(() => {});
				for (let i = 0; i < n; i++) { void client.invalidateWhere(['metrics']); if (i % 100 === 0) await turn(); }
			} else {
				// Loads prefetching a key that has data while its background refetch hangs.
				client.setQueryData(['k'], 1);
				client.watchQuery({ key: ['k'], fetcher: never }).subscribe(() => {});
				void client.invalidate(['k']);
				for (let i = 0; i < n; i++) await client.prefetchQuery({ key: ['k'], fetcher: never });
			}
			console.log(await heap() - before);
			process.exit(0);
		`;
		const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 50_000 });
		if (run.status !== 0) throw new Error(`probe failed (${run.status} ${run.signal}): ${run.stderr}`);
		return Number(run.stdout.trim());
	}

	it.each(['invalidate', 'prefetch'] as const)('%s calls against one fetch that never answers keep nothing per call (heap flat from 2,000 to 8,000 calls)', (scenario) => {
		const growth = growthWhileAFetchHangs(scenario, 8_000) - growthWhileAFetchHangs(scenario, 2_000);
		// About 100 B per call would already be 0.6 MB; before, these kept 0.5-1.2 kB per call.
		expect(growth).toBeLessThan(500 * 1024);
	});

	it('keeps nothing per invalidateWhere call when the fetches of the keys it matches never answer (heap flat from 2,000 to 8,000 calls)', () => {
		const growth = growthWhileAFetchHangs('invalidateWhere', 8_000) - growthWhileAFetchHangs('invalidateWhere', 2_000);
		// Before, each call over several keys waited on their fetches with a Promise.all of its own: 800 B per call over 3 keys.
		expect(growth).toBeLessThan(500 * 1024);
	});

	/** Heap growth (bytes) after `n` calls of a scenario while the key's fetch waits for the connection. */
	function growthWhileAFetchWaitsOffline(scenario: 'invalidate' | 'prefetch', n: number): number {
		const script = `
			const { QoraClient } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
			const turn = () => new Promise((resolve) => setImmediate(resolve));
			const heap = async () => { for (let i = 0; i < 3; i++) { await turn(); gc(); } return process.memoryUsage().heapUsed; };
			// Offline for the whole run: the fetch stays paused, its promise pending.
			const online = { isOnline: () => false, subscribe: () => () => {} };
			const client = new QoraClient({ online, defaultOptions: { retry: 0, staleTime: Infinity } });
			const fetcher = async () => 1;
			const n = ${n};
			const before = await heap();
			if (${JSON.stringify(scenario)} === 'invalidate') {
				// A page on screen invalidated again and again (after each save, on a timer) while offline.
				client.watchQuery({ key: ['k'], fetcher }).subscribe(() => {});
				for (let i = 0; i < n; i++) await client.invalidate(['k']);
			} else {
				// Loads prefetching a key whose fetch waits for the connection: each navigation goes on at once.
				for (let i = 0; i < n; i++) await client.prefetchQuery({ key: ['k'], fetcher });
			}
			console.log(await heap() - before, client.getState(['k']).fetchStatus);
			process.exit(0);
		`;
		const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 50_000 });
		if (run.status !== 0) throw new Error(`probe failed (${run.status} ${run.signal}): ${run.stderr}`);
		const [growth, fetchStatus] = run.stdout.trim().split(' ');
		expect(fetchStatus).toBe('paused');
		return Number(growth);
	}

	it.each(['invalidate', 'prefetch'] as const)('%s calls while the fetch waits for the connection keep nothing per call until it is back (heap flat from 4,000 to 16,000 calls)', (scenario) => {
		const growth = growthWhileAFetchWaitsOffline(scenario, 16_000) - growthWhileAFetchWaitsOffline(scenario, 4_000);
		// Before, each call left a handler on the paused fetch's promise: about 400 B, 5 MB over 12,000 calls.
		expect(growth).toBeLessThan(1024 * 1024);
	});

	/** Heap growth (bytes) after `n` watchers of one key, each with a staleTime of its own, came and went beside two that stay. */
	function growthWithDistinctStaleTimes(n: number): number {
		const script = `
			const { QoraClient } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
			const heap = () => { for (let i = 0; i < 3; i++) gc(); return process.memoryUsage().heapUsed; };
			const client = new QoraClient();
			client.setQueryData(['k'], 1);
			const fetcher = async () => 1;
			// Two that stay: the shortest staleTime among them is what the comers never undercut.
			client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 5e9 } }).subscribe(() => {});
			client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 4e9 } }).subscribe(() => {});
			const before = heap();
			for (let i = 0; i < ${n}; i++) client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 6e9 + i } }).subscribe(() => {})();
			console.log(heap() - before, client.getState(['k']).isStale);
			process.exit(0);
		`;
		const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 50_000 });
		if (run.status !== 0) throw new Error(`probe failed (${run.status} ${run.signal}): ${run.stderr}`);
		const [growth, stale] = run.stdout.trim().split(' ');
		expect(stale).toBe('false');
		return Number(growth);
	}

	it('watchers with staleTimes of their own coming and going on one key keep nothing per watcher (heap flat from 20,000 to 80,000)', () => {
		const growth = growthWithDistinctStaleTimes(80_000) - growthWithDistinctStaleTimes(20_000);
		// Keeping each gone staleTime would cost megabytes over 60,000 watchers.
		expect(growth).toBeLessThan(500 * 1024);
	});

	/** Heap growth (bytes) after `n` failed refetches of a watched key whose endpoint keeps failing. */
	function growthWhileRefetchesFail(scenario: 'poll' | 'invalidate' | 'invalidate during retries', n: number): number {
		const script = `
			const { QoraClient } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
			// A clock the script moves: the client's one timer, run when its time comes.
			let t = 1_700_000_000_000;
			let timer = null;
			const clock = { now: () => t, setTimeout: (run, ms) => (timer = { run, at: t + ms }), clearTimeout: (handle) => void (timer === handle && (timer = null)) };
			const advance = async (ms) => {
				const end = t + ms;
				for (;;) {
					await new Promise((resolve) => setImmediate(resolve));
					if (timer === null || timer.at > end) break;
					const { run, at } = timer;
					timer = null;
					t = at;
					run();
				}
				t = end;
			};
			const heap = () => { for (let i = 0; i < 3; i++) gc(); return process.memoryUsage().heapUsed; };
			const client = new QoraClient({ clock, onError: () => {} });
			// The API is down: every request fails, as an Error (with its stack) does.
			const fetcher = async () => { throw new Error('503 Service Unavailable'); };
			const scenario = ${JSON.stringify(scenario)};
			const poll = scenario === 'poll';
			// A dashboard widget polling every 5 s, or a page refetching on every invalidation (a websocket push),
			// after the refetch before failed or while it still retries (invalidations faster than the backoff).
			client.watchQuery({ key: ['k'], fetcher, options: poll ? { refetchInterval: 5_000, retry: 0 } : { retry: 3, retryDelay: 1_000 } }).subscribe(() => {});
			const step = async () => {
				if (!poll) void client.invalidate(['k']);
				await advance(scenario === 'invalidate during retries' ? 400 : 5_000);
			};
			for (let i = 0; i < 100; i++) await step();
			const before = heap();
			for (let i = 0; i < ${n}; i++) await step();
			console.log(heap() - before, client.getState(['k']).status);
			process.exit(0);
		`;
		const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 50_000 });
		if (run.status !== 0) throw new Error(`probe failed (${run.status} ${run.signal}): ${run.stderr}`);
		const [growth, status] = run.stdout.trim().split(' ');
		expect(status).toBe('error');
		return Number(growth);
	}

	it.each(['poll', 'invalidate', 'invalidate during retries'] as const)('keeps nothing per failed refetch when a watched query’s endpoint keeps failing (%s; heap flat from 1,000 to 5,000 refetches)', (scenario) => {
		const growth = growthWhileRefetchesFail(scenario, 5_000) - growthWhileRefetchesFail(scenario, 1_000);
		// Before, each failure kept the one before it (1 to 5 kB each): up to 20 MB over 4,000 refetches.
		expect(growth).toBeLessThan(1024 * 1024);
	});

	/** Heap growth (bytes) after `n` navigations prefetching a key whose failing fetch a chatty websocket keeps invalidating. */
	function growthWhileInvalidationsOutpaceAFailingServer(n: number): number {
		const script = `
			const { QoraClient } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
			let t = 1_700_000_000_000;
			let seq = 0;
			const timers = new Map();
			const clock = {
				now: () => t,
				setTimeout: (run, ms) => (timers.set(++seq, { run, at: t + ms }), seq),
				clearTimeout: (id) => void timers.delete(id)
			};
			const advance = async (ms) => {
				const end = t + ms;
				for (;;) {
					await new Promise((resolve) => setImmediate(resolve));
					let next = null;
					for (const [id, timer] of timers) if (timer.at <= end && (next === null || timer.at < next[1].at)) next = [id, timer];
					if (next === null) break;
					timers.delete(next[0]);
					t = next[1].at;
					next[1].run();
				}
				t = end;
			};
			const heap = () => { for (let i = 0; i < 3; i++) gc(); return process.memoryUsage().heapUsed; };
			const client = new QoraClient({ clock, onError: () => {} });
			// The API is down: each request fails after a second (a gateway timeout), or when aborted.
			const fetcher = ({ signal }) => new Promise((_, reject) => {
				const id = clock.setTimeout(() => reject(new Error('502 Bad Gateway')), 1_000);
				signal.addEventListener('abort', () => (clock.clearTimeout(id), reject(signal.reason)));
			});
			// A status widget on screen, invalidated by a websocket every 300 ms, which still works.
			client.watchQuery({ key: ['status'], fetcher, options: { retry: 1, retryDelay: 500 } }).subscribe(() => {});
			let released = 0;
			// A navigation every 2.1 s whose load prefetches the key: it goes on after the first failure, as prefetchQuery does.
			const navigate = async () => {
				void client.prefetchQuery({ key: ['status'], fetcher }).then(() => released++);
				for (let i = 0; i < 7; i++) {
					void client.invalidate(['status']);
					await advance(300);
				}
			};
			for (let i = 0; i < 50; i++) await navigate();
			const before = heap();
			for (let i = 0; i < ${n}; i++) await navigate();
			console.log(heap() - before, released);
			process.exit(0);
		`;
		const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 50_000 });
		if (run.status !== 0) throw new Error(`probe failed (${run.status} ${run.signal}): ${run.stderr}`);
		const [growth, released] = run.stdout.trim().split(' ');
		expect(Number(released)).toBe(50 + n); // no navigation waited for good
		return Number(growth);
	}

	it('keeps nothing per navigation when a load prefetches a key whose failing fetch a chatty websocket invalidates faster than the server answers (heap flat from 200 to 1,000 navigations)', () => {
		const growth = growthWhileInvalidationsOutpaceAFailingServer(1_000) - growthWhileInvalidationsOutpaceAFailingServer(200);
		// Before, each follow-up fetch took over the callers of the one before, so the shared promise never settled:
		// every prefetch left a handler on it holding the fetch of its time (its signal, listeners and failure), 2.6 kB each.
		expect(growth).toBeLessThan(1024 * 1024);
	});

	/** Heap growth (bytes) after the connection flapped `n` times while a write resumed at reconnect never settles. */
	async function growthWhileTheConnectionFlapsUnderAResumedWrite(scenario: 'mutationFn' | 'onMutate', n: number): Promise<number> {
		// qora and qora/svelte's createMutation, sharing one copy of the core.
		const out = join(dir, 'with-mutations');
		await build({
			entryPoints: { qora: join(root, 'src/lib/index.ts'), mutation: join(root, 'src/lib/svelte/create-mutation.ts') },
			bundle: true, splitting: true, format: 'esm', platform: 'node', outdir: out, logLevel: 'silent'
		});
		const script = `
			const { QoraClient } = await import(${JSON.stringify(pathToFileURL(join(out, 'qora.js')).href)});
			const { createMutation } = await import(${JSON.stringify(pathToFileURL(join(out, 'mutation.js')).href)});
			const turn = () => new Promise((resolve) => setImmediate(resolve));
			const heap = async () => { for (let i = 0; i < 3; i++) { await turn(); gc(); } return process.memoryUsage().heapUsed; };
			let online = false;
			const listeners = new Set();
			const source = { isOnline: () => online, subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)) };
			const set = (next) => { online = next; for (const listener of [...listeners]) listener(next); };
			const client = new QoraClient({ online: source });
			const never = () => new Promise(() => {});
			// Saved offline; back online the POST goes out and its server never answers (no timeout on the request),
			// or its onMutate never ends (it awaits a lock another tab holds), so the write is never done either.
			const options = ${JSON.stringify(scenario)} === 'mutationFn' ? { mutationFn: never } : { onMutate: never, mutationFn: async () => 1 };
			createMutation(options, client).mutate();
			await turn();
			set(true);
			await turn();
			const before = await heap();
			// A train's wifi: the connection comes and goes while the write is still out.
			for (let i = 0; i < ${n}; i++) { set(false); set(true); if (i % 100 === 0) await turn(); }
			console.log(await heap() - before);
			process.exit(0);
		`;
		const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 50_000 });
		if (run.status !== 0) throw new Error(`probe failed (${run.status} ${run.signal}): ${run.stderr}`);
		return Number(run.stdout.trim());
	}

	it.each(['mutationFn', 'onMutate'] as const)('keeps nothing per flap when the connection flaps while a write resumed at reconnect never settles (its %s; heap flat from 2,000 to 10,000 flaps)', async (scenario) => {
		const growth = (await growthWhileTheConnectionFlapsUnderAResumedWrite(scenario, 10_000)) - (await growthWhileTheConnectionFlapsUnderAResumedWrite(scenario, 2_000));
		// Before, each "online" news left a wait of its own on the write's promise (about 700 B a flap, 5.6 MB over
		// 8,000), and a write still in its onMutate, told of at each news, one more handler on it (about 300 B).
		expect(growth).toBeLessThan(1024 * 1024);
	});

	it('the probe can see a leak: retaining each emitted state grows the heap by megabytes per 10,000 cycles', () => {
		const { rounds } = probe('leak', 2);
		const [first, second] = rounds as [Probe['rounds'][0], Probe['rounds'][0]];
		expect(second.heapUsed - first.heapUsed).toBeGreaterThan(2 * 1024 * 1024);
	});

	it('5 rounds of 10,000 watch/unwatch cycles over 1,000 keys: heap growth after warm-up stays under 1 MB, cache and timers empty each round', () => {
		const { rounds, fetches } = probe('clean', 5);
		expect(fetches).toBeGreaterThan(0);
		for (const round of rounds) {
			expect(round.size).toBe(0);
			expect(round.timers).toBe(0);
		}
		const baseline = (rounds[1] as Probe['rounds'][0]).heapUsed; // round 0 warms up code and caches
		const peak = Math.max(...rounds.slice(2).map((r) => r.heapUsed));
		expect(peak - baseline, `heap per round: ${rounds.map((r) => (r.heapUsed / 1024).toFixed(0) + ' KiB').join(', ')}`).toBeLessThan(1024 * 1024);
	});
});
