// @vitest-environment node
/**
 * Random check of the rule first-render-cases.ts pins by example: the first value of each
 * store of a page during server rendering equals the store's first value in the browser
 * on a client hydrated from the server's payload (README "Svelte": "During server
 * rendering it never fetches"; docs/design.md, createQuery).
 *
 * Each seed fills a server client with a random history on a few keys (prefetches whose
 * fetchers resolve, fail with or without retries, or never settle; fetchQuery; writes;
 * invalidations; cancel and remove; server loads' payloads hydrated (invalidated, with a
 * request time, dated ahead); time crossing staleTime, gcTime and retry delays), then
 * renders a page of one to four stores, mostly of one key: createQuery with random options
 * (keepPrevious, refetchInterval, gcTime and retry too), and createQueryState, some given
 * as a store of their config or key. Both clients have the same random `defaultOptions`
 * (an app makes them with one factory). The stores subscribe in order and stay
 * subscribed, as a page's components do while they render and hydrate, so a store sees
 * what the ones before it did in the browser (a fetch started, a seed laid, the entry's
 * staleTime set). The browser side hydrates a fresh client from the JSON payload, on the
 * same fake clock, with `window` and `document` stubbed so the stores take their browser
 * path; fetchers never settle, so the first values are what mounting shows (see
 * first-render-page.ts). The payload is the one QoraKitProvider ships (dehydrated before
 * the page's components render, after it removed failed entries and cancelled retrying
 * fetches, when the seed chose that); on some seeds a streamed payload is on its way, so
 * both sides hold their fetches. The render must also leave the payload as it was (the
 * server only observes the keys: a payload taken after the render is the same),
 * and call the page's initialData functions as often as the browser does.
 *
 * Not generated, as documented differences (README "Svelte"): a browser that starts
 * offline (the browser client here has no online source, so it is online); a
 * `shouldDehydrate` that ships errors (the default dehydrate is used); a universal load
 * refetching before the first render; a store whose config changes during its first
 * subscription (a key switch or new options then is not predicted for the stores after
 * it). Clocks are one fake clock, so no skew.
 *
 * Seeds are fixed, so a failure replays; FUZZ_SEEDS=n runs n seeds.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { get, readable, type Readable } from 'svelte/store';
import { dehydrate, hydrate, keepPrevious, QoraClient, type QoraSharedOptions, type QoraState } from '../../src/lib/index.js';
import type { CreateQueryOptions } from '../../src/lib/svelte/index.js';
import { inBrowser } from '../../src/lib/svelte/env.js';
import { browserPageValues, pageValues, universalLoadsOf, type PageStore } from './first-render-page.js';
import { seededRandom } from '../core/helpers.js';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));

const SEEDS = Number(process.env.FUZZ_SEEDS ?? 1500);
const keys = [['k', 0], ['k', 1], ['k', 2]];
const compared = ['status', 'data', 'fetchStatus', 'isStale', 'isLoading', 'isFetching', 'isPending', 'isSuccess', 'isError', 'isPaused', 'isRefetching', 'isLoadingError', 'isRefetchError', 'isPlaceholderData', 'failureCount', 'dataUpdatedAt', 'isInvalidated', 'errorUpdatedAt'] as const;

const never = () => new Promise<string>(() => {});
const silent = () => {};
/** JSON for the log, with Infinity spelt out. */
const show = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (v === Infinity ? 'Infinity' : v));

beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(1_700_000_000_000);
});
afterEach(() => {
	vi.unstubAllGlobals();
	vi.useRealTimers();
});

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
/** Mostly the first key, so the history and the query meet often; the others are what happens beside it. */
const pickKey = (rand: Rand) => (rand() < 0.6 ? keys[0]! : pick(rand, keys));

/** A fetcher that settles (or not) as the seed chose, after `delay` ms of the fake clock. */
function makeFetcher(rand: Rand, n: number): { fetcher: () => Promise<string>; text: string } {
	const kind = pick(rand, ['resolve', 'resolve', 'fail', 'never'] as const);
	const delay = pick(rand, [0, 0, 100, 2000]);
	if (kind === 'never') return { fetcher: never, text: 'never' };
	const value = `v${n}`;
	let calls = 0;
	const fetcher = () =>
		new Promise<string>((resolve, reject) => {
			const call = ++calls;
			const settle = () => (kind === 'resolve' ? resolve(`${value}.${call}`) : reject(new Error(`fail ${value}.${call}`)));
			if (delay === 0) void Promise.resolve().then(settle);
			else setTimeout(settle, delay);
		});
	return { fetcher, text: `${kind}(${value}) after ${delay}ms` };
}

