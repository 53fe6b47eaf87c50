/**
 * Model-based property test of QoraClient.
 *
 * fast-check generates random command sequences (fetchQuery, watch/unwatch,
 * setQueryData, getState+restoreQueryData, invalidate, invalidateWhere, cancel,
 * remove, fake-time advances, server responses now or later, fetchers that
 * throw or return synchronously, online/offline, focus) and runs each against
 * the real client and against a small reference model of the semantics in
 * docs/design.md and issue 2. After every command the two must agree on, for
 * every key: whether an entry exists, status, data, error, timestamps,
 * failureCount/failureReason, isStale, isInvalidated and fetchStatus; on how
 * many fetcher calls each key was allowed (deduplication); on which request
 * signals are aborted; on how every fetchQuery/invalidate promise settled; and
 * watchers must hold exactly what getState shows.
 *
 * Replay a failure with the seed and path fast-check prints:
 *   QORA_FC_SEED=<seed> QORA_FC_PATH=<path> npx vitest run --project reliability tests/reliability/model.test.ts
 * (QORA_FC_RUNS=<n> changes the number of sequences; QORA_FC_SCALE=10 soaks.)
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, QoraClient, QoraKey, hydrate, normalizeKey, type KeyInput, type QoraState, type QueryKeyInput } from '../../src/lib/index.js';
import {
	FakeFocus,
	FakeOnline,
	FakeServer,
	T0,
	assertConsistent,
	describeState,
	failOnUnhandledRejections,
	fcParams,
	track,
	type Outcome
} from './support.js';

failOnUnhandledRejections();
afterEach(() => {
	vi.useRealTimers();
});

// ---------------------------------------------------------------------------
// the configuration both sides share

const STALE = 1_000;
const GC = 3_000;
const RETRY = 1; // two attempts per fetch
const RETRY_DELAY = 500;
const POLL = 700;

interface KeyDef {
	readonly name: string;
	/** Equivalent spellings of the key: every form must hit the same entry. */
	readonly forms: readonly (() => KeyInput)[];
	readonly poll: boolean;
}

const KEYS: readonly KeyDef[] = [
	{ name: 'a', forms: [() => ['a'], () => QoraKey.single('a')], poll: false },
	{ name: 'b1', forms: [() => ['b', 1], () => QoraKey.withId('b', 1)], poll: false },
	{
		name: 'b2',
		forms: [() => ['b', { id: 2, tag: 'x' }], () => ['b', { tag: 'x', id: 2, gone: undefined }], () => new QoraKey(['b', { id: 2, tag: 'x' }])],
		poll: false
	},
	{ name: 'c', forms: [() => ['c'], () => QoraKey.from(['c'])], poll: true }
];
const keyDef = (name: string): KeyDef => KEYS.find((k) => k.name === name) as KeyDef;
const keyInput = (name: string, form = 0): QueryKeyInput => {
	const def = keyDef(name);
	return (def.forms[form % def.forms.length] as () => QueryKeyInput)();
};
/** Key 'c' sets no retry of its own: its fetches retry by the client's default (the same count), its prefetches wait for one attempt. */
const ownRetry = (name: string): number => (name === 'c' ? 0 : RETRY);
const optionsFor = (name: string) => ({
	staleTime: STALE,
	gcTime: GC,
	retryDelay: RETRY_DELAY,
	...(name === 'c' ? {} : { retry: RETRY }),
	...(keyDef(name).poll ? { refetchInterval: POLL } : {})
});

// ---------------------------------------------------------------------------
// the reference model

/** What an error in state must be: the thrown Error itself, or an Error wrapping a non-Error (`cause`). */
type ErrModel = { readonly kind: 'raw'; readonly raw: unknown } | { readonly kind: 'undefined-data' };

type Result = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly err: ErrModel };

interface FetchCaller {
	readonly kind: 'fetch';
	readonly label: string;
	/**
	 * prefetchQuery: settles when fetchQuery would, or when its fetch pauses offline, or fails more
	 * often than its query's own retry allows; always resolves undefined.
	 */
	readonly prefetch: boolean;
	/** The retries its query's own options ask for (prefetch waits for those only). */
	readonly ownRetry: number;
	expect:
		| { state: 'pending' }
		| { state: 'resolved'; value: unknown }
		| { state: 'cancelled' }
		| { state: 'rejected'; err: ErrModel };
}
interface InvalidateCaller {
	readonly kind: 'invalidate';
	readonly label: string;
	pending: number;
}
type Caller = FetchCaller | InvalidateCaller;

interface MRun {
	readonly id: number;
	phase: 'attempt' | 'backoff' | 'paused';
	/** The request id of the attempt in flight. */
	req: string | null;
	due: number;
	failures: number;
	readonly before: { readonly failureCount: number; readonly failureReason: ErrModel | null };
	readonly writeSeq0: number;
	/** The entry's write count when the latest attempt's request went out. */
	attemptWriteSeq: number;
	/** The entry's invalidation count when the latest attempt's request went out. */
	invSeq0: number;
	readonly callers: Caller[];
	aborted: boolean;
	/** When the latest attempt's request went out. */
	startedAt: number;
	/** The oldest data time a direct write during the run left (a rollback to older data undoes them all). */
	oldestWrite: number;
	/** It replaced a run or follows one up: an invalidation lets it land, then a follow-up takes its callers. */
	readonly successor: boolean;
	followUp: boolean;
	/**
	 * It follows one up (and took its callers): followed up in turn, it hands its callers what it brought and the
	 * next follow-up starts with none, so invalidations faster than answers cannot hold them for good.
	 */
	readonly followsLanded: boolean;
}

interface MData {
	status: 'pending' | 'success' | 'error';
	fetchStatus: 'fetching' | 'paused' | 'idle';
	data: unknown;
	error: ErrModel | null;
	dataUpdatedAt: number;
	errorUpdatedAt: number;
	failureCount: number;
	failureReason: ErrModel | null;
	isInvalidated: boolean;
}

interface MEntry extends MData {
	listeners: number;
	enabled: number;
	run: MRun | null;
	gcDue: number | null;
	pollDue: number | null;
	writeSeq: number;
	invSeq: number;
	invalidatedAt: number;
	/** When the request behind the data went out (its time for written data): hydrate weighs request against request. */
	requestedAt: number;
}

interface MRequest {
	readonly id: string;
	readonly keyName: string;
	readonly keyIndex: number;
	readonly seq: number;
	readonly run: MRun;
	settled: boolean;
}

