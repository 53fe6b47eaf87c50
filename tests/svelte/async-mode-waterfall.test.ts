/**
 * A query created before an `await` in the script (experimental.async). Its store starts watching
 * when first read; markup that shows it waits for the await, so the request would go out after it
 * (a waterfall). Read in the script before the await (the README's advice), it goes out at once.
 */
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { QoraClient } from '../../src/lib/index.js';
import Host from './components/async/Host.svelte';
import QueryReadThenAwait from './components/async/QueryReadThenAwait.svelte';
import QueryThenAwait from './components/async/QueryThenAwait.svelte';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('a query created before an await in the script', () => {
	it('read in the script before the await, sends its request while the await is still pending', async () => {
		const gate = deferred<string>();
		const fetcher = vi.fn(async () => 'Ada');
		render(Host, { client, page: QueryReadThenAwait, pageProps: { gate: gate.promise, fetcher } });
		flushSync();
		await flush(100);
		expect(fetcher).toHaveBeenCalledTimes(1);
		gate.resolve('me');
		await flush(0);
		flushSync();
		expect(screen.getByTestId('user').textContent).toBe('me: success/idle: Ada');
	});

	it('read only in markup the await holds, sends its request once the await resolved (a waterfall)', async () => {
		const gate = deferred<string>();
		const fetcher = vi.fn(async () => 'Ada');
		render(Host, { client, page: QueryThenAwait, pageProps: { gate: gate.promise, fetcher } });
		flushSync();
		await flush(100);
		expect(fetcher).not.toHaveBeenCalled();
		gate.resolve('me');
		await flush(0);
		flushSync();
		await flush(0);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});
});
