// The README's Search.svelte with its abort recipe (tests/svelte/components/ReadmeSearchAbort.svelte): typing over a
// term aborts that term's request, as TanStack Query does when a query moves to another key and Qora does not by itself.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import Provide from './components/Provide.svelte';
import ReadmeSearchAbort from './components/ReadmeSearchAbort.svelte';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

type Hit = { id: number; title: string };
const out = () => screen.getByTestId('out');

/** A search endpoint answering when the test says, with as many hits as the term has letters; an abort rejects the request, as `fetch` does. */
function fakeSearch() {
	const requests: { term: string; signal: AbortSignal; answer: () => Promise<void> }[] = [];
	const search = vi.fn((url: string, signal: AbortSignal) => {
		const term = new URL(url, 'http://localhost').searchParams.get('q') ?? '';
		const reply = deferred<Hit[]>();
		signal.addEventListener('abort', () => reply.reject(new DOMException('The operation was aborted.', 'AbortError')));
		requests.push({
			term,
			signal,
			answer: async () => {
				reply.resolve(Array.from(term, (letter, id) => ({ id, title: letter })));
				await flush();
			}
		});
		return reply.promise;
	});
	return { search, requests };
}

async function type(value: string): Promise<void> {
	await fireEvent.input(screen.getByRole('textbox'), { target: { value } });
	await flush();
}

describe("the README's search, aborting the request of a term typed over", () => {
	it('aborts the two superseded requests of three terms typed quickly, shows only the last one’s hits, and fetches an earlier term again later', async () => {
		const { search, requests } = fakeSearch();
		render(Provide, { client, view: ReadmeSearchAbort, viewProps: { search } });
		await type('ab');
		await type('abc');
		await type('abcd');
		expect(requests.map((request) => [request.term, request.signal.aborted])).toEqual([
			['ab', true],
			['abc', true],
			['abcd', false]
		]);
		expect(out()).toHaveTextContent('Searching…');

		await requests[2]?.answer();
		expect(out()).toHaveTextContent('4 hits');
		// The aborted terms are left as they were before their fetch: no data, no error, nothing fetching.
		for (const term of ['ab', 'abc']) {
			expect(client.getState(['search', term])).toMatchObject({ status: 'pending', fetchStatus: 'idle', data: undefined, error: null, failureCount: 0 });
		}
		expect(client.isFetching()).toBe(0);
		await flush(60_000);
		expect(out()).toHaveTextContent('4 hits');
		expect(search).toHaveBeenCalledTimes(3);

		// Back to an aborted term later: fetched again, and its own hits show.
		await type('ab');
		expect(requests.map((request) => request.term)).toEqual(['ab', 'abc', 'abcd', 'ab']);
		expect(out()).toHaveTextContent('Searching…');
		await requests[3]?.answer();
		expect(out()).toHaveTextContent('2 hits');
		expect(requests[3]?.signal.aborted).toBe(false);
		// The term typed over had landed: nothing to abort, its hits stay cached and show at once.
		await type('abcd');
		expect(out()).toHaveTextContent('4 hits');
		expect(client.getQueryData(['search', 'abcd'])).toHaveLength(4);
	});

	it('keeps the previous hits on screen with keepPrevious while the terms typed over are aborted', async () => {
		const { search, requests } = fakeSearch();
		render(Provide, { client, view: ReadmeSearchAbort, viewProps: { search, keep: true } });
		await type('ab');
		await requests[0]?.answer();
		expect(out()).toHaveTextContent('2 hits');

		await type('abc');
		await type('abcd');
		expect(requests.map((request) => [request.term, request.signal.aborted])).toEqual([
			['ab', false],
			['abc', true],
			['abcd', false]
		]);
		expect(out()).toHaveTextContent('2 hits');
		expect(out()).toHaveClass('stale');
		expect(client.getState(['search', 'abc'])).toMatchObject({ status: 'pending', fetchStatus: 'idle', data: undefined, error: null });

		await requests[2]?.answer();
		expect(out()).toHaveTextContent('4 hits');
		expect(out()).not.toHaveClass('stale');

		await type('abc');
		expect(requests[3]?.term).toBe('abc');
		expect(out()).toHaveTextContent('4 hits');
		expect(out()).toHaveClass('stale');
		await requests[3]?.answer();
		expect(out()).toHaveTextContent('3 hits');
		expect(out()).not.toHaveClass('stale');
	});

	it('is the recipe the README gives', () => {
		const readme = readFileSync(resolve(process.cwd(), 'README.md'), 'utf8');
		const component = readFileSync(resolve(process.cwd(), 'tests/svelte/components/ReadmeSearchAbort.svelte'), 'utf8');
		const recipe = /\t\/\/ README:start\n([\s\S]*?)\t\/\/ README:end\n/.exec(component)?.[1];
		expect(recipe).toBeTruthy();
		expect(readme.includes(recipe ?? ''), 'the README shows the lines between README:start and README:end of ReadmeSearchAbort.svelte').toBe(true);
	});
});
