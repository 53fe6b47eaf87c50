/**
 * Fixed (found by review; the text tells the bug as it was): the same hole as create-mutation-reconnect-flap.test.ts, opened by qora/svelte itself,
 * with a single "online" event. A QoraProvider unmounted while offline (a navigation that remounts
 * the layout holding it) keeps its online source until the client hears the connection is back, then
 * detaches it in a microtask; that detach (like the remounted provider's own source hearing the same
 * window event) is more "online" news, which finds the resumed write already sending, waits for
 * nothing, and resumes the paused refetch at once: the GET goes out with the POST and its answer,
 * from before the write, replaces the optimistic update.
 * Code: setQoraClient's deferred detach (src/lib/svelte/context.svelte.ts) -> mount()'s detach ->
 * QoraClient#onConnectivityChange (src/lib/core/client.ts), which waits only for writes resumed by that call.
 */
import { render } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { createMutation } from '../../src/lib/svelte/index.js';
import ProviderApp from './components/ProviderApp.svelte';
import { deferred, flush, goOnline } from './helpers.js';

let undo: (() => void)[] = [];
beforeEach(() => void vi.useFakeTimers());
afterEach(() => {
	for (const step of undo.reverse()) step();
	undo = [];
	vi.useRealTimers();
});

describe('a provider remounted while offline, then one "online" event', () => {
	it('the paused refetch still waits for the resumed write', async () => {
		const client = new QoraClient();
		let serverLikes = 0;
		const sent: string[] = [];
		const config = {
			key: ['likes'],
			fetcher: async () => {
				sent.push('GET');
				return serverLikes;
			},
			options: { staleTime: 0 }
		};
		const first = render(ProviderApp, { client, config });
		await flush();
		expect(sent).toEqual(['GET']);

		undo.push(goOnline(false));
		const postDone = deferred<void>();
		const like = createMutation(
			{
				mutationFn: async () => {
					sent.push('POST');
					await postDone.promise;
					serverLikes++;
				},
				onMutate: () => void client.setQueryData<number>(['likes'], (n) => (n ?? 0) + 1),
				onSettled: () => client.invalidate(['likes'])
			},
			client
		);
		like.mutate();
		void client.invalidate(['likes']); // the refetch pauses
		await flush();
		// A navigation remounts the provider, still offline.
		first.unmount();
		render(ProviderApp, { client, config });
		await flush();
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'paused', data: 1 });

		goOnline(true);
		await flush();
		expect(get(like)).toMatchObject({ status: 'pending' });
		expect(sent).toEqual(['GET', 'POST']);
		expect(client.getState(['likes'])).toMatchObject({ data: 1 });

		postDone.resolve();
		await flush();
		expect(client.getState(['likes'])).toMatchObject({ fetchStatus: 'idle', data: 1 });
		client.dispose();
	});
});
