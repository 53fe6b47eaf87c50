/**
 * streamSettled (qora/sveltekit): a page's query held while its data streams in from
 * the server, then enabled; in the browser, with `$app/state` mocked as a reactive page.
 */
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { hydrate, type DehydratedState, type QoraClient } from '../../src/lib/index.js';
import { createQuery } from '../../src/lib/svelte/index.js';
import { streamSettled } from '../../src/lib/sveltekit/stream-settled.svelte.js';
import ReadmeStreamHold from './components/ReadmeStreamHold.svelte';
import StreamedPage from './components/StreamedPage.svelte';
import StreamSettledReads from './components/StreamSettledReads.svelte';
import { page } from './page-mock.svelte.js';
import { deferred, flush, freshClientPerTest, serverPayload } from './helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => import('./page-mock.svelte.js'));

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));
beforeEach(() => {
	page.data = {};
});

function countingQuery(key: string[]) {
	const counter = { calls: 0 };
	return { counter, query: { key, fetcher: async () => `browser ${++counter.calls}` } };
}

describe('streamSettled', () => {
	it('does not send the request a stream on its way will answer: the provider hydrates the stream, the query shows it', async () => {
		const { counter, query } = countingQuery(['slow']);
		const stream = deferred<DehydratedState>();
		page.data = { qoraState: stream.promise };
		render(StreamedPage, { client, query });
		await flush(5_000);
		expect(counter.calls).toBe(0);
		expect(screen.getByText('pending/idle: -')).toBeInTheDocument();
		stream.resolve(serverPayload([['slow'], 'from the server']));
		await flush(10);
		expect(screen.getByText('success/idle: from the server')).toBeInTheDocument();
		expect(counter.calls).toBe(0);
	});

	it("the README's part-streamed server load: what +page.ts hydrates from the awaited payload shows at once, the streamed key when it lands, neither fetched in the browser", async () => {
		const fast = countingQuery(['fast']);
		const slow = countingQuery(['slow']);
		const stream = deferred<DehydratedState>();
		const data = { fastState: serverPayload([['fast'], 'awaited on the server']), qoraState: stream.promise };
		hydrate(client, data.fastState); // +page.ts, then `return data`
		page.data = data;
		render(StreamedPage, { client, query: slow.query });
		const shown: unknown[] = [];
		const stop = createQuery(fast.query, client).subscribe((state) => shown.push(state.data));
		await flush(5_000);
		expect(shown).toEqual(['awaited on the server']);
		expect(screen.getByText('pending/idle: -')).toBeInTheDocument();
		stream.resolve(serverPayload([['slow'], 'streamed from the server']));
		await flush(10);
		expect(screen.getByText('success/idle: streamed from the server')).toBeInTheDocument();
		expect([fast.counter.calls, slow.counter.calls]).toEqual([0, 0]);
		stop();
	});

	it('lets the query fetch when the stream fails', async () => {
		const { counter, query } = countingQuery(['slow']);
		const stream = deferred<DehydratedState>();
		page.data = { qoraState: stream.promise };
		const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			render(StreamedPage, { client, query });
			await flush(10);
			stream.reject(new Error('connection lost'));
			await flush(10);
			expect(counter.calls).toBe(1);
			expect(screen.getByText('success/idle: browser 1')).toBeInTheDocument();
		} finally {
			errors.mockRestore();
		}
	});

	it('lets the query fetch what a stream that arrived did not bring', async () => {
		const { counter, query } = countingQuery(['slow']);
		const stream = deferred<DehydratedState>();
		page.data = { qoraState: stream.promise };
		render(StreamedPage, { client, query });
		await flush(10);
		stream.resolve(serverPayload([['other'], 'not this page']));
		await flush(10);
		expect(counter.calls).toBe(1);
		expect(screen.getByText('success/idle: browser 1')).toBeInTheDocument();
	});

	it('holds the query again when a navigation brings a new stream to the same page', async () => {
		const { counter, query } = countingQuery(['slow']);
		page.data = { qoraState: serverPayload() };
		render(StreamedPage, { client, query });
		await flush(10);
		expect(counter.calls).toBe(1);
		const next = deferred<DehydratedState>();
		page.data = { qoraState: next.promise };
		flushSync();
		void client.invalidate(['slow']);
		await flush(5_000);
		// Held: the invalidation refetches nothing while the new stream is on its way.
		expect(counter.calls).toBe(1);
		next.resolve(serverPayload([['slow'], 'navigated']));
		await flush(10);
		expect(screen.getByText('success/idle: navigated')).toBeInTheDocument();
		expect(counter.calls).toBe(1);
	});

	it('stays held when a navigation replaces a stream on its way with another, and the first one then arrives', async () => {
		const { counter, query } = countingQuery(['slow']);
		const first = deferred<DehydratedState>();
		page.data = { qoraState: first.promise };
		render(StreamedPage, { client, query });
		await flush(10);
		const second = deferred<DehydratedState>();
		page.data = { qoraState: second.promise };
		flushSync();
		// The page left behind answers: the provider applies it, but this page waits for its own stream.
		first.resolve(serverPayload([['other'], 'the first page']));
		await flush(5_000);
		expect(counter.calls).toBe(0);
		expect(screen.getByText('pending/idle: -')).toBeInTheDocument();
		second.resolve(serverPayload([['slow'], 'the second page']));
		await flush(10);
		expect(screen.getByText('success/idle: the second page')).toBeInTheDocument();
		expect(counter.calls).toBe(0);
	});

	it('enables the query at once for no payload, and for a stream another page already saw settle', async () => {
		const none = countingQuery(['none']);
		render(ReadmeStreamHold, { data: {}, slowQuery: none.query, client });
		expect(none.counter.calls).toBe(1);

		const stream = Promise.resolve(serverPayload());
		const first = countingQuery(['first']);
		render(ReadmeStreamHold, { data: { qoraState: stream }, slowQuery: first.query, client });
		// Not known to have settled yet: the answer takes a microtask.
		expect(first.counter.calls).toBe(0);
		await flush(10);
		expect(first.counter.calls).toBe(1);
		const later = countingQuery(['later']);
		render(ReadmeStreamHold, { data: { qoraState: stream }, slowQuery: later.query, client });
		expect(later.counter.calls).toBe(1);
	});

	it('enables the query at once for a payload the load awaited (a plain object), and for null', () => {
		const awaited = countingQuery(['awaited']);
		render(ReadmeStreamHold, { data: { qoraState: serverPayload() }, slowQuery: awaited.query, client });
		expect(awaited.counter.calls).toBe(1);
		const none = countingQuery(['null']);
		render(ReadmeStreamHold, { data: { qoraState: null }, slowQuery: none.query, client });
		expect(none.counter.calls).toBe(1);
	});

	it('does not hold the query for a function with a then method: the provider takes no such value as a stream, so none will arrive', () => {
		const { counter, query } = countingQuery(['odd']);
		const odd = Object.assign(() => {}, { then: (onValue: (value: unknown) => void) => onValue(serverPayload()) });
		render(ReadmeStreamHold, { data: { qoraState: odd }, slowQuery: query, client });
		expect(counter.calls).toBe(1);
	});

	it('a payload the load awaited never reruns what reads current: there is nothing to wait for', async () => {
		page.data = { qoraState: serverPayload() };
		const reads: boolean[] = [];
		render(StreamSettledReads, { onRead: (current: boolean) => reads.push(current) });
		flushSync();
		await flush(10);
		flushSync();
		expect(reads).toEqual([true]);
	});

	it('a stream the page has left does not rerun what reads current when it settles', async () => {
		const first = deferred<DehydratedState>();
		page.data = { qoraState: first.promise };
		const reads: boolean[] = [];
		render(StreamSettledReads, { onRead: (current: boolean) => reads.push(current) });
		flushSync();
		const second = deferred<DehydratedState>();
		page.data = { qoraState: second.promise };
		flushSync();
		expect(reads).toEqual([false, false]);
		first.resolve(serverPayload());
		await flush(10);
		flushSync();
		expect(reads).toEqual([false, false]);
		second.resolve(serverPayload());
		await flush(10);
		flushSync();
		expect(reads).toEqual([false, false, true]);
	});

	it('keeps one pair of handlers on a stream that never settles, however many navigations keep it in the page data (a layout stream cut off)', async () => {
		// A layout's stream whose connection dropped: SvelteKit never settles it, and the layout's data keeps it for the session.
		const cut = new Promise<DehydratedState>(() => {});
		let handlers = 0;
		const then = cut.then.bind(cut);
		cut.then = ((...args: Parameters<typeof then>) => (handlers++, then(...args))) as typeof cut.then;
		page.data = { qoraState: cut };
		render(StreamSettledReads, { onRead: () => {} });
		flushSync();
		// Navigations between the layout's pages: new page data each time, the layout's stream in it unchanged.
		for (let navigation = 0; navigation < 100; navigation++) {
			page.data = { qoraState: cut, page: navigation };
			flushSync();
		}
		await flush(10);
		// One pair of handlers per navigation stayed on the pending promise, each holding the page's state: 101 here.
		expect(handlers).toBe(1);
	});

	it('names what it expected when not given a function', () => {
		expect(() => streamSettled(Promise.resolve() as never)).toThrow(
			"streamSettled: expected a function returning the page's qoraState (() => data.qoraState), got object"
		);
	});
});