interface Job {
	readonly keyName: string;
	readonly runId: number;
	readonly req: string;
	readonly result: Result;
}

interface Model {
	now: number;
	online: boolean;
	readonly entries: Map<string, MEntry>;
	readonly calls: Map<string, number>;
	readonly requests: MRequest[];
	readonly armed: Map<string, Result>;
	/** Outcomes the real system delivers through promise callbacks: applied at the next checkpoint. */
	readonly jobs: Job[];
	readonly subs: { keyName: string; mode: WatchMode; active: boolean }[];
	/** `clears` counts the clear() calls made before the snapshot was taken. */
	readonly snapshots: { keyName: string; state: MData | undefined; clears: number }[];
	readonly callers: Caller[];
	/** clear() calls so far: a snapshot taken before one puts nothing back. */
	clears: number;
	readonly serverEvents: { due: number; order: number; reqId: string; result: Result }[];
	runSeq: number;
	eventSeq: number;
	valueSeq: number;
}

type WatchMode = 'enabled' | 'disabled' | 'observe';

const initialData = (): MData => ({
	status: 'pending',
	fetchStatus: 'idle',
	data: undefined,
	error: null,
	dataUpdatedAt: 0,
	errorUpdatedAt: 0,
	failureCount: 0,
	failureReason: null,
	isInvalidated: false
});

function newModel(): Model {
	return {
		now: T0,
		online: true,
		entries: new Map(),
		calls: new Map(),
		requests: [],
		armed: new Map(),
		jobs: [],
		subs: [],
		snapshots: [],
		callers: [],
		clears: 0,
		serverEvents: [],
		runSeq: 0,
		eventSeq: 0,
		valueSeq: 0
	};
}

function getOrCreate(m: Model, keyName: string): MEntry {
	let e = m.entries.get(keyName);
	if (!e) {
		e = { ...initialData(), listeners: 0, enabled: 0, run: null, gcDue: null, pollDue: null, writeSeq: 0, invSeq: 0, invalidatedAt: 0, requestedAt: 0 };
		m.entries.set(keyName, e);
	}
	return e;
}

/** Stale: no data, invalidated, its last fetch failed, or older than staleTime. */
const isStale = (m: Model, e: MData) => e.data === undefined || e.isInvalidated || e.status === 'error' || m.now - e.dataUpdatedAt >= STALE;

/** gc deadline: an unwatched entry goes `gcTime` after its last write or settle (an invalidation is not a write). */
function afterDataChange(m: Model, e: MEntry): void {
	if (e.listeners === 0) e.gcDue = m.now + GC;
}

function attempt(m: Model, keyName: string, run: MRun): void {
	const seq = (m.calls.get(keyName) ?? 0) + 1;
	m.calls.set(keyName, seq);
	const id = `${keyName}#${seq}`;
	run.phase = 'attempt';
	run.req = id;
	run.startedAt = m.now;
	run.attemptWriteSeq = m.entries.get(keyName)?.writeSeq ?? 0;
	// An invalidation made before this request went out (paused, in a backoff) is answered by it.
	run.invSeq0 = m.entries.get(keyName)?.invSeq ?? 0;
	run.followUp = false;
	const armed = m.armed.get(keyName);
	if (armed) {
		m.armed.delete(keyName);
		m.jobs.push({ keyName, runId: run.id, req: id, result: armed });
		return;
	}
	m.requests.push({ id, keyName, keyIndex: KEYS.indexOf(keyDef(keyName)), seq, run, settled: false });
}

function startRun(m: Model, keyName: string, e: MEntry, replaced: MRun | null, landed: MRun | null = null): MRun {
	const run: MRun = {
		id: ++m.runSeq,
		phase: 'paused',
		req: null,
		due: 0,
		failures: 0,
		before: replaced ? replaced.before : { failureCount: e.failureCount, failureReason: e.failureReason },
		writeSeq0: e.writeSeq,
		attemptWriteSeq: e.writeSeq,
		invSeq0: e.invSeq,
		callers: (replaced ?? (landed?.followsLanded ? null : landed))?.callers ?? [],
		aborted: false,
		startedAt: m.now,
		oldestWrite: Infinity,
		successor: replaced !== null || landed !== null,
		followUp: false,
		followsLanded: landed !== null
	};
	e.run = run;
	e.fetchStatus = m.online ? 'fetching' : 'paused';
	e.failureCount = 0;
	e.failureReason = null;
	if (m.online) attempt(m, keyName, run);
	else releasePrefetches(run, 'paused');
	return run;
}

/**
 * The run paused for the connection, or failed past their own retry: prefetchQuery callers stop
 * waiting (the fetch goes on); so do invalidate callers when it paused.
 */
function releasePrefetches(run: MRun, why: 'paused' | 'failed'): void {
	for (const caller of [...run.callers]) {
		if (caller.kind === 'fetch' && caller.prefetch && (why === 'paused' || run.failures > caller.ownRetry)) {
			caller.expect = { state: 'resolved', value: undefined };
		} else if (caller.kind === 'invalidate' && why === 'paused') {
			caller.pending--;
			run.callers.splice(run.callers.indexOf(caller), 1);
		}
	}
}

function settleCallers(run: MRun, fetchExpect: (caller: FetchCaller) => void): void {
	for (const caller of run.callers) {
		if (caller.kind === 'fetch') fetchExpect(caller);
		else caller.pending--;
	}
}