function randomPrefetchOptions(rand: Rand, failing: boolean) {
	const options: Record<string, unknown> = {};
	const staleTime = pick(rand, [undefined, 0, 1000, Infinity]);
	if (staleTime !== undefined) options.staleTime = staleTime;
	const gcTime = pick(rand, [undefined, 500, 5000]);
	if (gcTime !== undefined) options.gcTime = gcTime;
	if (failing || rand() < 0.3) options.retry = pick(rand, [0, 0, 1, 2]);
	if (options.retry !== undefined && rand() < 0.5) options.retryDelay = pick(rand, [10, 500]);
	return options;
}

/** Runs a random history on the server client; returns when every awaited step is done. */
async function randomHistory(rand: Rand, server: QoraClient, log: string[]): Promise<void> {
	const steps = 1 + Math.floor(rand() * 8);
	for (let i = 0; i < steps; i++) {
		const key = pickKey(rand);
		const op = pick(rand, ['prefetch', 'prefetch', 'prefetch', 'fetchQuery', 'set', 'invalidate', 'invalidateAll', 'advance', 'advance', 'cancel', 'remove', 'hydrate'] as const);
		switch (op) {
			case 'prefetch':
			case 'fetchQuery': {
				const { fetcher, text } = makeFetcher(rand, i);
				const options = randomPrefetchOptions(rand, text.startsWith('fail'));
				const awaited = rand() < 0.5;
				log.push(`${op}(${JSON.stringify(key)}, ${text}, ${show(options)})${awaited ? ' awaited' : ''}`);
				const done =
					op === 'prefetch'
						? server.prefetchQuery({ key, fetcher, options })
						: server.fetchQuery({ key, fetcher, options }).then(silent, silent);
				// A never-settling fetch is never awaited; one that settles is, or is left running (streamed).
				if (awaited && text !== 'never') await settle(done);
				break;
			}
			case 'set': {
				const data = `set${i}`;
				log.push(`setQueryData(${JSON.stringify(key)}, ${data})`);
				server.setQueryData(key, data);
				break;
			}
			case 'invalidate':
				log.push(`invalidate(${JSON.stringify(key)})`);
				void server.invalidate(key);
				break;
			case 'invalidateAll':
				log.push(`invalidateWhere(['k'])`);
				void server.invalidateWhere(['k']);
				break;
			case 'advance': {
				const ms = pick(rand, [0, 1, 50, 999, 1000, 1001, 3000, 5000, 60_000, 5 * 60_000 + 1]);
				log.push(`advance ${ms}ms`);
				await vi.advanceTimersByTimeAsync(ms);
				break;
			}
			case 'cancel':
				log.push(`cancel(${JSON.stringify(key)})`);
				server.cancel(key);
				break;
			case 'remove':
				log.push(`remove(${JSON.stringify(key)})`);
				server.remove(key);
				break;
			case 'hydrate': {
				// A server load's payload (prefetchOnServer), hydrated into the page's client before the render.
				const at = Date.now() + pick(rand, [-600_000, -5000, -500, 0, 5000]);
				const record: Record<string, unknown> = { key, status: 'success', data: `h${i}`, dataUpdatedAt: at };
				if (rand() < 0.4) record.requestedAt = at - pick(rand, [0, 100, 2000]);
				if (rand() < 0.3) record.invalidated = true;
				log.push(`hydrate(${JSON.stringify(record)})`);
				hydrate(server, { version: 1, entries: [record] } as never);
				break;
			}
		}
	}
	// A few microtasks, so fetches that settle at once have landed (a load awaited them).
	if (rand() < 0.7) {
		log.push('advance 0ms');
		await vi.advanceTimersByTimeAsync(0);
	}
}

/** Waits for `promise` while the fake clock runs (retries and delays), up to a minute. */
async function settle(promise: Promise<unknown>): Promise<void> {
	let done = false;
	void promise.finally(() => (done = true));
	for (let i = 0; i < 60 && !done; i++) await vi.advanceTimersByTimeAsync(1000);
}

/** Calls of the page's initialData functions, counted on each side: the server reads a seed as often as the browser does. */
let seedCalls = 0;

