/**
 * Type tests for the state union. They are checked by `npm run check` (tsc over
 * tests/): an unused `@ts-expect-error` or a wrong `expectTypeOf` fails it.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
	QoraClient,
	type QoraErrorState,
	type QoraFetchStatus,
	type QoraOptions,
	type QoraPendingState,
	type QoraReadable,
	type QoraState,
	type QoraStatus,
	type QoraSuccessState
} from '../../src/lib/index.js';

interface Todo {
	id: number;
	title: string;
}

/** Every case handled: compiles, and the result is always a string. */
function describeState(state: QoraState<Todo[]>): string {
	switch (state.status) {
		case 'pending':
			return 'loading';
		case 'success':
			return `${state.data.length} todos`;
		case 'error':
			return state.error.message;
	}
}

// A switch that misses a case must fail to compile where the function must return:
// TS2366 "Function lacks ending return statement", reported at the return type.
// @ts-expect-error -- the 'error' case is missing
function missingError(state: QoraState<Todo[]>): string {
	switch (state.status) {
		case 'pending':
			return 'loading';
		case 'success':
			return 'ok';
	}
}

// @ts-expect-error -- the 'pending' case is missing
function missingPending(state: QoraState<Todo[]>): string {
	switch (state.status) {
		case 'success':
			return 'ok';
		case 'error':
			return 'failed';
	}
}

/** The never-check pattern also catches a missing case. */
function withNeverCheck(state: QoraState<Todo[]>): string {
	switch (state.status) {
		case 'pending':
			return 'loading';
		case 'success':
			return 'ok';
		default: {
			// @ts-expect-error -- 'error' is still possible here, so it is not never
			const unhandled: never = state;
			return String(unhandled);
		}
	}
}

describe('QoraState<T> union', () => {
	it('status and fetchStatus are the documented literal unions', () => {
		expectTypeOf<QoraStatus>().toEqualTypeOf<'pending' | 'success' | 'error'>();
		expectTypeOf<QoraFetchStatus>().toEqualTypeOf<'fetching' | 'paused' | 'idle'>();
		expectTypeOf<QoraState<Todo>['status']>().toEqualTypeOf<QoraStatus>();
		expectTypeOf<QoraState<Todo>['fetchStatus']>().toEqualTypeOf<QoraFetchStatus>();
	});

	it('is the union of the pending, success and error states', () => {
		expectTypeOf<QoraState<Todo>>().toEqualTypeOf<QoraPendingState | QoraSuccessState<Todo> | QoraErrorState<Todo>>();
	});

	it('narrows data to T in the success branch, and error to Error in the error branch', () => {
		const state = {} as QoraState<Todo>;
		if (state.status === 'success') {
			expectTypeOf(state.data).toEqualTypeOf<Todo>();
			expectTypeOf(state.error).toEqualTypeOf<null>();
			expectTypeOf(state).toEqualTypeOf<QoraSuccessState<Todo>>();
		}
		if (state.status === 'pending') {
			expectTypeOf(state.data).toEqualTypeOf<undefined>();
			expectTypeOf(state.error).toEqualTypeOf<null>();
		}
		if (state.status === 'error') {
			expectTypeOf(state.error).toEqualTypeOf<Error>();
			expectTypeOf(state.data).toEqualTypeOf<Todo | undefined>();
		}
	});

	it('outside a narrowing, data may be undefined', () => {
		expectTypeOf<QoraState<Todo>['data']>().toEqualTypeOf<Todo | undefined>();
		const read = (state: QoraState<Todo>): string =>
			// @ts-expect-error -- data may be undefined before narrowing
			state.data.title;
		expectTypeOf(read).returns.toEqualTypeOf<string>();
	});

	it('the derived flags narrow too: isSuccess and isRefetchError give data: T, isLoadingError gives undefined', () => {
		const state = {} as QoraState<Todo>;
		if (state.isSuccess) expectTypeOf(state.data).toEqualTypeOf<Todo>();
		if (state.isRefetchError) {
			expectTypeOf(state.data).toEqualTypeOf<Todo>();
			expectTypeOf(state.status).toEqualTypeOf<'error'>();
		}
		if (state.isLoadingError) {
			expectTypeOf(state.data).toEqualTypeOf<undefined>();
			expectTypeOf(state.isRefetching).toEqualTypeOf<false>(); // no data to show while it tries again
		}
		if (state.isPending) expectTypeOf(state.status).toEqualTypeOf<'pending'>();
		if (state.isError) expectTypeOf(state.error).toEqualTypeOf<Error>();
	});

	it('every field of the issue is present with its type', () => {
		expectTypeOf<QoraState<Todo>>().toHaveProperty('dataUpdatedAt').toEqualTypeOf<number>();
		expectTypeOf<QoraState<Todo>>().toHaveProperty('errorUpdatedAt').toEqualTypeOf<number>();
		expectTypeOf<QoraState<Todo>>().toHaveProperty('failureCount').toEqualTypeOf<number>();
		expectTypeOf<QoraState<Todo>>().toHaveProperty('failureReason').toEqualTypeOf<Error | null>();
		for (const flag of [
			'isStale',
			'isPending',
			'isSuccess',
			'isError',
			'isFetching',
			'isPaused',
			'isLoading',
			'isRefetching',
			'isLoadingError',
			'isRefetchError'
		] as const) {
			expectTypeOf<QoraState<Todo>[typeof flag]>().toEqualTypeOf<boolean>();
		}
	});

	it('snapshots are read-only', () => {
		const state = {} as QoraSuccessState<Todo>;
		// @ts-expect-error -- readonly
		state.status = 'error';
		// @ts-expect-error -- readonly
		state.data = { id: 2, title: 'x' };
	});

	it('the exhaustive helpers compile and return strings', () => {
		expectTypeOf(describeState).returns.toEqualTypeOf<string>();
		expectTypeOf(missingError).returns.toEqualTypeOf<string>();
		expectTypeOf(missingPending).returns.toEqualTypeOf<string>();
		expectTypeOf(withNeverCheck).returns.toEqualTypeOf<string>();
	});
});

