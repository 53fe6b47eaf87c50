/**
 * Type tests of the code a SvelteKit app writes around Qora: query factories, generic
 * wrappers, exhaustive switches, mutations with context, and a load's payload. Checked
 * by `npm run check`; the bodies under `typeOnly` are compiled, never run.
 */
import type { Readable } from 'svelte/store';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
	QoraClient,
	keepPrevious,
	type DehydratedState,
	type Fetcher,
	type QoraFetchStatus,
	type QoraOptions,
	type QoraState,
	type QueryConfig,
	type QueryKeyInput
} from '../../src/lib/index.js';
import { createMutation, createQuery, type MutationState } from '../../src/lib/svelte/index.js';
import { prefetchOnServer, streamSettled } from '../../src/lib/sveltekit/index.js';

interface Todo {
	id: number;
	title: string;
}

const todosQuery = (page: number): QueryConfig<Todo[]> => ({
	key: ['todos', { page }],
	fetcher: async () => [{ id: page, title: 'a' }],
	options: { placeholderData: keepPrevious, staleTime: 1000, retry: (failures, error) => failures < 3 && !error.message.startsWith('4') }
});

describe('query factories and generic wrappers', () => {
	it('compile without annotations beyond the factory’s return type, and keep T', async () => {
		const client = new QoraClient();
		const load = <T>(config: QueryConfig<T>): Promise<T> => client.fetchQuery(config);
		const watch = <T>(config: QueryConfig<T>): Readable<QoraState<T>> => createQuery(config, client);
		const withDefaults = <T>(config: QueryConfig<T>): QueryConfig<T> => ({ ...config, options: { ...config.options, staleTime: 0 } });
		const define = <T>(key: QueryKeyInput, fetcher: Fetcher<T>, options?: QoraOptions<T>): QueryConfig<T> => ({ key, fetcher, options });
		expectTypeOf(load(withDefaults(todosQuery(1)))).toEqualTypeOf<Promise<Todo[]>>();
		expectTypeOf(watch(define(['n'], () => 1))).toEqualTypeOf<Readable<QoraState<number>>>();
		expect(await load(todosQuery(2))).toEqual([{ id: 2, title: 'a' }]);
		client.dispose();
	});

	it('a query that is one of two configs needs its data type written: TypeScript does not union them', () => {
		const typeOnly = (client: QoraClient, asDraft: boolean, drafts: QueryConfig<{ draft: true }[]>) => {
			// @ts-expect-error -- T is inferred from the first config alone
			createQuery(asDraft ? drafts : todosQuery(1), client);
			return createQuery<{ draft: true }[] | Todo[]>(asDraft ? drafts : todosQuery(1), client);
		};
		expectTypeOf(typeOnly).returns.toEqualTypeOf<Readable<QoraState<{ draft: true }[] | Todo[]>>>();
	});
});

describe('exhaustive switches', () => {
	it('over fetchStatus, checked with never', () => {
		const label = (state: QoraState<Todo[]>): string => {
			switch (state.fetchStatus) {
				case 'fetching':
					return 'loading';
				case 'paused':
					return 'offline';
				case 'idle':
					return 'idle';
				default: {
					const unhandled: never = state.fetchStatus;
					return unhandled;
				}
			}
		};
		expectTypeOf(label).returns.toEqualTypeOf<string>();
		// isFetching and isPaused are flags only: they do not narrow fetchStatus.
		const state = {} as QoraState<Todo[]>;
		if (state.isFetching) expectTypeOf(state.fetchStatus).toEqualTypeOf<QoraFetchStatus>();
	});

	it('over a mutation’s status, and its fields narrowed by the flags', () => {
		const describeSave = (state: MutationState<Todo, string>): string => {
			if (state.isSuccess) return `${state.data.title} saved as ${state.variables}`;
			if (state.isError) return state.error.message;
			switch (state.status) {
				case 'idle':
					return '';
				case 'pending':
					return `saving ${state.variables}`;
				default: {
					const unhandled: never = state;
					return unhandled;
				}
			}
		};
		expectTypeOf(describeSave).returns.toEqualTypeOf<string>();
	});
});

describe('mutations', () => {
	it('carry onMutate’s context to onError and onSettled, for a rollback with restoreQueryData', () => {
		const build = (client: QoraClient) =>
			createMutation(
				{
					mutationFn: async (todo: Todo) => todo,
					onMutate: async (todo) => {
						const previous = client.getState<Todo[]>(['todos']);
						client.setQueryData<Todo[]>(['todos'], (list) => list?.map((t) => (t.id === todo.id ? todo : t)));
						return { previous };
					},
					onError: (_error, _todo, context) => client.restoreQueryData(['todos'], context?.previous),
					onSettled: (_data, _error, _todo, context) => {
						expectTypeOf(context).toEqualTypeOf<{ previous: QoraState<Todo[]> | undefined } | undefined>();
						return client.invalidate(['todos']);
					}
				},
				client
			);
		expectTypeOf(build).toBeFunction();
	});

	it('refuse to be an event handler as they are: the event would become the variables', () => {
		const typeOnly = (client: QoraClient) => {
			const save = createMutation({ mutationFn: async () => 1 }, client);
			// @ts-expect-error -- onclick={save.mutate} would pass the click event as the variables
			const onclick: (event: MouseEvent) => void = save.mutate;
			return onclick;
		};
		expectTypeOf(typeOnly).toBeFunction();
	});
});

describe('a server load’s payload', () => {
	it('is a DehydratedState awaited, or a promise of one streamed, which streamSettled takes', () => {
		const load = async () => ({ qoraState: await prefetchOnServer((qora) => qora.prefetchQuery(todosQuery(1))) });
		const streamed = () => ({ qoraState: prefetchOnServer((qora) => qora.prefetchQuery(todosQuery(1))) });
		expectTypeOf<Awaited<ReturnType<typeof load>>['qoraState']>().toEqualTypeOf<DehydratedState>();
		expectTypeOf<ReturnType<typeof streamed>['qoraState']>().toEqualTypeOf<Promise<DehydratedState>>();
		expectTypeOf(streamSettled).parameter(0).toEqualTypeOf<() => unknown>();
		expectTypeOf(streamSettled).returns.toEqualTypeOf<{ readonly current: boolean }>();
	});
});
