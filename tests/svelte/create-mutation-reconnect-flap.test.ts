/**
 * Fixed (found by review; the text tells the bug as it was): back online, the paused refetches wait only for the paused writes *that reconnect
 * resumed*. When the connection flaps (online, offline, online again) while the resumed write is
 * still in flight, the second reconnect finds no paused write (it is sending) and resumes the paused
 * refetch at once: the GET goes out with the PATCH, and its answer (from before the write) replaces
 * the optimistic update, which is what 2cc4d7b set out to prevent.
 * Any other "online" news during the wait does the same: mount() and detach() call it too (a
 * provider mounting its focus source while the write is out).
 * Code: QoraClient#onConnectivityChange (src/lib/core/client.ts) + createMutation's _onResume
 * listener (src/lib/svelte/create-mutation.ts), which pushes a write only if it was paused.
 */
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { createMutation } from '../../src/lib/svelte/index.js';
import { manualFocus, manualOnline } from '../core/helpers.js';
import { deferred, flush } from './helpers.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('a paused write and a paused refetch, on a reconnect that flaps', () => {
	it('the refetch still waits for the write the first reconnect resumed', async () => {
		const online = manualOnline(true);
		const focus = manualFocus();
		const client = new QoraClient({ online, focus });
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
					await postDone.promise;
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

		online.set(true); // the POST goes out; the GET waits for it
		await flush();
		expect(sent).toEqual(['GET', 'POST']);

		// The connection drops for a moment and comes back while the POST is still in flight.
		online.set(false);
		await flush();
		online.set(true);
		await flush();
		expect(get(like)).toMatchObject({ status: 'pending' });
		expect(sent).toEqual(['GET', 'POST']);
		expect(client.getState(['likes'])).toMatchObject({ data: 1 }); // the GET's 0 replaced the optimistic 1

		postDone.resolve();
		await flush();
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'idle', data: 1 });
		stop();
		client.dispose();
	});
	it('a mount() during the wait (a focus source) does not let the refetch go either', async () => {
		const online = manualOnline(true);
		const client = new QoraClient({ online });
		const sent: string[] = [];
		const fetcher = vi.fn(async () => {
			sent.push('GET');
			return 0;
		});
		const postDone = deferred<void>();
		const stop = client.watchQuery({ key: ['likes'], fetcher, options: { staleTime: 0 } }).subscribe(() => {});
		await flush();
		const like = createMutation(
			{
				mutationFn: async () => {
					sent.push('POST');
					await postDone.promise;
				},
				onMutate: () => void client.setQueryData<number>(['likes'], 1)
			},
			client
		);
		online.set(false);
		like.mutate();
		void client.invalidate(['likes']); // pauses
		await flush();
		online.set(true);
		await flush();
		expect(sent).toEqual(['GET', 'POST']);
		client.mount({ focus: manualFocus() }); // e.g. a provider mounting
		await flush();
		expect(sent).toEqual(['GET', 'POST']);
		postDone.resolve();
		await flush();
		stop();
		client.dispose();
	});
});