function endRun(m: Model, keyName: string, e: MEntry, run: MRun, result: Result): void {
	e.run = null;
	if (e.writeSeq !== (result.ok ? run.attemptWriteSeq : run.writeSeq0) && e.data !== undefined) {
		// A direct write landed during the answering attempt (or, for a failure, during the fetch): it wins;
		// callers get the written data. A request sent after the write (a retry, a resumed pause) may be newer.
		// (A write that left no data, e.g. restoring a pending snapshot, has nothing to give
		// callers: then the fetch's own outcome applies, so fetchQuery never resolves undefined.)
		e.fetchStatus = 'idle';
		e.failureCount = 0;
		e.failureReason = null;
		const data = e.data;
		if (followsUp(e, run)) {
			startRun(m, keyName, e, null, run);
			if (run.followsLanded) settleCallers(run, (c) => (c.expect = { state: 'resolved', value: data }));
		} else {
			settleCallers(run, (c) => (c.expect = { state: 'resolved', value: data }));
			// An invalidation made after that write still stands: a watcher that joined refetches.
			if (e.invSeq !== run.invSeq0 && e.isInvalidated && e.enabled > 0) startRun(m, keyName, e, null);
		}
	} else if (!result.ok) {
		// Followed up: the failure is not shown, as a replaced run's is not. Its callers, handed what it brought,
		// get the data shown (landed since they called) rather than that unshown failure.
		if (followsUp(e, run)) {
			startRun(m, keyName, e, null, run);
			const data = e.data;
			if (run.followsLanded)
				settleCallers(run, (c) => (c.expect = data !== undefined ? { state: 'resolved', value: data } : { state: 'rejected', err: result.err }));
			afterDataChange(m, e);
			return;
		}
		e.status = 'error';
		e.fetchStatus = 'idle';
		e.error = result.err;
		e.errorUpdatedAt = m.now;
		e.failureCount = run.failures;
		e.failureReason = result.err;
		settleCallers(run, (c) => (c.expect = { state: 'rejected', err: result.err }));
	} else {
		e.status = 'success';
		e.fetchStatus = 'idle';
		e.data = result.value;
		e.error = null;
		e.dataUpdatedAt = m.now;
		e.requestedAt = run.startedAt; // the answering attempt's request
		e.failureCount = 0;
		e.failureReason = null;
		e.isInvalidated = e.invSeq !== run.invSeq0;
		if (followsUp(e, run)) {
			startRun(m, keyName, e, null, run);
			if (run.followsLanded) settleCallers(run, (c) => (c.expect = { state: 'resolved', value: result.value }));
		} else {
			settleCallers(run, (c) => (c.expect = { state: 'resolved', value: result.value }));
			// Invalidated while unwatched, then joined by a watcher: it refetches what may predate the change.
			if (e.isInvalidated && e.enabled > 0) startRun(m, keyName, e, null);
		}
	}
	afterDataChange(m, e);
}

/** A run an invalidation let land (it had replaced one) is followed up while the entry is watched and still invalidated. */
function followsUp(e: MEntry, run: MRun): boolean {
	return run.followUp && e.isInvalidated && e.enabled > 0;
}

function applyResult(m: Model, keyName: string, e: MEntry, run: MRun, result: Result): void {
	if (result.ok) {
		endRun(m, keyName, e, run, result);
		return;
	}
	run.failures++;
	// Resolving undefined is a programming mistake: no retry can fix it.
	if (run.failures <= RETRY && result.err.kind !== 'undefined-data') {
		e.failureCount = run.failures;
		e.failureReason = result.err;
		releasePrefetches(run, 'failed');
		run.req = null;
		if (m.online) {
			run.phase = 'backoff';
			run.due = m.now + RETRY_DELAY;
		} else {
			// Failed while offline: the retry waits for the connection, not for a backoff.
			run.phase = 'paused';
			e.fetchStatus = 'paused';
			releasePrefetches(run, 'paused');
		}
	} else {
		endRun(m, keyName, e, run, result);
	}
}

/** Promise callbacks have run: deliver what the fetchers produced. */
function checkpoint(m: Model): void {
	while (m.jobs.length > 0) {
		const job = m.jobs.shift() as Job;
		const e = m.entries.get(job.keyName);
		const run = e?.run;
		if (!e || !run || run.id !== job.runId || run.phase !== 'attempt' || run.req !== job.req) continue;
		applyResult(m, job.keyName, e, run, job.result);
	}
}

function cancelRun(m: Model, e: MEntry): void {
	const run = e.run;
	if (!run) return;
	e.run = null;
	run.aborted = true;
	e.fetchStatus = 'idle';
	e.failureCount = run.before.failureCount;
	e.failureReason = run.before.failureReason;
	settleCallers(run, (c) => (c.expect = { state: 'cancelled' }));
	afterDataChange(m, e);
}

function replaceRun(m: Model, keyName: string, e: MEntry): MRun {
	const old = e.run;
	if (old) {
		e.run = null;
		old.aborted = true;
	}
	return startRun(m, keyName, e, old);
}

function invalidateEntries(m: Model, names: string[], caller: InvalidateCaller): void {
	for (const name of names) {
		const e = m.entries.get(name);
		if (!e) continue;
		e.invSeq++;
		e.isInvalidated = true;
		e.invalidatedAt = m.now;
		if (e.enabled > 0) {
			// A run that replaced one already is not replaced again: it lands, then a follow-up refetches.
			const kept = e.run !== null && e.run.successor ? e.run : null;
			if (kept !== null) kept.followUp = true;
			const run = kept ?? replaceRun(m, name, e);
			// A refetch that waits for the connection is not waited for.
			if (run.phase !== 'paused') {
				run.callers.push(caller);
				caller.pending++;
			}
		}
	}
}

/** A direct write; `overrides: false` lets a fetch in flight still land, `invalidated` keeps the entry invalidated (hydrate). */
/** A direct write that overrides a fetch in flight, leaving data of time `at`. */
function noteWrite(e: MEntry, at: number): void {
	e.writeSeq++;
	if (e.run) e.run.oldestWrite = Math.min(e.run.oldestWrite, at);
}

function write(m: Model, e: MEntry, value: unknown, at = m.now, overrides = true, invalidated = false): void {
	if (overrides) noteWrite(e, at);
	// The very data written again keeps its request time (never later than the write: the client
	// stores it as a lead before dataUpdatedAt); other data is as new as its write.
	e.requestedAt = value !== e.data || e.data === undefined ? at : Math.min(e.requestedAt, at);
	e.status = 'success';
	e.data = value;
	e.error = null;
	e.dataUpdatedAt = at;
	e.isInvalidated = invalidated;
	afterDataChange(m, e);
}

function removeEntry(m: Model, keyName: string): void {
	const e = m.entries.get(keyName);
	if (!e) return;
	cancelRun(m, e);
	if (e.listeners > 0) {
		e.writeSeq++;
		Object.assign(e, initialData(), { fetchStatus: e.fetchStatus, requestedAt: 0 });
		afterDataChange(m, e);
	} else {
		m.entries.delete(keyName);
	}
}

function refetchStaleWatched(m: Model): void {
	for (const [name, e] of m.entries) if (e.enabled > 0 && !e.run && isStale(m, e)) startRun(m, name, e, null);
}

function nextEventTime(m: Model): number | null {
	let next: number | null = null;
	const consider = (t: number | null) => {
		if (t !== null && (next === null || t < next)) next = t;
	};
	for (const e of m.entries.values()) {
		if (e.run?.phase === 'backoff') consider(e.run.due);
		consider(e.gcDue);
		consider(e.pollDue);
	}
	for (const ev of m.serverEvents) consider(ev.due);
	return next;
}

