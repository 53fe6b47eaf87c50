/**
 * Components compiled with Svelte's experimental.async (`await` in script and markup), in the browser:
 * queries created after an `await`, `{await client.fetchQuery(...)}` beside `$query`, cached data.
 */
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { QoraClient } from '../../src/lib/index.js';
import Host from './components/async/Host.svelte';
import AwaitThenQuery from './components/async/AwaitThenQuery.svelte';
import QueryAndAwait from './components/async/QueryAndAwait.svelte';
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
