/**
 * A property test of how the browser applies server payloads (README "SvelteKit": "What
 * happens", "Things to know"; docs/design.md, the hydrate rules), through hydrateOnce as
 * QoraKitProvider calls it. One browser QoraClient (gcTime Infinity, 60 s or 5 s; some keys
 * watched by a disabled query, so remove and clear reset them to pending) gets random sequences of:
 * - navigations bringing a plain payload: dehydrate() of a server client holding some keys
 *   with data 'v<N>' at the server's clock time (behind, equal to or ahead of the browser's),
 *   written or fetched there (a slow server fetch ships requestedAt), some invalidated there;
 * - navigations bringing a streamed one: a promise resolved or rejected later, in random order,
 *   or never; some resolve to a malformed payload, some to a plain payload applied before;
 * - replays: a payload object sent before, again (plain, a promise, a stream's payload; a
 *   pending stream's payload, as a +page.ts that awaits it hydrates it before the provider);
 * - malformed plain payloads;
 * - setQueryData, remove, clear, invalidate;
 * - browser fetches that land at once, or start and land later (across other steps);
 * - time advances (collecting unwatched entries when gcTime is finite).
 *
 * A reference model says what each key must hold (data, dataUpdatedAt, isInvalidated):
 * - a payload's data replaces the browser's only if the browser's request time is older than
 *   the payload's (a server time ahead of the browser counts as now); a tie keeps the browser's;
 * - it overrides a browser fetch in flight only if that fetch started no later than the server
 *   had the data (a later fetch still lands); a direct write drops the attempt in flight;
 * - an invalidation the browser made after the server had the data stands; a server time ahead
 *   undoes none; data invalidated on the server arrives stale (or makes kept browser data stale);
 * - a streamed payload skips every key removed while it was on its way, and all of it after a
 *   clear; each payload object applies once (the skipped parts count as applied);
 * - a malformed payload or a rejected stream is reported with console.error once and changes
 *   nothing; nothing else reports; a fetch rejects only when removed; no unhandled rejection;
 * - an entry is collected only as time passes, with no fetch in flight, gcTime after its last write.
 * After every step the cache must match the model; checked directly too: a replay changes
 * nothing, a rejected or malformed payload changes nothing, a streamed payload arriving never
 * changes a key removed (or cleared) after it was sent.
 *
 * FUZZ_SEEDS=n runs n seeds (default 300), FUZZ_SEED=s runs that seed alone, FUZZ_STATS=1
 * prints how often each case came up.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { dehydrate, QoraClient, type DehydratedState, type QoraState } from '../../src/lib/index.js';
import { hydrateOnce } from '../../src/lib/sveltekit/hydrate-once.js';
import { HEAVY_TEST_TIMEOUT, seededRandom, T0 } from '../core/helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));

const WHERE = 'page.data.qoraState';
const SEEDS = Number(process.env.FUZZ_SEEDS ?? 300);
const ONLY = process.env.FUZZ_SEED === undefined ? null : Number(process.env.FUZZ_SEED);
const STEPS = 30;
const KEYS: (string | number)[][] = [['a'], ['b'], ['c', 1], ['c', 2]];
const name = (key: readonly unknown[]) => JSON.stringify(key);
/** How often the interesting cases came up (FUZZ_STATS=1 prints them). */
const stats: Record<string, number> = {};
const count = (what: string) => void (stats[what] = (stats[what] ?? 0) + 1);

/** What a key holds in the model: data, its request time, dataUpdatedAt, invalidation. */
interface Held {
	v: string;
	at: number;
	updatedAt: number;
	/** 'unknown': the entry was invalidated while it had no data, which the reference does not model. */
	inv: boolean | 'unknown';
}
/** A browser fetch in flight (its fetcher's promise not settled yet). */
interface InFlight {
	v: string;
	startedAt: number;
	resolve: (v: string) => void;
	/** A write since it started (setQueryData, or hydrated data the server had after it started): its result is dropped. */
	dropped: boolean;
	/** Invalidated while in flight: its data lands stale. */
	invalidated: boolean;
	/** Removed (remove, clear, dispose): it rejects, and nothing lands. */
	cancelled: boolean;
}
interface PayloadEntry {
	key: string;
	v: string;
	T: number;
	reqAt: number;
	inv: boolean;
}
interface Sent {
	kind: 'plain' | 'stream' | 'malformed';
	object: object;
	/** For a stream: the payload it resolves to (made when sent), what was removed since, its fate. */
	inner?: DehydratedState | object;
	innerEntries?: PayloadEntry[] | 'malformed';
	removed?: Set<string> | 'all';
	settle?: { resolve: (value: unknown) => void; reject: (error: unknown) => void };
	state?: 'pending' | 'resolved' | 'rejected';
}