function respondModel(m: Model, reqId: string, result: Result): void {
	const req = m.requests.find((r) => r.id === reqId);
	if (!req || req.settled) return;
	req.settled = true;
	m.jobs.push({ keyName: req.keyName, runId: req.run.id, req: req.id, result });
}

function advanceModel(m: Model, ms: number): void {
	const target = m.now + ms;
	for (;;) {
		const t = nextEventTime(m);
		if (t === null || t > target) break;
		m.now = t;
		// The client's tasks due now run in one timer callback, then promise callbacks run.
		for (const [name, e] of [...m.entries]) {
			const run = e.run;
			if (run && run.phase === 'backoff' && run.due === t) {
				if (m.online) attempt(m, name, run);
				else {
					run.phase = 'paused';
					e.fetchStatus = 'paused';
					releasePrefetches(run, 'paused');
				}
			}
			if (e.gcDue === t) {
				if (e.run) e.gcDue = null; // never collected while fetching; the fetch's end reschedules
				else if (e.listeners === 0) m.entries.delete(name);
			}
			if (e.pollDue === t) {
				if (!e.run) startRun(m, name, e, null);
				e.pollDue = t + POLL;
			}
		}
		checkpoint(m);
		const due = m.serverEvents.filter((ev) => ev.due === t).sort((x, y) => x.order - y.order);
		for (const ev of due) {
			m.serverEvents.splice(m.serverEvents.indexOf(ev), 1);
			respondModel(m, ev.reqId, ev.result);
			checkpoint(m);
		}
	}
	m.now = target;
}

// ---------------------------------------------------------------------------
// the real system

interface RealSub {
	readonly keyName: string;
	last: QoraState<unknown> | undefined;
	/** A copy of `last` taken when it was emitted: snapshots must never change afterwards. */
	lastCopy: Record<string, unknown> | undefined;
	emissions: number;
	unsubscribe: () => void;
}

interface Real {
	readonly client: QoraClient;
	readonly server: FakeServer;
	readonly online: FakeOnline;
	readonly focus: FakeFocus;
	readonly subs: RealSub[];
	readonly snapshots: (QoraState<unknown> | undefined)[];
	readonly callers: Outcome<unknown>[];
	readonly reported: unknown[];
	readonly log: string[];
	/** Problems seen inside listeners (inconsistent or repeated snapshots). */
	readonly violations: string[];
}

function newReal(): Real {
	const online = new FakeOnline(true);
	const focus = new FakeFocus();
	const reported: unknown[] = [];
	const client = new QoraClient({
		defaultOptions: { staleTime: STALE, gcTime: GC, retry: RETRY, retryDelay: RETRY_DELAY },
		online,
		focus,
		onError: (error) => reported.push(error)
	});
	return { client, server: new FakeServer(), online, focus, subs: [], snapshots: [], callers: [], reported, log: [], violations: [] };
}

// ---------------------------------------------------------------------------
// comparing the two

function errMatches(actual: unknown, expected: ErrModel | null): boolean {
	if (expected === null) return actual === null;
	if (!(actual instanceof Error)) return false;
	if (expected.kind === 'undefined-data') return actual instanceof TypeError && /undefined/.test(actual.message);
	if (expected.raw instanceof Error) return actual === expected.raw;
	return 'cause' in actual && Object.is(actual.cause, expected.raw);
}

function showErr(e: ErrModel | null): string {
	if (e === null) return 'null';
	if (e.kind === 'undefined-data') return 'TypeError(resolved undefined)';
	return e.raw instanceof Error ? `Error(${e.raw.message})` : `wrapped ${JSON.stringify(e.raw) ?? String(e.raw)}`;
}

function showModel(m: Model, e: MData | undefined): string {
	if (!e) return 'undefined (no entry)';
	return `{ status: ${e.status}, fetchStatus: ${e.fetchStatus}, data: ${JSON.stringify(e.data)}, error: ${showErr(e.error)}, dataUpdatedAt: ${e.dataUpdatedAt}, errorUpdatedAt: ${e.errorUpdatedAt}, failureCount: ${e.failureCount}, failureReason: ${showErr(e.failureReason)}, isStale: ${isStale(m, e)}, isInvalidated: ${e.isInvalidated} }`;
}

function stateDiff(m: Model, actual: QoraState<unknown> | undefined, expected: MData | undefined): string | null {
	if (expected === undefined || actual === undefined) return expected === actual ? null : 'entry existence';
	const diffs: string[] = [];
	if (actual.status !== expected.status) diffs.push('status');
	if (actual.fetchStatus !== expected.fetchStatus) diffs.push('fetchStatus');
	if (!Object.is(actual.data, expected.data)) diffs.push('data');
	if (!errMatches(actual.error, expected.error)) diffs.push('error');
	if (actual.dataUpdatedAt !== expected.dataUpdatedAt) diffs.push('dataUpdatedAt');
	if (actual.errorUpdatedAt !== expected.errorUpdatedAt) diffs.push('errorUpdatedAt');
	if (actual.failureCount !== expected.failureCount) diffs.push('failureCount');
	if (!errMatches(actual.failureReason, expected.failureReason)) diffs.push('failureReason');
	if (actual.isInvalidated !== expected.isInvalidated) diffs.push('isInvalidated');
	if (actual.isStale !== isStale(m, expected)) diffs.push('isStale');
	return diffs.length === 0 ? null : diffs.join(', ');
}

function callerDiff(caller: Caller, outcome: Outcome<unknown>): string | null {
	if (caller.kind === 'invalidate') {
		const want = caller.pending > 0 ? 'pending' : 'resolved';
		return outcome.state === want ? null : `invalidate promise should be ${want}, is ${outcome.state}`;
	}
	const ex = caller.expect;
	if (caller.prefetch) {
		if (ex.state === 'pending') return outcome.state === 'pending' ? null : `prefetchQuery should be pending, is ${outcome.state}`;
		return outcome.state === 'resolved' && outcome.value === undefined
			? null
			: `prefetchQuery should resolve undefined (it never rejects), is ${outcome.state} ${String(outcome.value ?? outcome.reason)}`;
	}
	switch (ex.state) {
		case 'pending':
			return outcome.state === 'pending' ? null : `should be pending, is ${outcome.state} (${String(outcome.value ?? outcome.reason)})`;
		case 'resolved':
			return outcome.state === 'resolved' && Object.is(outcome.value, ex.value)
				? null
				: `should resolve ${JSON.stringify(ex.value)}, is ${outcome.state} ${String(outcome.state === 'resolved' ? JSON.stringify(outcome.value) : outcome.reason)}`;
		case 'cancelled':
			return outcome.state === 'rejected' && outcome.reason instanceof CancelledError
				? null
				: `should reject with CancelledError, is ${outcome.state} ${String(outcome.value ?? outcome.reason)}`;
		case 'rejected':
			return outcome.state === 'rejected' && errMatches(outcome.reason, ex.err)
				? null
				: `should reject with ${showErr(ex.err)}, is ${outcome.state} ${String(outcome.value ?? outcome.reason)}`;
	}
}

