/**
 * Property test: a server client and a browser client (clocks possibly a few seconds apart) under
 * random interleavings of fetches, writes, invalidations, snapshots and rollbacks, and
 * dehydrate → JSON → hydrate (late, duplicated, out of order, as streamed payloads and navigations
 * arrive). After every step: states are consistent, the browser never replaces data with data whose
 * request went out earlier (in a common clock frame, with the server's clock not ahead), and data the
 * browser shows as fresh was not requested before an invalidation it knows about, its own or one a
 * payload carried. (A rollback after an invalidation puts fresh-looking data back by design: the
 * README's optimistic pattern invalidates after it; `QORA_HF_RESTORE=1` checks that case too.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { QoraClient, dehydrate, hydrate, type QoraState } from '../../src/lib/index.js';
import { advance, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

const KEY = ['k'];
interface Val {
	src: 's' | 'b';
	kind: 'f' | 'w';
	id: number;
	/** true time (fake Date.now) the request went out, or the write was made */
	req: number;
}

type Cmd =
	| { t: 'advance'; ms: number }
	| { t: 'sFetch'; delay: number; fail: boolean }
	| { t: 'sWrite' }
	| { t: 'sInval' }
	| { t: 'dehydrate'; errors: boolean }
	| { t: 'hydrate'; index: number; reuse: boolean }
	| { t: 'bFetch'; delay: number; fail: boolean }
	| { t: 'bInval' }
	| { t: 'bWrite' }
	| { t: 'bRestore' };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
	fc.constantFrom(1, 100, 500, 1000, 3000).map((ms) => ({ t: 'advance', ms }) as Cmd),
	fc.record({ delay: fc.constantFrom(0, 200, 1500, 5000), fail: fc.boolean() }).map((r) => ({ t: 'sFetch', ...r }) as Cmd),
	fc.constant({ t: 'sWrite' } as Cmd),
	fc.constant({ t: 'sInval' } as Cmd),
	fc.boolean().map((errors) => ({ t: 'dehydrate', errors }) as Cmd),
	fc.record({ index: fc.nat(6), reuse: fc.boolean() }).map((r) => ({ t: 'hydrate', ...r }) as Cmd),
	fc.record({ delay: fc.constantFrom(0, 200, 1500, 5000), fail: fc.boolean() }).map((r) => ({ t: 'bFetch', ...r }) as Cmd),
	fc.constant({ t: 'bInval' } as Cmd),
	fc.constant({ t: 'bWrite' } as Cmd),
	fc.constant({ t: 'bRestore' } as Cmd)
);

interface Options {
	skew: number;
	watch: boolean;
	strict: { monotonic: boolean; fresh: boolean; freshAfterRestore: boolean; serverInvalKnown: boolean };
}

