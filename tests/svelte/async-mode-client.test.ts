/**
 * Components compiled with Svelte's experimental.async (`await` in script and markup), in the browser:
 * queries created after an `await`, `{await client.fetchQuery(...)}` beside `$query`, cached data.
 */
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import Host from './components/async/Host.svelte';
import AwaitThenQuery from './components/async/AwaitThenQuery.svelte';
import QueryAndAwait from './components/async/QueryAndAwait.svelte';
import QueryBesideFailedAwait from './components/async/QueryBesideFailedAwait.svelte';
import BusyBarHost from './components/async/BusyBarHost.svelte';
import UserHeaderHost from './components/async/UserHeaderHost.svelte';
import AwaitFetchQuery from './components/async/AwaitFetchQuery.svelte';
import AwaitBlockEach from './components/async/AwaitBlockEach.svelte';
import { deferred, flush, freshClientPerTest, goOnline } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('a query created after an await in the script', () => {
	it('finds the client in context and shows cached fresh data at once, with no request', async () => {
		client.setQueryData(['user'], 'Ada');
		const gate = deferred<string>();
		const fetcher = vi.fn(async () => 'fetched');
		render(Host, { client, page: AwaitThenQuery, pageProps: { gate: gate.promise, fetcher } });
		flushSync();
		expect(screen.getByTestId('pending')).toBeInTheDocument();
		gate.resolve('me');
		await flush(0);
		flushSync();
		expect(screen.getByTestId('user').textContent).toBe('me: success/idle: Ada');
		await flush(1000);
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('fetches once with no data, and shows it', async () => {
		const gate = deferred<string>();
		const answer = deferred<string>();
		const fetcher = vi.fn(() => answer.promise);
		render(Host, { client, page: AwaitThenQuery, pageProps: { gate: gate.promise, fetcher } });
		gate.resolve('me');
		await flush(0);
		flushSync();
		expect(screen.getByTestId('user').textContent).toBe('me: pending/fetching: -');
		answer.resolve('Ada');
		await flush(0);
		flushSync();
		expect(screen.getByTestId('user').textContent).toBe('me: success/idle: Ada');
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('offline from the start: the query created after the await waits for the connection', async () => {
		const undo = goOnline(false);
		try {
			const gate = deferred<string>();
			const fetcher = vi.fn(async () => 'Ada');
			render(Host, { client, page: AwaitThenQuery, pageProps: { gate: gate.promise, fetcher } });
			gate.resolve('me');
			await flush(0);
			flushSync();
			expect(screen.getByTestId('user').textContent).toBe('me: pending/paused: -');
			expect(fetcher).not.toHaveBeenCalled();
		} finally {
			undo();
		}
	});
});

describe('$query beside {await client.fetchQuery(...)} of the same key', () => {
	it('sends one request, and both show the data', async () => {
		const gate = deferred<string>();
		const answer = deferred<string>();
		const fetcher = vi.fn(() => answer.promise);
		render(Host, { client, page: QueryAndAwait, pageProps: { gate: gate.promise, fetcher } });
		flushSync();
		answer.resolve('Ada');
		gate.resolve('open');
		await flush(0);
		flushSync();
		expect(screen.getByTestId('store').textContent).toBe('success/idle: Ada');
		expect(screen.getByTestId('awaited').textContent).toBe('Ada');
		expect(fetcher).toHaveBeenCalledTimes(1);
	});
});

describe('$query beside a boundary that awaits client.fetchQuery(...) of the same key in markup', () => {
	it('keeps the store in step, with no error reported, when the failed boundary’s reset fetches the key again', async () => {
		const onError = vi.fn();
		client = new QoraClient({ onError });
		try {
			const answers = [deferred<string>(), deferred<string>()];
			const fetcher = vi.fn(() => answers[fetcher.mock.calls.length - 1]!.promise);
			render(Host, { client, page: QueryBesideFailedAwait, pageProps: { fetcher } });
			flushSync();
			answers[0]!.reject(new Error('down'));
			await flush(0);
			flushSync();
			expect(screen.getByTestId('store').textContent).toBe('error/idle: -');
			expect(screen.getByTestId('retry').textContent).toBe('down');
			// The reset awaits fetchQuery again, in the template: the fetch it starts reaches the key's watcher there.
			screen.getByTestId('retry').click();
			flushSync();
			expect(fetcher).toHaveBeenCalledTimes(2);
			expect(screen.getByTestId('store').textContent).toBe('error/fetching: -');
			answers[1]!.resolve('Ada');
			await flush(0);
			flushSync();
			expect(screen.getByTestId('store').textContent).toBe('success/idle: Ada');
			expect(screen.getByTestId('awaited').textContent).toBe('Ada');
			expect(onError).not.toHaveBeenCalled();
		} finally {
			client.dispose();
		}
	});
});

describe('a global createIsFetching indicator above a page that awaits client.fetchQuery(...) in markup', () => {
	it('keeps counting the awaited fetch, with no error reported, while the page’s boundary is pending', async () => {
		const onError = vi.fn();
		client = new QoraClient({ onError });
		const answer = deferred<string>();
		try {
			render(BusyBarHost, { client, page: AwaitFetchQuery, pageProps: { fetcher: () => answer.promise } });
			flushSync();
			expect(screen.getByTestId('pending')).toBeInTheDocument();
			expect(client.isFetching()).toBe(1);
			expect(screen.getByTestId('busy').textContent).toBe('fetching=1');
			answer.resolve('Ada');
			await flush(0);
			flushSync();
			expect(screen.getByTestId('awaited').textContent).toBe('Ada');
			expect(screen.getByTestId('busy').textContent).toBe('fetching=0');
			expect(onError).not.toHaveBeenCalled();
		} finally {
			answer.resolve('Ada');
			await flush(0);
			client.dispose();
		}
	});
});

describe('a global createIsFetching indicator above {#each} rows that each await client.fetchQuery(...) in an {#await} block', () => {
	it('keeps counting the rows’ fetches, with no error reported', async () => {
		const onError = vi.fn();
		client = new QoraClient({ onError });
		const answer = deferred<string>();
		try {
			render(BusyBarHost, { client, page: AwaitBlockEach, pageProps: { ids: [1, 2], fetcher: () => answer.promise } });
			flushSync();
			expect(client.isFetching()).toBe(2);
			expect(screen.getByTestId('busy').textContent).toBe('fetching=2');
			answer.resolve('Ada');
			await flush(0);
			flushSync();
			expect(screen.getByTestId('user-2').textContent).toBe('Ada');
			expect(screen.getByTestId('busy').textContent).toBe('fetching=0');
			expect(onError).not.toHaveBeenCalled();
		} finally {
			answer.resolve('Ada');
			await flush(0);
			client.dispose();
		}
	});
});

describe('a header’s createQueryState above a page that awaits client.fetchQuery(...) of its key in markup', () => {
	it('keeps showing the fetch the page’s await started, with no error reported, while the page’s boundary is pending', async () => {
		const onError = vi.fn();
		client = new QoraClient({ onError });
		const answer = deferred<string>();
		try {
			render(UserHeaderHost, { client, page: AwaitFetchQuery, pageProps: { fetcher: () => answer.promise } });
			flushSync();
			expect(screen.getByTestId('pending')).toBeInTheDocument();
			expect(client.getState(['user'])?.fetchStatus).toBe('fetching');
			expect(screen.getByTestId('header').textContent).toBe('pending/fetching: -');
			answer.resolve('Ada');
			await flush(0);
			flushSync();
			expect(screen.getByTestId('header').textContent).toBe('success/idle: Ada');
			expect(onError).not.toHaveBeenCalled();
		} finally {
			answer.resolve('Ada');
			await flush(0);
			client.dispose();
		}
	});
});