describe('client types', () => {
	const client = new QoraClient();

	it('fetchQuery infers T from the fetcher', () => {
		expectTypeOf(client.fetchQuery({ key: ['todos'], fetcher: async () => [] as Todo[] })).toEqualTypeOf<Promise<Todo[]>>();
		expectTypeOf(client.fetchQuery({ key: ['n'], fetcher: () => 1 })).toEqualTypeOf<Promise<number>>();
		expectTypeOf(client.prefetchQuery({ key: ['n'], fetcher: () => 1 })).toEqualTypeOf<Promise<void>>();
	});

	it('watchQuery and observeQuery return stores of QoraState<T>', () => {
		expectTypeOf(client.watchQuery({ key: ['todos'], fetcher: async () => [] as Todo[] })).toEqualTypeOf<
			QoraReadable<QoraState<Todo[]>>
		>();
		expectTypeOf(client.observeQuery<Todo[]>(['todos'])).toEqualTypeOf<QoraReadable<QoraState<Todo[]>>>();
		expectTypeOf(client.getState<Todo[]>(['todos'])).toEqualTypeOf<QoraState<Todo[]> | undefined>();
		expectTypeOf(client.getQueryData<Todo[]>(['todos'])).toEqualTypeOf<Todo[] | undefined>();
	});

	it('options are typed: a typo or a wrong type does not compile', () => {
		// Type-checked only; never called (the runtime validation would throw, as other tests show).
		const typeOnly = () => {
			// @ts-expect-error -- unknown option
			void client.prefetchQuery({ key: ['k'], fetcher: () => 1, options: { stalTime: 1 } });
			// @ts-expect-error -- wrong type
			void client.prefetchQuery({ key: ['k'], fetcher: () => 1, options: { retry: 'often' } });
			// @ts-expect-error -- initialData must match the fetcher's type
			void client.prefetchQuery({ key: ['k'], fetcher: () => 1, options: { initialData: 'one' } });
		};
		expectTypeOf(typeOnly).toBeFunction();
	});

	it('initialData as a value of a narrower type (a typed summary) still narrows the data: the query\'s type argument refuses it', async () => {
		interface TodoSummary {
			id: number;
		}
		const fetcher = async (): Promise<Todo> => ({ id: 1, title: 'a' });
		const summary: TodoSummary = { id: 1 };
		// The value form takes part in inference (so options typed QoraOptions spread in): T is the common supertype.
		const narrowed = client.fetchQuery({ key: ['value-seed', 1], fetcher, options: { initialData: summary } });
		expectTypeOf(narrowed).toEqualTypeOf<Promise<TodoSummary>>();
		await narrowed;
		const typeOnly = () => {
			// @ts-expect-error -- given the data type, a summary lacks title
			void client.fetchQuery<Todo>({ key: ['value-seed', 2], fetcher, options: { initialData: summary } });
		};
		expectTypeOf(typeOnly).toBeFunction();
	});

	it('initialData as a function is typed by the fetcher: a narrower seed does not compile, instead of narrowing data', async () => {
		interface TodoSummary {
			id: number;
		}
		const fetcher = async (): Promise<Todo> => ({ id: 1, title: 'a' });
		const summaries = (): TodoSummary[] | undefined => client.getQueryData<TodoSummary[]>(['todo-summaries']);
		const typeOnly = () => {
			// @ts-expect-error -- a summary lacks title: it used to make the query's data TodoSummary
			void client.fetchQuery({ key: ['seeded', 1], fetcher, options: { initialData: () => summaries()?.[0] } });
			// An object literal as the value does not compile either.
			// @ts-expect-error -- likewise
			void client.fetchQuery({ key: ['seeded', 1], fetcher, options: { initialData: { id: 1 } } });
		};
		expectTypeOf(typeOnly).toBeFunction();
		// A seed of the fetcher's type, found in the cache: the data stays Todo.
		const seeded = client.fetchQuery({ key: ['seeded', 1], fetcher, options: { initialData: () => client.getQueryData<Todo[]>(['todos'])?.[0] } });
		expectTypeOf(seeded).toEqualTypeOf<Promise<Todo>>();
		expect(await seeded).toEqual({ id: 1, title: 'a' });
		// Shared options typed QoraOptions (any data) still spread into a typed query.
		const shared: QoraOptions = { staleTime: 1000 };
		const prefetched = client.prefetchQuery({ key: ['seeded', 2], fetcher, options: { ...shared, enabled: false } });
		expectTypeOf(prefetched).toEqualTypeOf<Promise<void>>();
		await prefetched;
	});

	it('keeps the fetcher\'s data type when shared options typed QoraOptions are given or spread in', async () => {
		const fetcher = async (): Promise<Todo> => ({ id: 1, title: 'a' });
		// App-wide settings reused by queries, typed with the exported options type.
		const shared: QoraOptions = { staleTime: 1000, retry: 1 };
		// Typed unknown (shared's initialData, unknown, took part in inference), so `$query.data.title` did not compile.
		const fetched = client.fetchQuery({ key: ['shared', 1], fetcher, options: { ...shared, enabled: false } });
		expectTypeOf(fetched).toEqualTypeOf<Promise<Todo>>();
		expectTypeOf(client.watchQuery({ key: ['shared', 1], fetcher, options: shared })).toEqualTypeOf<QoraReadable<QoraState<Todo>>>();
		expect((await fetched).title).toBe('a');
	});

	it('setQueryData takes data or an updater of the previous data', () => {
		client.setQueryData<number>(['n'], 1);
		client.setQueryData<number>(['n'], (previous) => {
			expectTypeOf(previous).toEqualTypeOf<number | undefined>();
			return (previous ?? 0) + 1;
		});
	});

	it('refuses an updater on a plain key whose parameter cannot be undefined, which it is when the key has no data', () => {
		const typeOnly = () => {
			// Compiled (the typed-key overload took the plain key with T = unknown) and wrote NaN.
			// @ts-expect-error -- previous is undefined when the key has no data
			client.setQueryData(['count'], (previous: number) => previous + 1);
			// Compiled and threw a TypeError ("list is not iterable") on a key without data.
			// @ts-expect-error -- likewise
			client.setQueryData(['todo-list'], (list: Todo[]) => [...list, { id: 2, title: 'b' }]);
			// The parameter typed with undefined, or the type argument, is the way.
			expectTypeOf(client.setQueryData(['count'], (previous: number | undefined) => (previous ?? 0) + 1)).toEqualTypeOf<number | undefined>();
			expectTypeOf(client.setQueryData<Todo[]>(['todo-list'], (list = []) => [...list, { id: 2, title: 'b' }])).toEqualTypeOf<Todo[] | undefined>();
		};
		expectTypeOf(typeOnly).toBeFunction();
		// What the first one did at run time on a key without data.
		const scratch = new QoraClient();
		scratch.setQueryData(['count'], ((previous: number) => previous + 1) as (previous: number | undefined) => number);
		expect(scratch.getQueryData(['count'])).toBeNaN();
		scratch.dispose();
	});

	it('setQueryData takes data that may be undefined with T given, which writes nothing then', () => {
		client.setQueryData<Todo[]>(['todos'], [{ id: 1, title: 'a' }]);
		const list = client.getQueryData<Todo[]>(['todos']);
		// Seeding a detail entry from the list: undefined (not in the list) leaves the entry alone.
		expectTypeOf(client.setQueryData<Todo>(['todo', 1], list?.find((todo) => todo.id === 1))).toEqualTypeOf<Todo | undefined>();
		expect(client.setQueryData<Todo>(['todo', 2], list?.find((todo) => todo.id === 2))).toBeUndefined();
		expect(client.getState(['todo', 2])).toBeUndefined();
		expect(client.getQueryData(['todo', 1])).toEqual({ id: 1, title: 'a' });
		// Inferred, T is the defined type.
		expectTypeOf(client.setQueryData(['todo', 1], list?.[0])).toEqualTypeOf<Todo | undefined>();
		client.dispose();
	});
});