function compare(m: Model, r: Real): void {
	const problems: string[] = [];
	for (const def of KEYS) {
		const actual = r.client.getState(keyInput(def.name));
		const expected = m.entries.get(def.name);
		try {
			assertConsistent(actual, `getState(${def.name})`);
		} catch (error) {
			problems.push((error as Error).message);
		}
		const diff = stateDiff(m, actual, expected);
		if (diff) problems.push(`${def.name}: ${diff} differ\n    real:  ${describeState(actual)}\n    model: ${showModel(m, expected)}`);
		const calls = r.server.count(def.name);
		const allowed = m.calls.get(def.name) ?? 0;
		if (calls !== allowed) problems.push(`${def.name}: ${calls} fetcher calls, the model allows ${allowed}`);
	}
	if (r.client.size !== m.entries.size) problems.push(`client.size is ${r.client.size}, model has ${m.entries.size} entries`);
	for (const req of m.requests) {
		const real = r.server.requests.find((x) => x.id === req.id);
		if (!real) {
			problems.push(`request ${req.id} was never made`);
			continue;
		}
		if (real.signal.aborted !== req.run.aborted) problems.push(`request ${req.id}: signal.aborted is ${real.signal.aborted}, expected ${req.run.aborted}`);
	}
	if (r.server.requests.length !== m.requests.length) problems.push(`server has ${r.server.requests.length} requests, model ${m.requests.length}`);
	m.subs.forEach((sub, i) => {
		const real = r.subs[i] as RealSub;
		if (!sub.active) return;
		const current = r.client.getState(keyInput(sub.keyName));
		const diff = stateDiff(m, real.last, m.entries.get(sub.keyName));
		if (diff || current === undefined) problems.push(`watcher #${i} (${sub.keyName}) holds a state other than getState: ${diff}\n    held: ${describeState(real.last)}`);
		const copy = real.lastCopy as Record<string, unknown>;
		const held = real.last as unknown as Record<string, unknown>;
		for (const field of Object.keys(copy)) {
			if (!Object.is(copy[field], held[field])) problems.push(`watcher #${i}: an emitted snapshot was mutated afterwards (${field})`);
		}
	});
	problems.push(...r.violations.splice(0));
	m.callers.forEach((caller, i) => {
		const diff = callerDiff(caller, r.callers[i] as Outcome<unknown>);
		if (diff) problems.push(`${caller.label}: ${diff}`);
	});
	if (r.reported.length > 0) problems.push(`onError received ${r.reported.map(String).join('; ')}`);
	if (problems.length > 0) {
		throw new Error(`model and client disagree at t=+${m.now - T0}ms after:\n  ${r.log.slice(-12).join('\n  ')}\n- ${problems.join('\n- ')}`);
	}
}

// ---------------------------------------------------------------------------
// commands

type Cmd = fc.AsyncCommand<Model, Real>;

async function settleAndCompare(m: Model, r: Real, label: string): Promise<void> {
	r.log.push(`t=+${m.now - T0} ${label}`);
	await vi.advanceTimersByTimeAsync(0);
	checkpoint(m);
	compare(m, r);
}

class FetchQuery implements Cmd {
	constructor(readonly keyName: string, readonly form: number, readonly prefetch: boolean) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		const e = getOrCreate(m, this.keyName);
		const label = `${this.prefetch ? 'prefetchQuery' : 'fetchQuery'}#${m.callers.length}(${this.keyName})`;
		const caller: FetchCaller = { kind: 'fetch', label, prefetch: this.prefetch, ownRetry: ownRetry(this.keyName), expect: { state: 'pending' } };
		if (e.data !== undefined) {
			caller.expect = { state: 'resolved', value: e.data };
			if (isStale(m, e) && !e.run) startRun(m, this.keyName, e, null);
			// Fresh and unwatched: the call is a use, and the gc countdown starts again from it.
			else if (!isStale(m, e) && e.listeners === 0) e.gcDue = m.now + GC;
		} else if (e.run) {
			e.run.callers.push(caller);
		} else {
			startRun(m, this.keyName, e, null).callers.push(caller);
		}
		// Joined (or started, offline) a fetch that waits for the connection, or one that failed past its own retry.
		if (e.run?.callers.includes(caller)) releasePrefetches(e.run, e.run.phase === 'paused' ? 'paused' : 'failed');
		m.callers.push(caller);
		const config = { key: keyInput(this.keyName, this.form), fetcher: r.server.fetcher(this.keyName), options: optionsFor(this.keyName) };
		r.callers.push(track<unknown>(this.prefetch ? r.client.prefetchQuery(config) : r.client.fetchQuery(config)));
		await settleAndCompare(m, r, label);
	}
	toString = () => `${this.prefetch ? 'prefetchQuery' : 'fetchQuery'}(${this.keyName}/${this.form})`;
}