function randomQueryOptions(rand: Rand): { options: CreateQueryOptions<string> | undefined; text: string } {
	if (rand() < 0.15) return { options: undefined, text: 'undefined' };
	const options: CreateQueryOptions<string> = {};
	const parts: string[] = [];
	const enabled = pick(rand, [true, false, undefined, 'absent'] as const);
	if (enabled !== 'absent') {
		options.enabled = enabled;
		parts.push(`enabled: ${enabled}`);
	}
	const staleTime = pick(rand, [0, 1000, undefined, Infinity, 'absent'] as const);
	if (staleTime !== 'absent') {
		options.staleTime = staleTime;
		parts.push(`staleTime: ${staleTime}`);
	}
	const initial = pick(rand, ['absent', 'absent', 'value', 'function', 'function undefined'] as const);
	if (initial === 'value') options.initialData = 'seed';
	else if (initial === 'function') options.initialData = () => (seedCalls++, 'seed fn');
	else if (initial === 'function undefined') options.initialData = () => (seedCalls++, undefined);
	if (initial !== 'absent') parts.push(`initialData: ${initial}`);
	if (initial !== 'absent') {
		const at = pick(rand, ['absent', 'past 500', 'past 5000', 'past 10min', 'future 5000'] as const);
		if (at !== 'absent') {
			const [when, ms] = at.split(' ') as [string, string];
			const span = ms === '10min' ? 600_000 : Number(ms);
			const time = Date.now() + (when === 'past' ? -span : span);
			const asFunction = rand() < 0.3;
			options.initialDataUpdatedAt = asFunction ? () => time : time;
			parts.push(`initialDataUpdatedAt: ${asFunction ? '() => ' : ''}${at}`);
		}
	}
	if (rand() < 0.2) {
		options.placeholderData = keepPrevious;
		parts.push('placeholderData: keepPrevious');
	}
	if (rand() < 0.2) {
		options.refetchInterval = pick(rand, [false, 0, 100, 5000] as const);
		parts.push(`refetchInterval: ${options.refetchInterval}`);
	}
	if (rand() < 0.2) {
		options.gcTime = pick(rand, [0, 500, Infinity]);
		parts.push(`gcTime: ${options.gcTime}`);
	}
	if (rand() < 0.2) {
		options.retry = pick(rand, [0, 1, false, true] as const);
		parts.push(`retry: ${options.retry}`);
	}
	return { options, text: `{ ${parts.join(', ')} }` };
}

/** The client's defaults, the same on both sides (an app makes both clients from one factory). */
function randomDefaults(rand: Rand): QoraSharedOptions | undefined {
	if (rand() < 0.5) return undefined;
	const options: QoraSharedOptions = {};
	const staleTime = pick(rand, [undefined, 0, 1000, Infinity]);
	if (staleTime !== undefined) options.staleTime = staleTime;
	if (rand() < 0.3) options.gcTime = pick(rand, [0, 500, Infinity]);
	if (rand() < 0.2) options.enabled = pick(rand, [true, false]);
	if (rand() < 0.3) options.retry = pick(rand, [0, 1]);
	if (rand() < 0.2) options.refetchInterval = pick(rand, [100, 5000]);
	return options;
}

/** QoraKitProvider's preparation of the server's cache before it dehydrates it (see its setUp). */
function providerPrepares(server: QoraClient): void {
	for (const key of server.keys()) {
		const state = server.getState(key);
		if (state === undefined) continue;
		if (state.status === 'error') server.remove(key);
		else if (state.fetchStatus !== 'idle' && state.failureCount > 0) server.cancel(key);
	}
}

const pickFields = (state: QoraState<string>) => Object.fromEntries(compared.map((field) => [field, state[field]]));

