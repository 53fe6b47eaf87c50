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

/**
 * A store above a page whose markup starts fetches ({await client.fetchQuery(…)}, {#await} rows): the news reaches
 * its `$store` inside the template expression, which Svelte refuses unless the store hands it over untracked.
 */
describe.each([
	{
		what: 'a global createIsFetching indicator above a page that awaits client.fetchQuery(...) in markup',
		behaviour: 'keeps counting the awaited fetch, with no error reported, while the page’s boundary is pending',
		host: BusyBarHost,
		page: AwaitFetchQuery,
		ids: undefined,
		shown: ['busy', 'fetching=1'],
		landed: [['awaited', 'Ada'], ['busy', 'fetching=0']]
	},
	{
		what: 'a global createIsFetching indicator above {#each} rows that each await client.fetchQuery(...) in an {#await} block',
		behaviour: 'keeps counting the rows’ fetches, with no error reported',
		host: BusyBarHost,
		page: AwaitBlockEach,
		ids: [1, 2],
		shown: ['busy', 'fetching=2'],
		landed: [['user-2', 'Ada'], ['busy', 'fetching=0']]
	},
	{
		what: 'a header’s createQueryState above a page that awaits client.fetchQuery(...) of its key in markup',
		behaviour: 'keeps showing the fetch the page’s await started, with no error reported, while the page’s boundary is pending',
		host: UserHeaderHost,
		page: AwaitFetchQuery,
		ids: undefined,
		shown: ['header', 'pending/fetching: -'],
		landed: [['header', 'success/idle: Ada']]
	}
])('$what', ({ behaviour, host, page, ids, shown, landed }) => {
	it(behaviour, async () => {
		const onError = vi.fn();
		client = new QoraClient({ onError });
		const answer = deferred<string>();
		try {
			const fetcher = () => answer.promise;
			render(host as typeof BusyBarHost, { client, page, pageProps: ids ? { ids, fetcher } : { fetcher } });
			flushSync();
			expect(screen.getByTestId(shown[0]!).textContent).toBe(shown[1]);
			answer.resolve('Ada');
			await flush(0);
			flushSync();
			for (const [id, text] of landed) expect(screen.getByTestId(id!).textContent).toBe(text);
			expect(onError).not.toHaveBeenCalled();
		} finally {
			answer.resolve('Ada');
			await flush(0);
			client.dispose();
		}
	});
});