class Watch implements Cmd {
	constructor(readonly keyName: string, readonly mode: WatchMode, readonly form: number) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		const e = getOrCreate(m, this.keyName);
		e.listeners++;
		if (e.listeners === 1) e.gcDue = null;
		if (this.mode === 'enabled') {
			e.enabled++;
			if (e.enabled === 1 && keyDef(this.keyName).poll) e.pollDue = m.now + POLL;
			if (!e.run && isStale(m, e)) startRun(m, this.keyName, e, null);
		}
		m.subs.push({ keyName: this.keyName, mode: this.mode, active: true });
		const key = keyInput(this.keyName, this.form);
		const store =
			this.mode === 'observe'
				? r.client.observeQuery(key)
				: r.client.watchQuery({
						key,
						fetcher: r.server.fetcher(this.keyName),
						options: { ...optionsFor(this.keyName), enabled: this.mode === 'enabled' }
					});
		const sub: RealSub = { keyName: this.keyName, last: undefined, lastCopy: undefined, emissions: 0, unsubscribe: () => {} };
		sub.unsubscribe = store.subscribe((state) => {
			try {
				assertConsistent(state, `emission to watcher of ${this.keyName}`);
			} catch (error) {
				r.violations.push((error as Error).message);
			}
			if (state === sub.last) r.violations.push(`watcher of ${this.keyName} was sent the same snapshot twice in a row`);
			sub.last = state;
			sub.lastCopy = { ...state };
			sub.emissions++;
		});
		r.subs.push(sub);
		if (sub.emissions !== 1) throw new Error(`subscribe must call run synchronously once, called ${sub.emissions} times`);
		await settleAndCompare(m, r, `watch#${m.subs.length - 1}(${this.keyName}, ${this.mode})`);
	}
	toString = () => `watch(${this.keyName}/${this.form}, ${this.mode})`;
}

class Unwatch implements Cmd {
	constructor(readonly which: number) {}
	check = (m: Readonly<Model>) => m.subs.some((s) => s.active);
	async run(m: Model, r: Real): Promise<void> {
		const active = m.subs.map((s, i) => [s, i] as const).filter(([s]) => s.active);
		const [sub, index] = active[this.which % active.length] as (typeof active)[number];
		sub.active = false;
		const e = m.entries.get(sub.keyName) as MEntry;
		e.listeners--;
		if (sub.mode === 'enabled' && --e.enabled === 0) e.pollDue = null;
		if (e.listeners === 0) e.gcDue = m.now + GC;
		(r.subs[index] as RealSub).unsubscribe();
		await settleAndCompare(m, r, `unwatch#${index}(${sub.keyName})`);
	}
	toString = () => `unwatch(${this.which})`;
}

class SetData implements Cmd {
	constructor(readonly keyName: string, readonly kind: 'value' | 'updater' | 'updater-undefined', readonly form: number) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		const n = ++m.valueSeq;
		const previous = m.entries.get(this.keyName)?.data;
		let seen: unknown = 'not called';
		if (this.kind === 'value') {
			write(m, getOrCreate(m, this.keyName), `set${n}`);
			r.client.setQueryData(keyInput(this.keyName, this.form), `set${n}`);
		} else {
			const next = this.kind === 'updater' ? `upd${n}(${String(previous)})` : undefined;
			if (next !== undefined) write(m, getOrCreate(m, this.keyName), next);
			r.client.setQueryData(keyInput(this.keyName, this.form), (prev: unknown) => {
				seen = prev;
				return next;
			});
			if (!Object.is(seen, previous)) throw new Error(`the updater received ${String(seen)}, the cached data is ${String(previous)}`);
		}
		await settleAndCompare(m, r, `setQueryData(${this.keyName}, ${this.kind} ${n})`);
	}
	toString = () => `setQueryData(${this.keyName}/${this.form}, ${this.kind})`;
}

class Snapshot implements Cmd {
	constructor(readonly keyName: string) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		const e = m.entries.get(this.keyName);
		m.snapshots.push({ keyName: this.keyName, state: e ? { ...(e as MData) } : undefined, clears: m.clears });
		r.snapshots.push(r.client.getState(keyInput(this.keyName)));
		await settleAndCompare(m, r, `snapshot#${m.snapshots.length - 1}(${this.keyName})`);
	}
	toString = () => `snapshot(${this.keyName})`;
}

class Restore implements Cmd {
	constructor(readonly keyName: string, readonly which: number) {}
	check = (m: Readonly<Model>) => m.snapshots.length > 0;
	async run(m: Model, r: Real): Promise<void> {
		const index = this.which % m.snapshots.length;
		const { state: snap, clears } = m.snapshots[index] as Model['snapshots'][number];
		if (snap === undefined) {
			removeEntry(m, this.keyName);
		} else if (snap.status !== 'pending' && clears < m.clears) {
			// Data or an error from before a clear (a logout): nothing comes back.
		} else {
			const e = getOrCreate(m, this.keyName);
			const idle = e.fetchStatus === 'idle';
			const loaded = e.status !== 'pending';
			// Data older than the entry's last invalidation goes back stale.
			const isInvalidated = snap.isInvalidated || (snap.data !== undefined && e.invalidatedAt > snap.dataUpdatedAt);
			// Putting back exactly what is there is no write: a fetch in flight may still land.
			const unchanged =
				e.status === snap.status &&
				e.data === snap.data &&
				e.error === snap.error &&
				e.dataUpdatedAt === snap.dataUpdatedAt &&
				e.errorUpdatedAt === snap.errorUpdatedAt &&
				e.isInvalidated === isInvalidated &&
				(!idle || (e.failureCount === snap.failureCount && e.failureReason === snap.failureReason));
			// The client remembers when the request behind each snapshot's data went out (its lead before dataUpdatedAt).
			const lead = snap.data === undefined ? 0 : Math.max(snap.dataUpdatedAt - (snap as MEntry).requestedAt, 0);
			const requested = snap.dataUpdatedAt - lead;
			// A rollback is as old as that request: a request sent after it is not overridden.
			if (!unchanged && (e.run === null || e.run.startedAt <= requested)) noteWrite(e, snap.dataUpdatedAt);
			else if (!unchanged && e.run) {
				// Data older than every write of the fetch undoes them all: its answer lands, and its failure shows.
				if (requested < e.run.oldestWrite) e.writeSeq = e.run.writeSeq0;
				e.run.attemptWriteSeq = e.writeSeq;
			}
			// The data put back keeps its request's time; data of no known request (written) is as new as
			// its time, and the very data put back keeps its request time, never later than the snapshot's.
			if (lead > 0) e.requestedAt = requested;
			else e.requestedAt = e.data !== snap.data || e.data === undefined ? snap.dataUpdatedAt : Math.min(e.requestedAt, snap.dataUpdatedAt);
			e.status = snap.status;
			e.data = snap.data;
			e.error = snap.error;
			e.dataUpdatedAt = snap.dataUpdatedAt;
			e.errorUpdatedAt = snap.errorUpdatedAt;
			e.isInvalidated = isInvalidated;
			if (idle) {
				e.failureCount = snap.failureCount;
				e.failureReason = snap.failureReason;
			}
			afterDataChange(m, e);
			// A first load rolled back (data put back to pending) with no fetch out: a query on screen loads it again.
			if (loaded && e.status === 'pending' && e.enabled > 0 && !e.run) startRun(m, this.keyName, e, null);
		}
		r.client.restoreQueryData(keyInput(this.keyName), r.snapshots[index]);
		await settleAndCompare(m, r, `restoreQueryData(${this.keyName}, snapshot#${index})`);
	}
	toString = () => `restore(${this.keyName}, ${this.which})`;
}

