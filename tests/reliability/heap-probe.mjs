// Heap probe for the leak test: run as `node --expose-gc heap-probe.mjs <bundle.mjs> <mode> <rounds>`.
// It drives a QoraClient (from the esbuild bundle of src/lib/index.ts) through rounds
// of 10,000 watch/unwatch cycles over 1,000 keys, lets gcTime pass on a manual clock
// (no real waiting), forces a full GC and prints the heap after every round as JSON.
// mode "leak" deliberately retains every emitted state, to prove the probe can see a leak.
import { pathToFileURL } from 'node:url';

const [bundle, mode = 'clean', roundsArg = '8'] = process.argv.slice(2);
if (!bundle || typeof globalThis.gc !== 'function') {
	console.error('usage: node --expose-gc heap-probe.mjs <bundle.mjs> [clean|leak] [rounds]');
	process.exit(2);
}
const { QoraClient } = await import(pathToFileURL(bundle).href);

/** A clock whose time only moves when told to: timers run in order, promise callbacks between them. */
class ManualClock {
	t = 1_700_000_000_000;
	seq = 0;
	timers = new Map();
	now() {
		return this.t;
	}
	setTimeout(run, ms) {
		const id = ++this.seq;
		this.timers.set(id, { at: this.t + Math.max(0, ms), run });
		return id;
	}
	clearTimeout(id) {
		this.timers.delete(id);
	}
	async advance(ms) {
		const target = this.t + ms;
		for (;;) {
			let next = null;
			for (const [id, timer] of this.timers) if (timer.at <= target && (next === null || timer.at < next[1].at)) next = [id, timer];
			if (next === null) break;
			this.timers.delete(next[0]);
			this.t = next[1].at;
			next[1].run();
			await turn();
		}
		this.t = target;
	}
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
/** Lets a chain of promise callbacks run (a settled fetch reaches the cache in a few hops). */
async function microtasks() {
	for (let i = 0; i < 16; i++) await null;
}

const GC_TIME = 1_000;
const KEYS = 1_000;
const CYCLES = 10_000;
const clock = new ManualClock();
const client = new QoraClient({ clock, defaultOptions: { gcTime: GC_TIME, staleTime: 0, retry: 0 } });
const retained = [];
let fetches = 0;

const fetcher = async ({ key }) => {
	fetches++;
	return { id: key[1], filter: key[2], payload: 'x'.repeat(64) };
};

async function round() {
	for (let i = 0; i < CYCLES; i++) {
		const key = ['item', i % KEYS, { page: (i % KEYS) % 3 }];
		const store = client.watchQuery({ key, fetcher });
		const stop = store.subscribe((state) => {
			if (mode === 'leak') retained.push(state);
		});
		// Sometimes the fetch settles while watched, sometimes the watcher leaves mid-flight.
		if (i % 2 === 0) await microtasks();
		stop();
		if (i % 7 === 0) client.observeQuery(key).subscribe(() => {})();
	}
	await turn();
	await clock.advance(GC_TIME + 1);
	await turn();
	return { size: client.size, timers: clock.timers.size };
}

function heap() {
	globalThis.gc();
	globalThis.gc();
	return process.memoryUsage().heapUsed;
}

const rounds = [];
for (let r = 0; r < Number(roundsArg); r++) {
	const { size, timers } = await round();
	rounds.push({ heapUsed: heap(), size, timers });
}
client.dispose();
console.log(JSON.stringify({ mode, cycles: CYCLES, keys: KEYS, fetches, rounds }));
