import { render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { browserFocusSource, browserOnlineSource } from '../../src/lib/svelte/index.js';
import Provide from './components/Provide.svelte';
import QueryView from './components/QueryView.svelte';
import { flush, goOnline, setVisibility } from './helpers.js';

let client: QoraClient;
let undo: (() => void)[] = [];

beforeEach(() => {
	vi.useFakeTimers();
	client = new QoraClient();
});
afterEach(() => {
	client.dispose();
	for (const step of undo.reverse()) step();
	undo = [];
	vi.useRealTimers();
});

/** A `feed` query on screen polling every 5 s, fetched once; then the page turns hidden (the window loses focus). `restore` shows it again. */
async function pollerHidden(options: Record<string, unknown> = {}) {
	const fetcher = vi.fn(async () => 'feed');
	const config = { key: ['feed'], fetcher, options: { refetchInterval: 5000, ...options } };
	render(Provide, { client, view: QueryView, viewProps: { config } });
	await flush();
	expect(fetcher).toHaveBeenCalledTimes(1);
	const restore = setVisibility('hidden');
	undo.push(restore);
	window.dispatchEvent(new Event('blur'));
	document.dispatchEvent(new Event('visibilitychange'));
	return { fetcher, restore };
}

function renderStaleAfterASecond(fetcher: () => Promise<string>) {
	const config = { key: ['feed'], fetcher, options: { staleTime: 1000 } };
	return render(Provide, { client, view: QueryView, viewProps: { config } });
}

describe('focus refetches stale watched queries', () => {
	it('refetches on visibilitychange to visible', async () => {
		const fetcher = vi.fn(async () => 'feed');
		renderStaleAfterASecond(fetcher);
		await flush(1000);
		expect(fetcher).toHaveBeenCalledTimes(1);

		document.dispatchEvent(new Event('visibilitychange'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('does not refetch when the page turns hidden', async () => {
		const fetcher = vi.fn(async () => 'feed');
		renderStaleAfterASecond(fetcher);
		await flush(1000);

		undo.push(setVisibility('hidden'));
		document.dispatchEvent(new Event('visibilitychange'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('pauses polling while the page is hidden, and polls as soon as it is visible again', async () => {
		const { fetcher, restore } = await pollerHidden();
		await flush(15_000);
		expect(fetcher).toHaveBeenCalledTimes(1);

		restore();
		document.dispatchEvent(new Event('visibilitychange'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		await flush(5000);
		expect(fetcher).toHaveBeenCalledTimes(3);
	});

	it('a return whose focus comes while the page still reads hidden: the visibilitychange after it makes up the skipped poll', async () => {
		const { fetcher, restore } = await pollerHidden();
		await flush(12_000);
		expect(fetcher).toHaveBeenCalledTimes(1);

		// Back: the window's focus first, while the page still reads hidden, then visible.
		window.dispatchEvent(new Event('focus'));
		restore();
		document.dispatchEvent(new Event('visibilitychange'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('keeps polling while the page is hidden with refetchIntervalInBackground', async () => {
		const { fetcher } = await pollerHidden({ refetchIntervalInBackground: true });
		await flush(15_000);
		expect(fetcher).toHaveBeenCalledTimes(4);
	});

	it('a window without focus still shows the page: polling goes on', async () => {
		const fetcher = vi.fn(async () => 'feed');
		const config = { key: ['feed'], fetcher, options: { refetchInterval: 5000 } };
		render(Provide, { client, view: QueryView, viewProps: { config } });
		await flush();
		window.dispatchEvent(new Event('blur'));
		await flush(15_000);
		expect(fetcher).toHaveBeenCalledTimes(4);
	});

	it('a return to the tab (visibilitychange, then focus) refetches once, though the refetch answered in between', async () => {
		const fetcher = vi.fn(async () => 'feed');
		render(Provide, { client, view: QueryView, viewProps: { config: { key: ['feed'], fetcher, options: { staleTime: 0 } } } });
		await flush();
		const restore = setVisibility('hidden');
		undo.push(restore);
		document.dispatchEvent(new Event('visibilitychange'));
		window.dispatchEvent(new Event('blur'));
		await flush();
		restore();
		document.dispatchEvent(new Event('visibilitychange'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		window.dispatchEvent(new Event('focus'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		// The next return counts again, whichever event comes first.
		window.dispatchEvent(new Event('blur'));
		window.dispatchEvent(new Event('focus'));
		document.dispatchEvent(new Event('visibilitychange'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(3);
	});

	it('refetches on window focus', async () => {
		const fetcher = vi.fn(async () => 'feed');
		renderStaleAfterASecond(fetcher);
		await flush(1000);

		window.dispatchEvent(new Event('focus'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('a click into an iframe of the page and back is no return (the window blurs and regains focus, the user never left)', async () => {
		const fetcher = vi.fn(async () => 'feed');
		renderStaleAfterASecond(fetcher);
		await flush(1000);
		// A payment form or an embedded video: focus moves into the frame (the window's blur finds it there), then back.
		const frame = document.body.appendChild(document.createElement('iframe'));
		undo.push(() => frame.remove());
		const frameClicked = () => {
			frame.focus();
			expect(document.activeElement).toBe(frame);
			window.dispatchEvent(new Event('blur'));
			frame.blur();
			window.dispatchEvent(new Event('focus'));
		};
		frameClicked();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		// Leaving for real still counts: the window's blur finds focus on the page.
		window.dispatchEvent(new Event('blur'));
		window.dispatchEvent(new Event('focus'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		await flush(1000);
		frameClicked();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('leaves fresh queries alone', async () => {
		const fetcher = vi.fn(async () => 'feed');
		renderStaleAfterASecond(fetcher);
		await flush(500);

		window.dispatchEvent(new Event('focus'));
		document.dispatchEvent(new Event('visibilitychange'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('stops listening when the component that set the client is destroyed', async () => {
		const fetcher = vi.fn(async () => 'feed');
		const { unmount } = renderStaleAfterASecond(fetcher);
		await flush(1000);
		unmount();

		const watcher = client.watchQuery({ key: ['feed'], fetcher, options: { staleTime: 1000 } }).subscribe(() => {});
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2); // the new watcher's own fetch
		await flush(1000);
		window.dispatchEvent(new Event('focus'));
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		watcher();
	});
});

describe('connectivity', () => {
	it('waits while offline from the first render (navigator.onLine read at init), and fetches once online', async () => {
		const fetcher = vi.fn(async () => 'feed');
		undo.push(goOnline(false));
		renderStaleAfterASecond(fetcher);
		expect(screen.getByText('loading')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=paused');
		await flush(60_000);
		expect(fetcher).not.toHaveBeenCalled();

		goOnline(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(screen.getByText('data: "feed"')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=success fetchStatus=idle');
	});

	it('pauses a refetch started after the connection dropped, keeping the data, and resumes it online', async () => {
		const fetcher = vi.fn(async () => `feed v${fetcher.mock.calls.length}`);
		renderStaleAfterASecond(fetcher);
		await flush();
		expect(screen.getByText('data: "feed v1"')).toBeInTheDocument();

		undo.push(goOnline(false));
		const refetched = client.invalidate(['feed']);
		await flush();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=success fetchStatus=paused');
		expect(screen.getByText('data: "feed v1"')).toBeInTheDocument();
		expect(fetcher).toHaveBeenCalledTimes(1);

		goOnline(true);
		await refetched;
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(screen.getByText('data: "feed v2"')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=success fetchStatus=idle');
	});

	it('pauses retries while offline and resumes them online', async () => {
		let calls = 0;
		const fetcher = vi.fn(async () => {
			calls++;
			if (calls === 1) throw new Error('network');
			return 'feed';
		});
		const config = { key: ['retrying'], fetcher, options: { retryDelay: 1000 } };
		render(Provide, { client, view: QueryView, viewProps: { config } });
		await flush();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('fetchStatus=fetching failureCount=1');

		undo.push(goOnline(false));
		await flush(1000);
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=paused failureCount=1');
		expect(fetcher).toHaveBeenCalledTimes(1);

		goOnline(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(screen.getByText('data: "feed"')).toBeInTheDocument();
	});
});

describe('browser sources', () => {
	it('report focus for visible and focus, once per return, not for hidden, until unsubscribed', () => {
		const onFocus = vi.fn();
		const source = browserFocusSource();
		const stop = source.subscribe(onFocus);
		document.dispatchEvent(new Event('visibilitychange'));
		window.dispatchEvent(new Event('focus'));
		expect(onFocus).toHaveBeenCalledTimes(1);
		window.dispatchEvent(new Event('blur'));
		window.dispatchEvent(new Event('focus'));
		expect(onFocus).toHaveBeenCalledTimes(2);
		expect(source.isFocused?.()).toBe(true);

		const restore = setVisibility('hidden');
		undo.push(restore);
		document.dispatchEvent(new Event('visibilitychange'));
		expect(onFocus).toHaveBeenCalledTimes(2);
		expect(source.isFocused?.()).toBe(false);
		restore();
		document.dispatchEvent(new Event('visibilitychange'));
		expect(onFocus).toHaveBeenCalledTimes(3);

		stop();
		window.dispatchEvent(new Event('blur'));
		window.dispatchEvent(new Event('focus'));
		expect(onFocus).toHaveBeenCalledTimes(3);
	});

	it('report connectivity from navigator.onLine and the online/offline events', () => {
		undo.push(goOnline(false));
		const source = browserOnlineSource();
		expect(source.isOnline()).toBe(false);

		const onChange = vi.fn();
		const stop = source.subscribe(onChange);
		goOnline(true);
		expect(source.isOnline()).toBe(true);
		goOnline(false);
		expect(source.isOnline()).toBe(false);
		expect(onChange.mock.calls).toEqual([[true], [false]]);

		stop();
		goOnline(true);
		expect(onChange).toHaveBeenCalledTimes(2);
	});

	it('tell a subscriber of the connection coming back even when a later subscriber read the drop without an event', () => {
		const source = browserOnlineSource();
		const first = vi.fn();
		const stopFirst = source.subscribe(first);
		// The connection drops with no "offline" event (it happens), and a second subscriber reads it.
		Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
		undo.push(() => delete (navigator as { onLine?: unknown }).onLine);
		const stopSecond = source.subscribe(() => {});
		expect(source.isOnline()).toBe(false);
		goOnline(true);
		expect(first).toHaveBeenLastCalledWith(true);
		stopFirst();
		stopSecond();
	});

	it('tell every subscriber of one online source, so two clients sharing it both resume their paused fetches', async () => {
		undo.push(goOnline(false));
		const online = browserOnlineSource();
		const clients = [new QoraClient({ online }), new QoraClient({ online })];
		for (const [i, client] of clients.entries()) client.watchQuery({ key: ['x'], fetcher: async () => `data ${i}` }).subscribe(() => {});
		expect(clients.map((client) => client.getState(['x'])?.fetchStatus)).toEqual(['paused', 'paused']);
		goOnline(true);
		await flush();
		expect(clients.map((client) => client.getState(['x'])?.data)).toEqual(['data 0', 'data 1']);
		for (const client of clients) client.dispose();
	});
});