class Invalidate implements Cmd {
	constructor(readonly target: string) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		const label = `invalidate#${m.callers.length}(${this.target})`;
		const caller: InvalidateCaller = { kind: 'invalidate', label, pending: 0 };
		let promise: Promise<void>;
		if (this.target === 'where:b') {
			invalidateEntries(m, [...m.entries.keys()].filter((n) => n.startsWith('b')), caller);
			promise = r.client.invalidateWhere(['b']);
		} else if (this.target === 'where:single') {
			invalidateEntries(m, [...m.entries.keys()].filter((n) => n === 'a' || n === 'c'), caller);
			promise = r.client.invalidateWhere((parts) => parts.length === 1);
		} else if (this.target === 'where:all') {
			invalidateEntries(m, [...m.entries.keys()], caller);
			promise = r.client.invalidateWhere(() => true);
		} else {
			invalidateEntries(m, [this.target], caller);
			promise = r.client.invalidate(keyInput(this.target, 1));
		}
		m.callers.push(caller);
		r.callers.push(track(promise));
		await settleAndCompare(m, r, label);
	}
	toString = () => `invalidate(${this.target})`;
}

class Cancel implements Cmd {
	constructor(readonly keyName: string) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		const e = m.entries.get(this.keyName);
		if (e) cancelRun(m, e);
		r.client.cancel(keyInput(this.keyName));
		await settleAndCompare(m, r, `cancel(${this.keyName})`);
	}
	toString = () => `cancel(${this.keyName})`;
}

/** hydrate() of a one-entry payload fetched `age` ms ago (negative: a server clock ahead of ours). */
class Hydrate implements Cmd {
	/** `lead`: how long before `age` ago the server's request went out (0: data written, or no requestedAt). */
	constructor(readonly keyName: string, readonly age: number, readonly lead = 0) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		const value = `hyd${++m.valueSeq}`;
		const sent = m.now - this.age;
		// Newer client data wins, request time against request time (the data is only known to be as
		// new as its request); a timestamp from the future counts as now. An invalidation or a fetch
		// started after the server's request is newer: the entry stays invalidated, and the fetch still
		// lands. Both also stand against a timestamp from the future, since when the server had that
		// data is unknown.
		const at = Math.min(sent, m.now);
		const since = Math.min(sent - this.lead, at);
		const known = sent > m.now ? -Infinity : since;
		const e = m.entries.get(this.keyName);
		if (!(e && e.data !== undefined && e.requestedAt >= since)) {
			const target = getOrCreate(m, this.keyName);
			const overrides = target.run === null || target.run.startedAt <= known;
			// A fetch in flight that data of unknown time lets land (nothing written over its attempt) counts as
			// sent after that data's request (so a rollback to the data lets it land too).
			const run = known < since ? target.run : null;
			const requested = run && target.writeSeq === run.attemptWriteSeq ? Math.min(since, run.startedAt - 1) : since;
			write(m, target, value, at, overrides, target.isInvalidated && target.invalidatedAt > known);
			target.requestedAt = requested;
		}
		const record = { key: normalizeKey(keyInput(this.keyName)), status: 'success' as const, data: value, dataUpdatedAt: sent, ...(this.lead > 0 ? { requestedAt: sent - this.lead } : {}) };
		hydrate(r.client, { version: 1, entries: [record] });
		await settleAndCompare(m, r, `hydrate(${this.keyName}, ${value} from ${this.age}ms ago, requested ${this.lead}ms before)`);
	}
	toString = () => `hydrate(${this.keyName}, age ${this.age}, lead ${this.lead})`;
}

class Clear implements Cmd {
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		for (const name of [...m.entries.keys()]) removeEntry(m, name);
		m.clears++;
		r.client.clear();
		await settleAndCompare(m, r, 'clear()');
	}
	toString = () => 'clear';
}

class Remove implements Cmd {
	constructor(readonly keyName: string) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		removeEntry(m, this.keyName);
		r.client.remove(keyInput(this.keyName));
		await settleAndCompare(m, r, `remove(${this.keyName})`);
	}
	toString = () => `remove(${this.keyName})`;
}

type ResponseKind = 'ok' | 'ok-null' | 'ok-undefined' | 'error' | 'string' | 'object' | 'null' | 'undefined';
const RESPONSE_KINDS: readonly ResponseKind[] = ['ok', 'ok-null', 'ok-undefined', 'error', 'string', 'object', 'null', 'undefined'];

/** Builds a fresh response value, and what the model expects of it. */
function makeResult(m: Model, kind: ResponseKind): { result: Result; ok: boolean; value: unknown } {
	const n = ++m.valueSeq;
	switch (kind) {
		case 'ok':
			return { ok: true, value: `v${n}`, result: { ok: true, value: `v${n}` } };
		case 'ok-null':
			return { ok: true, value: null, result: { ok: true, value: null } };
		case 'ok-undefined':
			return { ok: true, value: undefined, result: { ok: false, err: { kind: 'undefined-data' } } };
		default: {
			const raw = kind === 'error' ? new Error(`e${n}`) : kind === 'string' ? `s${n}` : kind === 'object' ? { code: n } : kind === 'null' ? null : undefined;
			return { ok: false, value: raw, result: { ok: false, err: { kind: 'raw', raw } } };
		}
	}
}

function pendingRequests(m: Readonly<Model>): MRequest[] {
	return m.requests.filter((r) => !r.settled).sort((x, y) => x.keyIndex - y.keyIndex || x.seq - y.seq);
}

class Respond implements Cmd {
	constructor(readonly which: number, readonly kind: ResponseKind, readonly delay: number) {}
	check = (m: Readonly<Model>) => pendingRequests(m).length > 0;
	async run(m: Model, r: Real): Promise<void> {
		const pending = pendingRequests(m);
		const req = pending[this.which % pending.length] as MRequest;
		const { result, ok, value } = makeResult(m, this.kind);
		const real = r.server.byId(req.id);
		const settle = () => (ok ? real.resolve(value) : real.reject(value));
		if (this.delay === 0) {
			respondModel(m, req.id, result);
			settle();
		} else {
			m.serverEvents.push({ due: m.now + this.delay, order: ++m.eventSeq, reqId: req.id, result });
			setTimeout(settle, this.delay);
		}
		await settleAndCompare(m, r, `respond(${req.id}, ${this.kind}${this.delay ? ` in ${this.delay}ms` : ''})`);
	}
	toString = () => `respond(${this.which}, ${this.kind}, ${this.delay})`;
}

