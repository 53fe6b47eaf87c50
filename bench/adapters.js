// One small adapter per library, so every workload runs the same harness code and
// only the library calls differ. Each worker process loads exactly one adapter,
// so the call sites in the workloads stay monomorphic.
//
// Both libraries are loaded from esbuild bundles built by run.js into bench/.tmp/
// with the same settings (ESM, node20, NODE_ENV=production), as a consumer's
// production build would ship them.
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const bundleDir = path.join(here, '.tmp');

/** The same defaults on both sides: only times, nothing that changes the work done. */
const STALE = 60_000;
const GC = 10 * 60_000;

async function qora() {
	// QORA_BENCH_QORA_BUNDLE points at another build of Qora (an experiment on a scratch copy of the core).
	const file = process.env.QORA_BENCH_QORA_BUNDLE || path.join(bundleDir, 'qora.js');
	const lib = await import(pathToFileURL(path.resolve(file)).href);
	const { QoraClient, dehydrate, hydrate } = lib;
	return {
		name: 'qora',
		createClient(withDefaults) {
			return withDefaults ? new QoraClient({ defaultOptions: { staleTime: STALE, gcTime: GC } }) : new QoraClient();
		},
		set: (client, key, data) => client.setQueryData(key, data),
		get: (client, key) => client.getQueryData(key),
		fetch: (client, key, fetcher) => client.fetchQuery({ key, fetcher }),
		/** `test` receives the key as an array. */
		invalidateWhere: (client, test) => client.invalidateWhere(test),
		isInvalidated: (client, key) => client.getState(key)?.isInvalidated === true,
		/** One store per subscriber, as one component per subscriber would build it. */
		subscribe: (client, key, fetcher, listener) => client.watchQuery({ key, fetcher }).subscribe(listener),
		observe: (client, key, listener) => client.observeQuery(key).subscribe(listener),
		/** What a listener receives -> the data in it. */
		dataOf: (state) => state.data,
		dehydrate: (client) => dehydrate(client),
		hydrate: (client, payload) => hydrate(client, payload),
		size: (client) => client.size,
		dispose: (client) => client.dispose()
	};
}

async function tanstack(browserMode) {
	const lib = await import(pathToFileURL(path.join(bundleDir, 'tanstack.js')).href);
	const { QueryClient, QueryCache, QueryObserver, dehydrate, hydrate, notifyManager, environmentManager } = lib;
	// Node has no `window`, so out of the box TanStack runs in server mode: gcTime Infinity
	// (no garbage collection, so no gc timer per query) and no staleness timer per observer.
	// The compared figures use that default, which flatters TanStack (Qora keeps its gc
	// bookkeeping everywhere). `tanstack-browser` switches to client mode, as in a browser.
	if (browserMode) environmentManager.setIsServer(() => false);
	// TanStack delivers observer notifications in a batch flushed by setTimeout(0). A
	// microtask flush keeps the timer's latency out of the delivery figure (in TanStack's favour).
	notifyManager.setScheduler(queueMicrotask);
	return {
		name: browserMode ? 'tanstack-browser' : 'tanstack',
		createClient(withDefaults) {
			const queryCache = new QueryCache();
			return withDefaults
				? new QueryClient({ queryCache, defaultOptions: { queries: { staleTime: STALE, gcTime: GC } } })
				: new QueryClient({ queryCache });
		},
		set: (client, key, data) => client.setQueryData(key, data),
		get: (client, key) => client.getQueryData(key),
		fetch: (client, key, fetcher) => client.fetchQuery({ queryKey: key, queryFn: fetcher }),
		invalidateWhere: (client, test) => client.invalidateQueries({ predicate: (query) => test(query.queryKey) }),
		isInvalidated: (client, key) => client.getQueryState(key)?.isInvalidated === true,
		// staleTime matches Qora's default (5 min), so both sides hold fresh data and neither fetches.
		subscribe(client, key, fetcher, listener) {
			const observer = new QueryObserver(client, { queryKey: key, queryFn: fetcher, staleTime: 5 * 60_000 });
			return observer.subscribe(listener);
		},
		observe: null,
		dataOf: (result) => result.data,
		dehydrate: (client) => dehydrate(client),
		hydrate: (client, payload) => hydrate(client, payload),
		size: (client) => client.getQueryCache().getAll().length,
		dispose: (client) => client.clear()
	};
}

export async function loadAdapter(name) {
	if (name === 'qora') return qora();
	if (name === 'tanstack') return tanstack(false);
	if (name === 'tanstack-browser') return tanstack(true);
	throw new Error(`unknown library "${name}"`);
}
