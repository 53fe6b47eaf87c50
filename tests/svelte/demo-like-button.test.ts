/** The demo's LikeButton (src/demo/components/LikeButton.svelte), mounted with a fake fetch. */
import { fireEvent, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QoraClient } from '../../src/lib/index.js';
import LikeButton from '../../src/demo/components/LikeButton.svelte';
import { postsKey, postsQuery } from '../../src/demo/queries.js';
import type { Post } from '../../src/demo/types.js';
import Provide from './components/Provide.svelte';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((c) => (client = c));
afterEach(() => vi.unstubAllGlobals());

const post = (id: number, likes = 0): Post => ({ id, title: `Post ${id}`, body: '', author: 'Ada', likes, createdAt: 0 });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('demo LikeButton', () => {
	it('keeps a post a refetch brought in when a like sent before it fails', async () => {
		const like = deferred<Response>();
		const lists = [deferred<Response>(), deferred<Response>()];
		let gets = 0;
		vi.stubGlobal(
			'fetch',
			vi.fn((url: string, init?: RequestInit) =>
				init?.method === 'POST' ? like.promise : url === '/api/posts' ? lists[gets++]!.promise : Promise.reject(new Error(url))
			)
		);
		client.setQueryData(postsKey, [post(1)]);
		// The posts page watches the list.
		const stop = client.watchQuery({ ...postsQuery(), options: { staleTime: 60_000 } }).subscribe(() => {});
		const likesInFlight = new Set<never>(); // LikeButton fills it (LikeInFlight lives in the component's module script, which tsc cannot read)
		const view = render(Provide, { client, view: LikeButton, viewProps: { post: post(1), likesInFlight } });
		await fireEvent.click(view.getByTestId('like-1'));
		await flush();
		expect(client.getQueryData(postsKey)?.[0]?.likes).toBe(1);
		// While the like is out, a refetch (focus, polling, the create form's invalidate) brings a post another tab wrote.
		const refetch = client.invalidate(postsKey);
		lists[0]!.resolve(json(200, [post(1), post(2)]));
		await refetch;
		expect(client.getQueryData(postsKey)?.map((p) => p.id)).toEqual([1, 2]);
		// The server refuses the like: undo it, but the newer list stays (also while the
		// refetch the like's onSettled starts is out).
		like.resolve(json(503, { message: 'Service unavailable' }));
		await flush();
		expect(view.getByTestId('like-status-1').textContent).toContain('was not saved');
		expect(client.getQueryData(postsKey)?.map((p) => p.id)).toEqual([1, 2]);
		expect(client.getQueryData(postsKey)?.[0]?.likes).toBe(0);
		stop();
	});
});