class Arm implements Cmd {
	constructor(readonly keyName: string, readonly kind: ResponseKind) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		const { result, ok, value } = makeResult(m, this.kind);
		m.armed.set(this.keyName, result);
		if (ok) r.server.armValue(this.keyName, value);
		else r.server.armThrow(this.keyName, value);
		await settleAndCompare(m, r, `arm(${this.keyName}: next call ${ok ? 'returns' : 'throws'} synchronously, ${this.kind})`);
	}
	toString = () => `arm(${this.keyName}, ${this.kind})`;
}

class Advance implements Cmd {
	constructor(readonly ms: number) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		advanceModel(m, this.ms);
		await vi.advanceTimersByTimeAsync(this.ms);
		await settleAndCompare(m, r, `advance(${this.ms})`);
	}
	toString = () => `advance(${this.ms})`;
}

class Connectivity implements Cmd {
	constructor(readonly online: boolean) {}
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		if (this.online !== m.online) {
			m.online = this.online;
			if (this.online) {
				for (const [name, e] of m.entries) {
					if (e.run?.phase === 'paused') {
						e.fetchStatus = 'fetching';
						attempt(m, name, e.run);
					}
				}
				refetchStaleWatched(m);
			}
		}
		r.online.set(this.online);
		await settleAndCompare(m, r, this.online ? 'online' : 'offline');
	}
	toString = () => (this.online ? 'online' : 'offline');
}

class Focus implements Cmd {
	check = () => true;
	async run(m: Model, r: Real): Promise<void> {
		refetchStaleWatched(m);
		r.focus.focus();
		await settleAndCompare(m, r, 'focus');
	}
	toString = () => 'focus';
}

const keyName = fc.constantFrom(...KEYS.map((k) => k.name));
const form = fc.nat({ max: 2 });
const responseKind = fc.oneof(
	{ weight: 6, arbitrary: fc.constant<ResponseKind>('ok') },
	{ weight: 4, arbitrary: fc.constantFrom<ResponseKind>(...RESPONSE_KINDS) }
);

const commands = fc.commands(
	[
		fc.tuple(keyName, form, fc.boolean()).map(([k, f, prefetch]) => new FetchQuery(k, f, prefetch)),
		fc.tuple(keyName, form).map(([k, f]) => new FetchQuery(k, f, false)),
		fc
			.tuple(keyName, fc.constantFrom<WatchMode>('enabled', 'enabled', 'enabled', 'disabled', 'observe'), form)
			.map(([k, mode, f]) => new Watch(k, mode, f)),
		fc.nat().map((i) => new Unwatch(i)),
		fc
			.tuple(keyName, fc.constantFrom<'value' | 'updater' | 'updater-undefined'>('value', 'value', 'updater', 'updater-undefined'), form)
			.map(([k, kind, f]) => new SetData(k, kind, f)),
		keyName.map((k) => new Snapshot(k)),
		fc.tuple(keyName, fc.nat()).map(([k, i]) => new Restore(k, i)),
		fc.constantFrom('a', 'b1', 'b2', 'c', 'where:b', 'where:single', 'where:all').map((t) => new Invalidate(t)),
		keyName.map((k) => new Cancel(k)),
		keyName.map((k) => new Remove(k)),
		fc.constant(new Clear()),
		fc.tuple(keyName, fc.constantFrom(0, 300, 1_500, -5_000), fc.constantFrom(0, 0, 700, 2_500)).map(([k, age, lead]) => new Hydrate(k, age, lead)),
		fc.tuple(fc.nat(), responseKind, fc.constantFrom(0, 0, 0, 13, 263, 513, 1_013)).map(([i, kind, d]) => new Respond(i, kind, d)),
		fc.tuple(fc.nat(), responseKind, fc.constant(0)).map(([i, kind, d]) => new Respond(i, kind, d)),
		fc.tuple(keyName, responseKind).map(([k, kind]) => new Arm(k, kind)),
		fc.constantFrom(50, 250, 500, 700, 1_000, 3_000).map((ms) => new Advance(ms)),
		fc.constantFrom(50, 500, 1_000).map((ms) => new Advance(ms)),
		fc.boolean().map((online) => new Connectivity(online)),
		fc.constant(new Focus())
	],
	{ maxCommands: 60, size: 'max', replayPath: process.env.QORA_FC_REPLAY_PATH }
);

describe('model-based: QoraClient agrees with the reference model of the documented semantics', () => {
	it('matches the model after every step of random command sequences (data, status, fetchStatus, dedup, promises, watchers)', async () => {
		const executed: number[] = [];
		await fc.assert(
			fc.asyncProperty(commands, async (cmds) => {
				vi.useFakeTimers();
				vi.setSystemTime(T0);
				const real = newReal();
				try {
					await fc.asyncModelRun(() => ({ model: newModel(), real }), cmds);
					executed.push(real.log.length);
				} finally {
					for (const sub of real.subs) sub.unsubscribe();
					real.client.dispose();
					vi.clearAllTimers();
					vi.useRealTimers();
				}
			}),
			fcParams(400)
		);
		const steps = executed.reduce((a, b) => a + b, 0);
		// Guard against a generator that degenerates into empty runs (commands skipped by their preconditions).
		expect(steps / executed.length).toBeGreaterThan(8);
		if (process.env.QORA_FC_STATS) console.log(`model: ${executed.length} sequences, ${steps} steps, longest ${Math.max(...executed)}`);
	});

	it('the model itself is not vacuous: it predicts different states for different histories', () => {
		// Guards against a model that agrees with anything: a fetch, then its success, must move it.
		const m = newModel();
		const e = getOrCreate(m, 'a');
		const run = startRun(m, 'a', e, null);
		expect(e.fetchStatus).toBe('fetching');
		expect(m.calls.get('a')).toBe(1);
		respondModel(m, run.req as string, { ok: true, value: 1 });
		checkpoint(m);
		expect(e.status).toBe('success');
		expect(e.data).toBe(1);
		expect(e.gcDue).toBe(T0 + GC);
	});
});
