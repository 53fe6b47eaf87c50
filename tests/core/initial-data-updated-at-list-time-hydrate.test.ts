/**
 * Fixed (found by review; the text tells the bug as it was): the README's recipe for the new function form, `initialDataUpdatedAt: () =>
 * client.getState(['todos'])?.dataUpdatedAt`, dates a seed by when the list's *answer* arrived, and
 * Qora weighs data by when its *request* went out (hydrate: "newer data by request time wins"). So
 * the seed counts as known from the list's answer time, and a streamed payload of the detail whose
 * request went out after the list's (while the list was still loading: a load starting both) is
 * dropped as older: the list's summary stays, fresh for staleTime, instead of the full record.
 * Undated, the seed loses to the payload (by design); TanStack (dataUpdatedAt against
 * dataUpdatedAt) lets the detail in too. Code: #applyInitialData (noteRequest only for undated
 * seeds, src/lib/core/client.ts) with readInitialData (options.ts) and the README's recipe.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, hydrate, type DehydratedState } from '../../src/lib/index.js';
import { T0, advance, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

type Todo = { id: number; title: string; body?: string };
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const payload = (entry: DehydratedState['entries'][number]): DehydratedState => wire({ version: 1, entries: [entry] });

describe('a seed dated by its list (the README recipe) and a streamed payload of the detail', () => {
	it('the detail, requested after the list, replaces the summary seed', async () => {
		const client = new QoraClient();
		await advance(2_000);
		// The server load: the list went out at T0 and answered at T0+1s; the detail went out at T0+200ms
		// (streamed, answered at T0+1.5s). The list arrives with the page.
		hydrate(client, payload({ key: ['todos'], status: 'success', data: [{ id: 1, title: 'Buy milk' }], dataUpdatedAt: T0 + 1_000, requestedAt: T0 }));
		const fetcher = vi.fn(async (): Promise<Todo> => ({ id: 1, title: 'Buy milk', body: 'from the browser' }));
		const stop = client
			.watchQuery<Todo>({
				key: ['todo', 1],
				fetcher,
				options: {
					staleTime: 60_000,
					initialData: () => client.getQueryData<Todo[]>(['todos'])?.find((todo) => todo.id === 1),
					initialDataUpdatedAt: () => client.getState(['todos'])?.dataUpdatedAt
				}
			})
			.subscribe(() => {});
		expect(client.getQueryData(['todo', 1])).toEqual({ id: 1, title: 'Buy milk' });
		// The stream lands.
		hydrate(client, payload({ key: ['todo', 1], status: 'success', data: { id: 1, title: 'Buy milk', body: '2 litres' }, dataUpdatedAt: T0 + 1_500, requestedAt: T0 + 200 }));
		expect(client.getQueryData(['todo', 1])).toEqual({ id: 1, title: 'Buy milk', body: '2 litres' });
		stop();
		client.dispose();
	});
});
