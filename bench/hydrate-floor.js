// How fast could any hydrate of workload 6 be? `node --expose-gc bench/hydrate-floor.js`
// (after `npm run bench` has built bench/.tmp/qora.js) times, in one process and the
// same conditions as the bench (fresh client per round, a full GC before each), the
// bare minimum a cache must do per entry: hash the key (JSON.stringify), allocate an
// entry, insert it into a Map; and the same without even hashing the keys (a Map by
// index). No validation, no key copy, no gc deadline. Next to them, Qora's hydrate of
// the same payload. The README's performance section quotes the figures.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { QoraClient, dehydrate, hydrate } = await import(pathToFileURL(path.join(here, '.tmp/qora.js')).href);

const N = 10_000;
const ROUNDS = 40;
const userKey = (i) => ['users', i, { page: i % 10, filter: 'active' }];
const source = new QoraClient();
for (let i = 0; i < N; i++) {
	source.setQueryData(userKey(i), { id: i, name: `User ${i}`, email: `user${i}@example.com`, active: i % 3 !== 0 });
}
const text = JSON.stringify(dehydrate(source));

/** As many fields as a cache entry needs to hold a query's two-axis state. */
class BareEntry {
	constructor(key, data, at) {
		this.status = 'success';
		this.fetchStatus = 'idle';
		this.data = data;
		this.error = null;
		this.dataUpdatedAt = at;
		this.errorUpdatedAt = 0;
		this.failureCount = 0;
		this.failureReason = null;
		this.isInvalidated = false;
		this.watch = null;
		this.inflight = null;
		this.key = key;
	}
}

function bare(payload, hashed) {
	const index = new Map();
	const entries = payload.entries;
	for (let i = 0; i < entries.length; i++) {
		const record = entries[i];
		index.set(hashed ? JSON.stringify(record.key) : i, new BareEntry(record.key, record.data, record.dataUpdatedAt));
	}
	return index;
}

const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
const floor = [];
const unhashed = [];
const qora = [];
for (let round = 0; round < ROUNDS; round++) {
	let payload = JSON.parse(text);
	gc();
	let started = performance.now();
	if (bare(payload, true).size !== N) throw new Error('bare: wrong size');
	floor.push(performance.now() - started);

	payload = JSON.parse(text);
	gc();
	started = performance.now();
	if (bare(payload, false).size !== N) throw new Error('bare: wrong size');
	unhashed.push(performance.now() - started);

	payload = JSON.parse(text);
	const client = new QoraClient();
	gc();
	started = performance.now();
	hydrate(client, payload);
	qora.push(performance.now() - started);
	if (client.size !== N) throw new Error('qora: wrong size');
	client.dispose();
}
console.log(
	`10,000 entries, median of ${ROUNDS} rounds: bare minimum ${median(floor).toFixed(1)} ms ` +
		`(${median(unhashed).toFixed(1)} ms without hashing the keys), Qora's hydrate ${median(qora).toFixed(1)} ms`
);
