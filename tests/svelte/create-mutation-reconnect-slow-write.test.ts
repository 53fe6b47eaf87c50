/**
 * Back online, a paused write goes out before any paused refetch, and the refetches wait until it
 * has settled: sent while the write is still in flight, a refetch is answered with the data from
 * before the write, which lands over the optimistic update (what TanStack avoids the same way:
 * resumed paused mutations first, then the queries). Found dogfooding in Chromium: a todo toggled
 * offline flipped back for the ~400 ms its PATCH took, because the list's GET went out with it.
 */
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { createMutation } from '../../src/lib/svelte/index.js';
import { manualFocus, manualOnline } from '../core/helpers.js';
import { deferred, flush } from './helpers.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('a paused write and a paused refetch of what it changes, on reconnect', () => {
	it('the optimistic update stands while the write is still in flight', async () => {
		const online = manualOnline(true);
		const focus = manualFocus();
		const client = new QoraClient({ online, focus });
		// The server: GET answers at once with what it has; POST applies the like when it completes.
		let serverLikes = 0;
		const sent: string[] = [];
		const fetcher = vi.fn(async () => {
			sent.push('GET');
			return serverLikes;
		});
		const postDone = deferred<void>();
		const stop = client.watchQuery({ key: ['likes'], fetcher, options: { staleTime: 0 } }).subscribe(() => {});
		await flush();
		const like = createMutation(
			{
				mutationFn: async () => {
					sent.push('POST');
					await postDone.promise; // the server takes its time
					serverLikes++;
				},
				onMutate: () => {
					client.cancel(['likes']);
					client.setQueryData<number>(['likes'], (n) => (n ?? 0) + 1);
				},
				onSettled: () => client.invalidate(['likes'])
			},
			client
		);
		online.set(false);
		like.mutate();
		await flush();
		focus.focus(); // the stale count refetches, and pauses
		await flush();
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'paused', data: 1 });

		online.set(true);
		await flush();
		expect(sent).toEqual(['GET', 'POST']);
		expect(get(like)).toMatchObject({ status: 'pending' });
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'paused', data: 1 });

		postDone.resolve();
		await flush();
		expect(sent).toEqual(['GET', 'POST', 'GET']);
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'idle', data: 1 });
		stop();
		client.dispose();
	});

	it('a write that fails still lets the refetch go, after it; one gone offline again meanwhile leaves it paused', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const fetcher = vi.fn(async () => 'server');
		const stop = client.watchQuery({ key: ['k'], fetcher, options: { staleTime: 0 } }).subscribe(() => {});
		await flush();
		const writes = [deferred<void>(), deferred<void>()];
		let call = 0;
		const save = createMutation({ mutationFn: () => writes[call++]!.promise }, client);
		online.set(false);
		void save.mutateAsync().catch(() => {});
		void client.invalidate(['k']);
		await flush();
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'paused' });

		online.set(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(1);
		writes[0]!.reject(new Error('refused'));
		await flush();
		expect(get(save)).toMatchObject({ status: 'error' });
		expect(fetcher).toHaveBeenCalledTimes(2);

		// Again, but the connection goes before the write settles: the refetch waits for the next "online".
		online.set(false);
		void save.mutateAsync().catch(() => {});
		void client.invalidate(['k']);
		await flush();
		online.set(true);
		await flush();
		online.set(false);
		writes[1]!.resolve();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(client.getState(['k'])).toMatchObject({ fetchStatus: 'paused' });
		online.set(true);
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(3);
		stop();
		client.dispose();
	});
});