async function runModel(cmds: Cmd[], opts: Options): Promise<string[]> {
	let id = 0;
	const plans = { s: { delay: 700, fail: false }, b: { delay: 700, fail: false } };
	const makeFetcher = (src: 's' | 'b') => () => {
		const plan = plans[src];
		plans[src] = { delay: 700, fail: false };
		const v: Val = { src, kind: 'f', id: ++id, req: Date.now() };
		return new Promise<Val>((res, rej) => setTimeout(() => (plan.fail ? rej(new Error(`fail ${v.id}`)) : res(v)), plan.delay));
	};
	const sFetcher = makeFetcher('s');
	const bFetcher = makeFetcher('b');
	const errors: unknown[] = [];
	const server = new QoraClient({
		clock: {
			now: () => Date.now() + opts.skew,
			monotonic: () => performance.now(),
			setTimeout: (run: () => void, ms: number) => setTimeout(run, ms),
			clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>)
		},
		defaultOptions: { retry: 0, staleTime: 0 },
		onError: (e) => errors.push(e)
	});
	const browser = new QoraClient({ defaultOptions: { retry: 0, staleTime: 60_000 }, onError: (e) => errors.push(e) });
	let stop: (() => void) | null = null;
	if (opts.watch) stop = browser.watchQuery<Val>({ key: KEY, fetcher: bFetcher }).subscribe(() => {});

	let serverLastInval = -Infinity;
	const payloads: { json: string; serverInval: number; parsed: unknown | null }[] = [];
	let knownInval = -Infinity; // what the browser knows of
	let snapshot: QoraState<Val> | undefined | null = null;
	let prev: Val | undefined = browser.getQueryData<Val>(KEY);
	const tol = Math.abs(opts.skew);
	const log: string[] = [];

	const check = (cmd: Cmd) => {
		const st = browser.getState<Val>(KEY);
		log.push(`${Date.now() - 1704110400000} ${JSON.stringify(cmd)} -> ${st ? `${st.status}/${st.fetchStatus} data=${JSON.stringify(st.data)} inv=${st.isInvalidated} stale=${st.isStale}` : 'none'}`);
		const where = () => `\n${log.join('\n')}`;
		if (st) {
			if (st.status === 'success') {
				expect(st.data, 'success without data' + where()).not.toBeUndefined();
				expect(st.error, 'success with error' + where()).toBeNull();
			}
			if (st.status === 'pending') expect(st.data, 'pending with data' + where()).toBeUndefined();
			if (st.status === 'error') expect(st.error, 'error without error' + where()).not.toBeNull();
			if (st.data !== undefined) {
				const d = st.data;
				expect(typeof d.req === 'number' && typeof d.id === 'number', 'data corrupt' + where()).toBe(true);
			}
		}
		const cur = st?.data;
		if (cmd.t === 'bRestore') {
			prev = cur;
			return;
		}
		if (opts.strict.monotonic && opts.skew <= 0 && cur !== undefined && prev !== undefined && cur.id !== prev.id) {
			if (cur.req < prev.req - tol) {
				throw new Error(`browser replaced data requested at ${prev.req - 1704110400000} (${prev.src}${prev.kind}#${prev.id}) by data requested earlier at ${cur.req - 1704110400000} (${cur.src}${cur.kind}#${cur.id})${where()}`);
			}
		}
		prev = cur;
		if (opts.strict.fresh && st && cur !== undefined && !st.isInvalidated && Date.now() - st.dataUpdatedAt < 60_000 && cur.req < knownInval - tol) {
			throw new Error(`browser shows data requested at ${cur.req - 1704110400000} as fresh after an invalidation at ${knownInval - 1704110400000}${where()}`);
		}
	};

	for (const cmd of cmds) {
		switch (cmd.t) {
			case 'advance':
				await advance(cmd.ms);
				break;
			case 'sFetch':
				plans.s = { delay: cmd.delay, fail: cmd.fail };
				server.fetchQuery({ key: KEY, fetcher: sFetcher }).catch(() => {});
				plans.s = { delay: 700, fail: false };
				break;
			case 'sWrite':
				server.setQueryData<Val>(KEY, { src: 's', kind: 'w', id: ++id, req: Date.now() });
				break;
			case 'sInval':
				if (server.getState(KEY)) serverLastInval = Date.now();
				void server.invalidate(KEY);
				break;
			case 'dehydrate': {
				const p = dehydrate(server, cmd.errors ? { shouldDehydrate: () => true } : {});
				payloads.push({ json: JSON.stringify(p), serverInval: serverLastInval, parsed: null });
				break;
			}
			case 'hydrate': {
				if (payloads.length === 0) break;
				const p = payloads[cmd.index % payloads.length]!;
				const obj = cmd.reuse && p.parsed ? p.parsed : JSON.parse(p.json);
				const reapplied = obj === p.parsed;
				p.parsed = obj;
				hydrate(browser, obj as never);
				if (!reapplied && opts.strict.serverInvalKnown) {
					const rec = (obj as { entries: { invalidated?: true }[] }).entries[0];
					if (rec?.invalidated) knownInval = Math.max(knownInval, p.serverInval);
				}
				if (!reapplied && !opts.strict.serverInvalKnown) {
					// only count the server invalidation if the browser took the record's data
					const rec = (obj as { entries: { invalidated?: true; data?: Val }[] }).entries[0];
					if (rec?.invalidated && browser.getQueryData<Val>(KEY)?.id === rec.data?.id) knownInval = Math.max(knownInval, p.serverInval);
				}
				break;
			}
			case 'bFetch':
				plans.b = { delay: cmd.delay, fail: cmd.fail };
				browser.fetchQuery({ key: KEY, fetcher: bFetcher, options: { staleTime: 0 } }).catch(() => {});
				plans.b = { delay: 700, fail: false };
				break;
			case 'bInval':
				if (browser.getState(KEY)) knownInval = Date.now();
				void browser.invalidate(KEY);
				break;
			case 'bWrite':
				snapshot = browser.getState<Val>(KEY);
				browser.setQueryData<Val>(KEY, { src: 'b', kind: 'w', id: ++id, req: Date.now() });
				break;
			case 'bRestore':
				if (snapshot === null) break;
				if (!opts.strict.freshAfterRestore) {
					// a rollback puts the snapshot's data back as it was: its staleness is not hydration's business
					knownInval = -Infinity;
				}
				browser.restoreQueryData(KEY, snapshot);
				snapshot = null;
				break;
		}
		check(cmd);
	}
	await advance(20_000);
	check({ t: 'advance', ms: 20_000 });
	stop?.();
	expect(errors).toEqual([]);
	return log;
}

describe('a server and a browser client exchanging payloads', () => {
	const strict = { monotonic: true, fresh: true, freshAfterRestore: process.env.QORA_HF_RESTORE === '1', serverInvalKnown: true };
	const runs = Number(process.env.QORA_FC_RUNS ?? 1000);
	const len = 30;
	for (const watch of [false, true]) {
		it(`no skew, watch=${watch}`, async () => {
			await fc.assert(
				fc.asyncProperty(fc.array(cmdArb, { maxLength: len }), async (cmds) => {
					vi.setSystemTime(1704110400000);
					vi.clearAllTimers();
					await runModel(cmds, { skew: 0, watch, strict });
				}),
				{ numRuns: runs }
			);
		}, 120_000);
		it(`skew, watch=${watch}`, async () => {
			await fc.assert(
				fc.asyncProperty(fc.constantFrom(-3000, -1, 1, 2000), fc.array(cmdArb, { maxLength: len }), async (skew, cmds) => {
					vi.setSystemTime(1704110400000);
					vi.clearAllTimers();
					await runModel(cmds, { skew, watch, strict });
				}),
				{ numRuns: runs }
			);
		}, 120_000);
	}
});