/** Lets promise callbacks and 0 ms timers run (no time passes). */
const flush = () => vi.advanceTimersByTimeAsync(0);

function snapshot(client: QoraClient) {
	return KEYS.map((key) => {
		const state = client.getState(key) as QoraState<unknown> | undefined;
		return state && { data: state.data, dataUpdatedAt: state.dataUpdatedAt, isInvalidated: state.isInvalidated, status: state.status };
	});
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
	vi.setSystemTime(T0);
	process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
	process.off('unhandledRejection', onUnhandled);
	vi.useRealTimers();
	vi.restoreAllMocks();
});

async function runSeed(seed: number): Promise<string[]> {
	const random = seededRandom(seed);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
	const log: string[] = [];
	const error = vi.spyOn(console, 'error').mockImplementation(() => {});
	error.mockClear();
	let expectedErrors = 0;
	let version = 0;
	const skew = pick([0, 0, -5_000, 3_000, 120_000]);
	const gcTime = pick([Infinity, Infinity, 60_000, 5_000]);
	const client = new QoraClient({ defaultOptions: { gcTime } });
	/** When data was last written to each key: nothing unwatched is collected before gcTime after that. */
	const lastWrite = new Map<string, number>();
	const model = new Map<string, Held>();
	/** Each entry's last invalidation time (entry.invalidatedAt), while the entry exists. */
	const stamp = new Map<string, number>();
	const inflight = new Map<string, InFlight>();
	const fetchErrors: unknown[] = [];
	// Some keys are on screen in a disabled query: their entries are never collected, and remove or clear
	// resets them to pending instead of dropping them (the removal still counts for streams).
	const watched = new Set(KEYS.filter(() => random() < 0.25).map(name));
	const stops = KEYS.filter((key) => watched.has(name(key))).map((key) =>
		client.watchQuery({ key, fetcher: () => void fetchErrors.push(new Error(`a disabled query fetched ${name(key)}`)), options: { enabled: false } }).subscribe(() => {})
	);
	const applied = new WeakSet<object>();
	const sent: Sent[] = [];

	async function serverPayload(): Promise<{ payload: DehydratedState; entries: PayloadEntry[] }> {
		let offset = skew - pick([0, 0, 1_000, 30_000]);
		const server = new QoraClient({
			clock: { now: () => Date.now() + offset, setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) }
		});
		for (const key of KEYS) {
			if (random() < 0.5) continue;
			const v = `v${++version}`;
			if (random() < 0.4) {
				// A server fetch that took `lead` ms (the server's clock moves on meanwhile): it ships requestedAt.
				const lead = pick([1, 2_000, 20_000]);
				await server.fetchQuery({ key, fetcher: () => ((offset += lead), v) });
			} else server.setQueryData(key, v);
			if (random() < 0.15) void server.invalidate(key);
		}
		const payload = JSON.parse(JSON.stringify(dehydrate(server))) as DehydratedState;
		server.dispose();
		const entries = payload.entries.map((e) => ({ key: name(e.key), v: e.data as string, T: e.dataUpdatedAt, reqAt: e.requestedAt ?? e.dataUpdatedAt, inv: e.invalidated === true }));
		return { payload, entries };
	}

	/** The model's hydrate (client._hydrate's rules, from design.md). */
	function applyModel(object: object, entries: PayloadEntry[], removed: Set<string> | 'all') {
		if (applied.has(object)) return;
		applied.add(object);
		if (removed === 'all') return void (entries.length > 0 && count('stream after a clear: all skipped'));
		const now = Date.now();
		for (const e of entries) {
			if (removed.has(e.key)) {
				count('stream entry skipped: removed meanwhile');
				continue;
			}
			if (e.reqAt < e.T) count('entry with requestedAt');
			if (e.T > now) count('entry from a server clock ahead');
			const dataAt = Math.min(e.T, now);
			// By request time; a server time ahead of the browser's counts as now, and is known for nothing.
			const since = Math.min(e.reqAt, dataAt);
			const knownAt = e.T > now ? -Infinity : since;
			const held = model.get(e.key);
			const f = inflight.get(e.key);
			if (held && held.at >= since) {
				// The browser's data is as new or newer: kept (stale, if the server invalidated its own).
				count('browser data kept as newer');
				if (e.inv) {
					count('server invalidation over kept data');
					held.inv = true;
					stamp.set(e.key, now);
					if (f) f.invalidated = true;
				}
				continue;
			}
			// An invalidation the browser made after the server had the data stands.
			const kept: Held['inv'] = held ? (held.inv === 'unknown' ? 'unknown' : held.inv && (stamp.get(e.key) ?? -Infinity) > knownAt) : stamp.has(e.key) ? 'unknown' : false;
			if (e.inv) stamp.set(e.key, now);
			// It overrides a fetch in flight that started no later than the server had the data; a later one lands.
			if (f && f.startedAt <= knownAt) f.dropped = true;
			if (f) count(f.dropped ? 'hydrate overrides a fetch in flight' : 'fetch in flight survives a hydrate');
			if (kept === true) count('browser invalidation stands over hydrated data');
			if (f && e.inv) f.invalidated = true;
			// A fetch in flight that data of unknown time lets land (no write dropped it) counts as sent after that data's request.
			model.set(e.key, { v: e.v, at: f && !f.dropped && knownAt < since ? Math.min(since, f.startedAt - 1) : since, updatedAt: dataAt, inv: e.inv ? true : kept });
			lastWrite.set(e.key, now);
		}
	}

	function check(step: string, timePassed: boolean) {
		for (const key of KEYS) {
			const state = client.getState(key) as QoraState<unknown> | undefined;
			let held = model.get(name(key));
			// Collected (unwatched for gcTime since its last write): only as time passes, never early, never in flight.
			if (held && state === undefined && timePassed && !inflight.has(name(key)) && !watched.has(name(key)) && Date.now() - (lastWrite.get(name(key)) ?? Infinity) >= gcTime) {
				log.push(`  (${name(key)} collected)`);
				count('collected');
				model.delete(name(key));
				stamp.delete(name(key));
				held = undefined;
			}
			const actual = state && state.data !== undefined ? { v: state.data, updatedAt: state.dataUpdatedAt, inv: state.isInvalidated } : undefined;
			const expected = held && { v: held.v, updatedAt: held.updatedAt, inv: held.inv === 'unknown' ? actual?.inv : held.inv };
			expect(actual, `seed ${seed}, after ${step}, key ${name(key)}\n${log.join('\n')}`).toEqual(expected);
		}
		expect(fetchErrors, `seed ${seed}, a fetch not cancelled rejected, after ${step}`).toEqual([]);
		expect(error.mock.calls.length, `seed ${seed}, console.error after ${step}\n${log.join('\n')}\n${error.mock.calls.map((c) => String(c[1])).join('\n')}`).toBe(expectedErrors);
		for (const call of error.mock.calls) expect(String(call[0])).toContain(WHERE);
	}

	for (let i = 0; i < STEPS; i++) {
		const roll = random();
		const key = pick(KEYS);
		const k = name(key);
		let step: string;
		const before = snapshot(client);
		if (roll < 0.14) {
			const { payload, entries } = await serverPayload();
			step = `plain ${JSON.stringify(entries)} at ${Date.now() - T0}`;
			sent.push({ kind: 'plain', object: payload, innerEntries: entries });
			hydrateOnce(client, payload, WHERE);
			applyModel(payload, entries, new Set());
		} else if (roll < 0.28) {
			const malformed = random() < 0.2;
			const { payload, entries } = await serverPayload();
			const inner = malformed ? { version: 2, entries: [] } : random() < 0.1 && sent.some((s) => s.kind === 'plain') ? pick(sent.filter((s) => s.kind === 'plain')).object : payload;
			let settle!: Sent['settle'];
			const promise = new Promise((resolve, reject) => (settle = { resolve, reject }));
			const innerEntries = malformed ? 'malformed' : inner === payload ? entries : (sent.find((s) => s.object === inner)?.innerEntries as PayloadEntry[]);
			sent.push({ kind: 'stream', object: promise, inner, innerEntries, removed: new Set(), settle, state: 'pending' });
			step = `stream #${sent.length - 1} ${malformed ? 'malformed' : JSON.stringify(innerEntries)} sent at ${Date.now() - T0}`;
			hydrateOnce(client, promise, WHERE);
		} else if (roll < 0.42 && sent.some((s) => s.state === 'pending')) {
			const index = sent.indexOf(pick(sent.filter((s) => s.state === 'pending')));
			const stream = sent[index] as Sent;
			const removedBefore = stream.removed === 'all' ? 'all' : [...(stream.removed as Set<string>)];
			if (random() < 0.25) {
				step = `stream #${index} rejects`;
				stream.state = 'rejected';
				stream.settle?.reject(new Error(`stream #${index} cut`));
				expectedErrors++;
			} else {
				step = `stream #${index} arrives at ${Date.now() - T0} (removed meanwhile: ${JSON.stringify(removedBefore)})`;
				stream.state = 'resolved';
				stream.settle?.resolve(stream.inner);
				if (stream.innerEntries === 'malformed') expectedErrors++;
				else applyModel(stream.inner as object, stream.innerEntries as PayloadEntry[], stream.removed as Set<string> | 'all');
			}
			await flush();
			const after = snapshot(client);
			if (stream.state === 'rejected' || stream.innerEntries === 'malformed') expect(after, `seed ${seed}: ${step} changed the cache`).toEqual(before);
			// A key removed (or everything, cleared) after the stream was sent does not come back from it.
			KEYS.forEach((key, at) => {
				if (removedBefore === 'all' || removedBefore.includes(name(key))) expect(after[at], `seed ${seed}: ${step} brought back ${name(key)}`).toEqual(before[at]);
			});
		} else if (roll < 0.5 && sent.length > 0) {
			const replay = pick(sent);
			const early = replay.kind === 'stream' && replay.state === 'pending' && Array.isArray(replay.innerEntries) && random() < 0.2;
			const object = (replay.kind === 'stream' && replay.state === 'resolved' && random() < 0.5) || early ? (replay.inner as object) : replay.object;
			step = `replay #${sent.indexOf(replay)}${object === replay.object ? '' : early ? ' (its payload, awaited by a +page.ts before it reached the provider)' : ' (its payload)'}`;
			hydrateOnce(client, object, WHERE);
			if (early) {
				// Applied as a plain payload (README: the +page.ts applies it before the provider can
				// filter it); it counts as applied, so the stream's arrival then changes nothing.
				applyModel(object, replay.innerEntries as PayloadEntry[], new Set());
				await flush();
			} else {
				await flush();
				expect(snapshot(client), `seed ${seed}: ${step} changed the cache`).toEqual(before);
			}
		} else if (roll < 0.53) {
			step = 'malformed plain payload';
			const malformed = pick([{ version: 1, entries: [{ key: ['a'], status: 'success', dataUpdatedAt: 0 }] }, { version: 1 }, { entries: [] }]);
			sent.push({ kind: 'malformed', object: malformed });
			hydrateOnce(client, malformed, WHERE);
			expectedErrors++;
			expect(snapshot(client), `seed ${seed}: ${step} changed the cache`).toEqual(before);
		} else if (roll < 0.65) {
			const v = `v${++version}`;
			step = `setQueryData ${k} ${v} at ${Date.now() - T0}`;
			client.setQueryData(key, v);
			model.set(k, { v, at: Date.now(), updatedAt: Date.now(), inv: false });
			lastWrite.set(k, Date.now());
			const f = inflight.get(k);
			if (f) f.dropped = true; // a direct write wins over the attempt in flight
		} else if (roll < 0.72) {
			step = `remove ${k}`;
			client.remove(key);
			model.delete(k);
			stamp.delete(k);
			const f = inflight.get(k);
			if (f) (f.cancelled = true), inflight.delete(k);
			for (const s of sent) if (s.state === 'pending' && s.removed !== 'all') s.removed?.add(k);
		} else if (roll < 0.75) {
			step = 'clear';
			client.clear();
			model.clear();
			stamp.clear();
			for (const f of inflight.values()) f.cancelled = true;
			inflight.clear();
			for (const s of sent) if (s.state === 'pending') s.removed = 'all';
		} else if (roll < 0.83) {
			step = `invalidate ${k} at ${Date.now() - T0}`;
			void client.invalidate(key);
			const held = model.get(k);
			const f = inflight.get(k);
			if (held || f || watched.has(k)) stamp.set(k, Date.now());
			if (held) held.inv = true;
			if (f) f.invalidated = true;
		} else if (roll < 0.91 && inflight.has(k)) {
			const f = inflight.get(k) as InFlight;
			inflight.delete(k);
			step = `fetch ${k} started at ${f.startedAt - T0} lands ${f.v} at ${Date.now() - T0}${f.dropped ? ' (dropped)' : ''}`;
			f.resolve(f.v);
			await flush();
			if (!f.dropped) model.set(k, { v: f.v, at: f.startedAt, updatedAt: Date.now(), inv: f.invalidated });
			if (!f.dropped) lastWrite.set(k, Date.now());
		} else if (roll < 0.87) {
			const v = `v${++version}`;
			let called = false;
			const started = Date.now();
			await client.fetchQuery({ key, fetcher: () => ((called = true), v), options: { staleTime: 0 } });
			step = `fetch ${k} ${called ? `lands ${v}` : 'answered from the cache'} at ${started - T0}`;
			if (called) model.set(k, { v, at: started, updatedAt: Date.now(), inv: false });
			if (called) lastWrite.set(k, Date.now());
		} else if (roll < 0.91) {
			const v = `v${++version}`;
			let called = false;
			let resolve!: (v: string) => void;
			const f: InFlight = { v, startedAt: Date.now(), resolve: (value) => resolve(value), dropped: false, invalidated: false, cancelled: false };
			client
				.fetchQuery({ key, fetcher: () => ((called = true), new Promise<string>((res) => (resolve = res))), options: { staleTime: 0 } })
				.catch((thrown: unknown) => void (f.cancelled || fetchErrors.push(thrown)));
			await flush();
			step = `fetch ${k} ${called ? `starts (${v})` : 'answered from the cache'} at ${f.startedAt - T0}`;
			if (called) inflight.set(k, f);
		} else {
			const ms = pick([1, 500, 1_000, 4_000, 40_000]);
			step = `advance ${ms}`;
			await vi.advanceTimersByTimeAsync(ms);
		}
		await flush();
		log.push(step);
		count(step.split(/ [[#"v\d(]/)[0] as string);
		check(step, step.startsWith('advance'));
	}
	// Let every stream still pending settle, in a random order, then Node report any unhandled rejection.
	for (const f of inflight.values()) f.cancelled = true;
	for (const stop of stops) stop();
	client.dispose();
	for (const s of sent) if (s.state === 'pending') (random() < 0.5 ? s.settle?.resolve(s.inner) : s.settle?.reject(new Error('late'))), (s.state = 'resolved');
	await flush();
	return log;
}

test(
	'random navigations, streams, replays and app writes: the browser cache follows the hydrate rules',
	async () => {
		const seeds = ONLY !== null ? [ONLY] : Array.from({ length: SEEDS }, (_, i) => i + 1);
		for (const seed of seeds) await runSeed(seed);
		if (process.env.FUZZ_STATS) console.log(stats);
		// Two real turns: Node reports unhandled rejections after a turn's microtasks.
		await new Promise((resolve) => setImmediate(resolve));
		await new Promise((resolve) => setImmediate(resolve));
		expect(unhandled).toEqual([]);
	},
	Math.max(HEAVY_TEST_TIMEOUT, SEEDS * 20)
);