/** Runs the seeds; returns the failures. */
async function checkSeeds(): Promise<string[]> {
	const failures: string[] = [];
	for (let seed = 1; seed <= SEEDS; seed++) {
		vi.setSystemTime(1_700_000_000_000);
		const rand = seededRandom(seed);
		const log: string[] = [];
		const defaults = randomDefaults(rand);
		if (defaults !== undefined) log.push(`defaultOptions ${show(defaults)}`);
		const server = new QoraClient({ onError: silent, defaultOptions: defaults });
		if (rand() < 0.3) {
			log.push('server client scoped to the request');
			server._scopeToRequest();
		}
		try {
			await randomHistory(rand, server, log);
			// A page: one to four stores, mostly of the first key, in the order they render.
			const page: PageStore[] = [];
			const storeCount = 1 + Math.floor(rand() * rand() * 4);
			for (let i = 0; i < storeCount; i++) {
				const key = pickKey(rand);
				if (rand() < (i > 0 ? 0.3 : 0.1)) {
					const asStore = rand() < 0.3;
					log.push(`createQueryState(${asStore ? 'store of ' : ''}${JSON.stringify(key)})`);
					page.push({ state: asStore ? readable(key) : key });
					continue;
				}
				const { options, text } = randomQueryOptions(rand);
				const asStore = rand() < 0.3;
				log.push(`createQuery(${asStore ? 'store of ' : ''}${JSON.stringify(key)}, ${text})`);
				const config = { key, fetcher: never, options };
				page.push({ query: asStore ? readable(config) : config });
			}
			const viaProvider = rand() < 0.5;
			if (viaProvider) {
				log.push('QoraKitProvider prepares the cache (removes errors, cancels retrying fetches)');
				providerPrepares(server);
			}
			const payloadBefore = dehydrate(server);
			// The history's prefetchQuery and fetchQuery calls are universal loads: the browser runs them again.
			const loads = universalLoadsOf(server);

			const held = rand() < 0.15;
			if (held) {
				log.push('a streamed payload on its way: fetches held on both sides');
				server._holdFetches();
			}
			expect(inBrowser()).toBe(false);
			seedCalls = 0;
			const { firsts: onServer, lasts: serverLasts } = pageValues(page, server);
			const serverSeedCalls = seedCalls;
			// The render writes nothing that ships (the server only observes the keys), so a
			// payload taken after it (a setup other than QoraKitProvider's) is the same page.
			const payloadAfter = dehydrate(server);
			if (JSON.stringify(payloadAfter) !== JSON.stringify(payloadBefore)) {
				failures.push([`seed ${seed}: the render changed the payload`, ...log.map((line) => `  ${line}`), `  before: ${JSON.stringify(payloadBefore)}`, `  after:  ${JSON.stringify(payloadAfter)}`].join('\n'));
			}

			seedCalls = 0;
			const { firsts: inBrowserFirst, lasts: browserLasts } = browserPageValues(payloadBefore, page, held, defaults, loads);
			if (seedCalls !== serverSeedCalls) {
				failures.push([`seed ${seed}: initialData functions called ${serverSeedCalls} times on the server, ${seedCalls} in the browser`, ...log.map((line) => `  ${line}`)].join('\n'));
			}
			page.forEach((store, i) => {
				const firsts = JSON.stringify(pickFields(onServer[i]!)) === JSON.stringify(pickFields(inBrowserFirst[i]!));
				// Once the page is done: a store rendered later on the page (a parent's markup after its child) shows the key as the browser does.
				const [a, b] = firsts ? [pickFields(serverLasts[i]!), pickFields(browserLasts[i]!)] : [pickFields(onServer[i]!), pickFields(inBrowserFirst[i]!)];
				if (JSON.stringify(a) === JSON.stringify(b)) return;
				const read = <V,>(input: V | Readable<V>): V => (input !== null && typeof input === 'object' && 'subscribe' in input ? get(input) : (input as V));
				const key = 'query' in store ? read(store.query).key : read(store.state);
				failures.push(
					[
						`seed ${seed}, store ${i + 1} of ${page.length}${firsts ? ', last value' : ''}:`,
						...log.map((line) => `  ${line}`),
						`  server state: ${JSON.stringify(server.getState(key))}`,
						`  payload: ${JSON.stringify(payloadBefore)}`,
						`  server ${firsts ? 'last' : 'first'}:  ${JSON.stringify(a)}`,
						`  browser ${firsts ? 'last' : 'first'}: ${JSON.stringify(b)}`
					].join('\n')
				);
			});
		} finally {
			server.dispose();
			vi.clearAllTimers();
		}
		if (failures.length >= Number(process.env.FUZZ_FAILURES ?? 5)) break;
	}
	if (failures.length > 0) console.log(failures.join('\n\n'));
	return failures;
}

it(`the first value of each store of a page (createQuery, createQueryState) on the server equals its first value in the browser on the hydrated payload (${SEEDS} seeds)`, async () => {
	expect(await checkSeeds()).toEqual([]);
}, 10_000 + SEEDS * 10);
