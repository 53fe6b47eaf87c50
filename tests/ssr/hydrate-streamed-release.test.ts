/**
 * Bookkeeping of hydrateOnce for streamed payloads in the browser (gaps found by mutation testing).
 * Simulated in Node by making `$app/environment` report a browser.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { dehydrate, QoraClient, type DehydratedState } from '../../src/lib/index.js';
import { hydrateExcept } from '../../src/lib/core/hydration.js';
import { hydrateOnce } from '../../src/lib/sveltekit/hydrate-once.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
// Spied, to see what a streamed payload was held back from when it lands: what the page kept meanwhile.
vi.mock('../../src/lib/core/hydration.js', async (original) => {
	const actual = await original<typeof import('../../src/lib/core/hydration.js')>();
	return { ...actual, hydrateExcept: vi.fn(actual.hydrateExcept) };
});

afterEach(() => {
	vi.restoreAllMocks();
	vi.useRealTimers();
});

/** Runs pending promise callbacks (no timers). */
async function flushMicrotasks(): Promise<void> {
	for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** Lets the promise callbacks hydrateOnce attached run. */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

function serverPayload(): DehydratedState {
	const server = new QoraClient();
	server.setQueryData(['posts'], ['from the server']);
	const payload = dehydrate(server);
	server.dispose();
	return payload;
}

describe('hydrateOnce with a streamed payload, in the browser', () => {
	test('a payload that arrives after the client was disposed is not applied to it, nor checked: a bad one is not reported', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		let deliver!: (payload: DehydratedState) => void;
		hydrateOnce(client, new Promise<DehydratedState>((resolve) => (deliver = resolve)), 'page.data.qoraState');
		client.dispose();
		deliver(serverPayload());
		await nextTurn();
		expect(client.getQueryData(['posts'])).toBeUndefined();
		expect(client.size).toBe(0);

		// Nothing reads a disposed client's cache: what arrives for it is not even looked at.
		let deliverBad!: (payload: unknown) => void;
		hydrateOnce(client, new Promise((resolve) => (deliverBad = resolve)), 'page.data.qoraState');
		deliverBad({ version: 99, entries: [] });
		await nextTurn();
		expect(error).not.toHaveBeenCalled();
	});

	test('each of several streamed payloads (a layout’s, a page’s) is taken once, however often each comes back', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		const layout = Promise.reject(new Error('the layout stream failed'));
		const page = Promise.reject(new Error('the page stream failed'));
		// Navigations rerun the provider's effect with the same page data.
		for (let navigation = 0; navigation < 3; navigation++) {
			hydrateOnce(client, layout, 'page.data.qoraState');
			hydrateOnce(client, page, 'page.data.qoraState');
		}
		await nextTurn();
		expect(error.mock.calls.map((call) => String(call[1]))).toEqual(['Error: the layout stream failed', 'Error: the page stream failed']);
		client.dispose();
	});

	test('once the payload has applied, the queries it held fetch what it lacked at once, without waiting for the end of the task', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const client = new QoraClient();
		const arrived = Promise.resolve(serverPayload());
		await arrived; // it arrived while the page's JavaScript loaded
		const fetcher = vi.fn(async () => ['fetched']);
		hydrateOnce(client, arrived, 'page.data.qoraState');
		const stop = client.watchQuery({ key: ['users'], fetcher }).subscribe(() => {});
		expect(fetcher).not.toHaveBeenCalled();
		// No timer has run: the hold ends with the payload applied, not only at the next task.
		await flushMicrotasks();
		expect(client.getQueryData(['posts'])).toEqual(['from the server']);
		expect(fetcher).toHaveBeenCalledTimes(1);
		stop();
		client.dispose();
	});

	test('keeps one note per key removed while a streamed payload is on its way, however often that key is removed (a cut stream stays pending for the session)', async () => {
		const client = new QoraClient();
		let deliver!: (payload: DehydratedState) => void;
		// A layout's stream that SvelteKit never settles (the connection dropped): the layout's data keeps it for the session.
		hydrateOnce(client, new Promise<DehydratedState>((resolve) => (deliver = resolve)), 'page.data.qoraState');
		// A long session: the same keys removed over and over (a cart emptied at each checkout, a draft dropped at each save).
		for (let i = 0; i < 10_000; i++) {
			client.remove(['cart']);
			client.remove(['draft', i % 2]);
		}
		vi.mocked(hydrateExcept).mockClear();
		deliver(serverPayload());
		await nextTurn();
		expect(client.getQueryData(['posts'])).toEqual(['from the server']);
		const removed = vi.mocked(hydrateExcept).mock.calls[0]?.[2];
		// Every call was kept: 20,000 key copies for three keys, growing for as long as the page lives.
		expect(Array.isArray(removed) && removed.length).toBe(3);
		client.dispose();
	});
});
