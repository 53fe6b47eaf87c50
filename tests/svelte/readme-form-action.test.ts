/**
 * The README's createMutation that posts to a form action itself (SvelteKit section): SvelteKit answers a
 * `fail()` with an HTTP 200 envelope, which the recipe's `deserialize` turns into the mutation's error; a
 * success reruns the loads and invalidates the Qora keys the action changed.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { parse, stringify } from 'devalue';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import Provide from './components/Provide.svelte';
import ReadmeFormActionMutation from './components/ReadmeFormActionMutation.svelte';
import { flush, freshClientPerTest } from './helpers.js';

const navigation = vi.hoisted(() => ({ invalidateAll: vi.fn(async () => {}) }));
vi.mock('$app/navigation', () => navigation);
// SvelteKit's deserialize (kit/src/runtime/app/forms.js) reads the transport decoders of a started app, which a
// component test has not: the same parse, for an app without a transport hook.
vi.mock('$app/forms', () => ({
	deserialize(result: string) {
		const parsed = JSON.parse(result);
		if (parsed.data) parsed.data = parse(parsed.data);
		return parsed;
	}
}));

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));
afterEach(() => {
	vi.unstubAllGlobals();
	navigation.invalidateAll.mockClear();
});

/** What SvelteKit's server answers a POST that accepts JSON (fetch's default Accept: *\/*) with: always HTTP 200 for these two. */
const envelope = (result: { type: 'failure' | 'success'; status: number; data: Record<string, unknown> }) =>
	new Response(JSON.stringify({ ...result, data: stringify(result.data) }), { status: 200, headers: { 'content-type': 'application/json' } });

async function submit(answer: Response) {
	const sent = vi.fn(async (_url: unknown, _init?: RequestInit) => answer);
	vi.stubGlobal('fetch', sent);
	client.setQueryData(['todos'], ['Buy milk']);
	render(Provide, { client, view: ReadmeFormActionMutation });
	await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
	await flush();
	return sent;
}

describe("README: a createMutation posting to a form action reads SvelteKit's envelope with deserialize", () => {
	it('a fail(422), answered with HTTP 200, reaches $mutation.error, and nothing is invalidated', async () => {
		const sent = await submit(envelope({ type: 'failure', status: 422, data: { message: 'A title is required' } }));
		const init = sent.mock.calls[0]?.[1];
		expect(init?.method).toBe('POST');
		expect((init?.body as FormData).get('title')).toBe('Water the plants');
		expect(screen.getByTestId('status').textContent).toBe('error: A title is required');
		expect(navigation.invalidateAll).not.toHaveBeenCalled();
		expect(client.getState(['todos'])?.isInvalidated).toBe(false);
	});

	it('a success reruns the loads (invalidateAll) and invalidates the Qora keys the action changed', async () => {
		await submit(envelope({ type: 'success', status: 200, data: { id: 7 } }));
		expect(screen.getByTestId('status').textContent).toBe('success');
		expect(navigation.invalidateAll).toHaveBeenCalledOnce();
		expect(client.getState(['todos'])?.isInvalidated).toBe(true);
	});
});
