/** The demo's posts page (routes-demo/posts/+page.svelte), mounted with a fake fetch. */
import { fireEvent, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QoraClient } from '../../src/lib/index.js';
import PostsPage from '../../routes-demo/posts/+page.svelte';
import { postsKey } from '../../src/demo/queries.js';
import type { Post } from '../../src/demo/types.js';
import Provide from './components/Provide.svelte';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((c) => (client = c));
afterEach(() => vi.unstubAllGlobals());

const post = (id: number, title = `Post ${id}`): Post => ({ id, title, body: '', author: 'Ada', likes: 0, createdAt: 0 });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('demo posts page', () => {
	it('keeps the next draft typed while a post is being published when the save answers', async () => {
		const save = deferred<Response>();
		const list = [post(1)];
		vi.stubGlobal(
			'fetch',
			vi.fn((url: string, init?: RequestInit) => (init?.method === 'POST' ? save.promise : url === '/api/posts' ? Promise.resolve(json(200, list)) : Promise.reject(new Error(url))))
		);
		client.setQueryData(postsKey, list);
		const view = render(Provide, { client, view: PostsPage, viewProps: { data: {}, params: {} } });
		const title = view.getByLabelText('Title') as HTMLInputElement;
		const text = view.getByLabelText('Text') as HTMLTextAreaElement;
		await fireEvent.input(title, { target: { value: 'First' } });
		await fireEvent.submit(view.getByTestId('new-post'));
		await flush();
		expect(view.getByRole('button', { name: 'Publishing…' })).toBeTruthy();
		// The fields stay editable: the user starts the next post while the first is saved.
		await fireEvent.input(title, { target: { value: 'Second' } });
		await fireEvent.input(text, { target: { value: 'A long text typed meanwhile' } });
		list.push(post(2, 'First'));
		save.resolve(json(200, post(2, 'First')));
		await flush();
		expect(view.getAllByTestId('post-title').map((h) => h.textContent)).toEqual(['Post 1', 'First']);
		expect(title.value).toBe('Second');
		expect(text.value).toBe('A long text typed meanwhile');
	});
});
