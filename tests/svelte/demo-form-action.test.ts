/** The demo's form-action page (routes-demo/posts/new/+page.svelte) with SvelteKit's own use:enhance, over a fake fetch. */
import { fireEvent, render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import NewPostPage from '../../routes-demo/posts/new/+page.svelte';
import { deferred, flush } from './helpers.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => {
	vi.unstubAllGlobals();
	vi.useRealTimers();
});

describe('demo form-action page', () => {
	it('keeps a double click on Save to one post while the action is out', async () => {
		const answer = deferred<Response>();
		const sent = vi.fn((_url: unknown, _init?: RequestInit) => answer.promise);
		vi.stubGlobal('fetch', sent);
		const view = render(NewPostPage, { props: { data: {}, params: {}, form: null } as never });
		await fireEvent.input(view.getByLabelText('Title'), { target: { value: 'Hello' } });
		const save = view.getByRole('button', { name: 'Save' });
		await fireEvent.click(save);
		await flush();
		await fireEvent.click(save);
		await flush();
		expect(sent.mock.calls.filter(([, init]) => init?.method === 'POST')).toHaveLength(1);
		// The action answers (here refusing the input): Save works again.
		answer.resolve(new Response(JSON.stringify({ type: 'failure', status: 400, data: '[{"message":1},"bad"]' })));
		await flush();
		expect((save as HTMLButtonElement).disabled).toBe(false);
	});
});
