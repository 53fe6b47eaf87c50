// @vitest-environment node
/**
 * The seed a server render shows for a key the page does not ship (`initialData`, read by the
 * server view when the server's own fetch for the key is in flight, where its cache refuses a
 * seed): read as the browser's first render reads it. Svelte is mapped to its server build, as
 * ssr.test.ts explains.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { QoraClient, type QoraState } from '../../src/lib/index.js';
import { createQuery } from '../../src/lib/svelte/index.js';

vi.mock('svelte', () => vi.importActual('../../node_modules/svelte/src/index-server.js'));
vi.mock('svelte/store', () => vi.importActual('../../node_modules/svelte/src/store/index-server.js'));

let client: QoraClient;
let onError: Mock<(error: unknown) => void>;
beforeEach(() => {
	vi.useFakeTimers();
	onError = vi.fn<(error: unknown) => void>();
	client = new QoraClient({ onError });
});
afterEach(() => {
	client.dispose();
	vi.useRealTimers();
});

const never = () => new Promise<string>(() => {});
/** The server's own fetch for `key`, still in flight during the render (a prefetch not awaited). */
const fetchInFlight = (key: string[]) => void client.prefetchQuery({ key, fetcher: never });
function firstState(options: Record<string, unknown>): QoraState<string> | undefined {
	let first: QoraState<string> | undefined;
	createQuery<string>({ key: ['k'], fetcher: never, options }, client).subscribe((state) => (first ??= state))();
	return first;
}

describe('a server render’s seed, over the server’s own fetch in flight', () => {
	it('an initialData function that throws: thrown from subscribe, as the browser’s subscribe throws it (not reported, nothing left subscribed)', () => {
		fetchInFlight(['k']);
		const seed = () => {
			throw new Error('no seed');
		};
		expect(() => firstState({ initialData: seed })).toThrow('no seed');
		expect(onError).not.toHaveBeenCalled();
		// The browser: the core reads the seed as the watcher subscribes, and throws.
		const browser = new QoraClient();
		expect(() => browser.watchQuery({ key: ['k'], fetcher: never, options: { initialData: seed } }).subscribe(() => {})).toThrow('no seed');
		browser.dispose();
	});

	it('an initialData function that returns a promise: the core’s TypeError, not the promise shown as data', () => {
		fetchInFlight(['k']);
		expect(() => firstState({ initialData: () => Promise.resolve('late') })).toThrow(/^watchQuery: initialData is a promise/);
	});

	it('read once per subscription, and dated once: a later emission keeps its time', async () => {
		fetchInFlight(['k']);
		const seed = vi.fn(() => 'seed');
		const seen: QoraState<string>[] = [];
		const stop = createQuery<string>({ key: ['k'], fetcher: never, options: { initialData: seed, staleTime: 60_000 } }, client).subscribe((state) => seen.push(state));
		await vi.advanceTimersByTimeAsync(1000);
		client.setQueryData(['other'], 'x');
		client.invalidate(['k']).catch(() => {});
		stop();
		expect(seed).toHaveBeenCalledTimes(1);
		expect(new Set(seen.map((state) => state.dataUpdatedAt)).size).toBe(1);
		expect(seen[0]).toMatchObject({ status: 'success', data: 'seed', fetchStatus: 'idle' });
	});
});

describe('a server render’s seed, with no fetch in flight', () => {
	it('an initialData function that gives nothing is called once, as in the browser (by the view: the server itself only observes the key)', () => {
		const seed = vi.fn(() => undefined);
		expect(firstState({ initialData: seed })).toMatchObject({ status: 'pending', fetchStatus: 'fetching' });
		expect(seed).toHaveBeenCalledTimes(1);
	});

	it('an initialData function that throws: thrown from subscribe', () => {
		expect(() =>
			firstState({
				initialData: () => {
					throw new Error('no seed');
				}
			})
		).toThrow('no seed');
	});

	it('initialDataUpdatedAt ahead of the clock counts as now', () => {
		fetchInFlight(['k']);
		const now = Date.now();
		expect(firstState({ initialData: 'seed', initialDataUpdatedAt: now + 1e6, staleTime: 1000 })).toMatchObject({
			status: 'success',
			dataUpdatedAt: now,
			isStale: false,
			fetchStatus: 'idle'
		});
	});
});
