/**
 * Type tests for the Svelte layer's inputs. Checked by `npm run check` (tsc over
 * tests/); the functions are never called, only compiled.
 */
import { derived, writable, type Readable } from 'svelte/store';
import { describe, expectTypeOf, it } from 'vitest';
import type { QoraClient, QoraState } from '../../src/lib/index.js';
import { createMutation, createQuery, keepPrevious, type KeepPrevious, type MutationState } from '../../src/lib/svelte/index.js';

describe('keepPrevious', () => {
	it('type-checks wherever the options object is written, not only inline in the call', () => {
		// Compiled, never run: each form once widened the symbol and failed to compile.
		const forms = (client: QoraClient) => {
			const page = writable(1);
			const fromDerived = createQuery(
				derived(page, (p) => ({ key: ['p', p], fetcher: async () => 'x', options: { placeholderData: keepPrevious } })),
				client
			);
			const pagedOptions = { placeholderData: keepPrevious, staleTime: 10_000 };
			const fromVariable = createQuery({ key: ['p', 1], fetcher: async () => 'x', options: pagedOptions }, client);
			const itemsQuery = (p: number) => ({ key: ['items', p], fetcher: async () => [p], options: { placeholderData: keepPrevious } });
			const fromFactory = createQuery(itemsQuery(1), client);
			return { fromDerived, fromVariable, fromFactory };
		};
		type Stores = ReturnType<typeof forms>;
		expectTypeOf<Stores['fromDerived']['subscribe']>().parameter(0).parameter(0).toEqualTypeOf<QoraState<string>>();
		expectTypeOf<Stores['fromFactory']['subscribe']>().parameter(0).parameter(0).toEqualTypeOf<QoraState<number[]>>();
		expectTypeOf(keepPrevious).toEqualTypeOf<KeepPrevious>();
	});

	it('rejects any other placeholderData', () => {
		const wrong = (client: QoraClient) =>
			// @ts-expect-error only keepPrevious is a placeholder
			createQuery({ key: ['p'], fetcher: async () => 'x', options: { placeholderData: Symbol('other') } }, client);
		expectTypeOf(wrong).toBeFunction();
	});
});

describe('createMutation', () => {
	it('passes onMutate’s context to onSuccess as it is (onMutate has run by then)', () => {
		const build = (client: QoraClient) =>
			createMutation(
				{
					mutationFn: async (n: number) => n,
					onMutate: () => ({ snapshot: 1 }),
					onSuccess: (_data, _variables, context) => {
						expectTypeOf(context).toEqualTypeOf<{ snapshot: number }>();
					},
					onError: (_error, _variables, context) => {
						expectTypeOf(context).toEqualTypeOf<{ snapshot: number } | undefined>();
					}
				},
				client
			);
		expectTypeOf(build).toBeFunction();
	});

	it('lets mutate be called without an argument when the variables may be undefined, and only then', () => {
		const calls = (client: QoraClient) => {
			const optional = createMutation({ mutationFn: async (page?: number) => page }, client);
			optional.mutate();
			optional.mutate(2);
			void optional.mutateAsync();
			const none = createMutation({ mutationFn: async () => 'done' }, client);
			none.mutate();
			const required = createMutation({ mutationFn: async (id: string) => id }, client);
			required.mutate('a');
			// @ts-expect-error the variables are required
			required.mutate();
		};
		expectTypeOf(calls).toBeFunction();
	});

	it("names a mutation's state with its data type alone when it takes no variables, as its store does", () => {
		const typed = (client: QoraClient) => {
			const save = createMutation({ mutationFn: async () => 'saved' }, client);
			const state: Readable<MutationState<string>> = save;
			return state;
		};
		expectTypeOf(typed).toBeFunction();
		expectTypeOf<Extract<MutationState<string>, { status: 'success' }>['variables']>().toEqualTypeOf<void>();
	});

	it('types isPaused as false except while pending', () => {
		type State = MutationState<string, number>;
		expectTypeOf<Extract<State, { status: 'pending' }>['isPaused']>().toEqualTypeOf<boolean>();
		expectTypeOf<Extract<State, { status: 'idle' | 'success' | 'error' }>['isPaused']>().toEqualTypeOf<false>();
	});
});
