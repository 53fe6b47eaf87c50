// Compile-time checks of the public API's types (enforced by `npm run check`, which type-checks
// tests/), each with the run-time behaviour the type describes.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { QoraClient, QoraKey, dehydrate, hydrate, type DehydratedState, type KeyInput, type KeyData, type QoraState, type QueryConfig, type QueryKeyInput, type TypedKey } from '../../src/lib/index.js';
import { createMutation, createQuery, createQueryState } from '../../src/lib/svelte/index.js';

type Row = { id: number };
/** A thenable query builder, as database SDKs return from a chained call. */
class QueryBuilder implements PromiseLike<Row[]> {
	eq(_column: string, _value: unknown): this {
		return this;
	}
	then<A = Row[], B = never>(ok?: ((value: Row[]) => A | PromiseLike<A>) | null, fail?: ((reason: unknown) => B | PromiseLike<B>) | null): PromiseLike<A | B> {
		return Promise.resolve([{ id: 1 }]).then(ok, fail);
	}
}
const rows = () => new QueryBuilder();

describe('a fetcher or mutationFn that returns a thenable', () => {
	it('types the data as what the thenable resolves to, which is what the cache holds', async () => {
		const client = new QoraClient();
		const fetched = client.fetchQuery({ key: ['rows'], fetcher: () => rows().eq('a', 1) });
		expectTypeOf(fetched).toEqualTypeOf<Promise<Row[]>>();
		expect(await fetched).toEqual([{ id: 1 }]);
		expectTypeOf(client.watchQuery({ key: ['rows'], fetcher: () => rows() }).subscribe).parameter(0).parameter(0).toEqualTypeOf<QoraState<Row[]>>();
		const query = () => createQuery({ key: ['rows'], fetcher: () => rows() }, client);
		expectTypeOf<ReturnType<typeof query>['subscribe']>().parameter(0).parameter(0).toEqualTypeOf<QoraState<Row[]>>();
		const mutation = createMutation({ mutationFn: (id: number) => rows().eq('id', id) }, client);
		const saved = mutation.mutateAsync(1);
		expectTypeOf(saved).toEqualTypeOf<Promise<Row[]>>();
		expect(await saved).toEqual([{ id: 1 }]);
		client.dispose();
	});
});

describe('query keys', () => {
	it('a query config refuses a key part that may be undefined, which would throw even with enabled: false', () => {
		const client = new QoraClient();
		const id = undefined as string | undefined;
		const typeOnly = () => {
			// @ts-expect-error -- the README's pitfall: ['todo', id] before id is known
			client.watchQuery({ key: ['todo', id], fetcher: () => 1, options: { enabled: id !== undefined } });
			// @ts-expect-error -- the same through createQuery
			createQuery({ key: ['todo', id], fetcher: () => 1 }, client);
			client.watchQuery({ key: ['todo', id ?? null], fetcher: () => 1 }); // the README's way
		};
		expectTypeOf(typeOnly).toBeFunction();
		expect(() => client.watchQuery({ key: ['todo', id] as QueryKeyInput, fetcher: () => 1, options: { enabled: false } })).toThrow(/undefined/);
		// Reading APIs take any array, as a key stored as unknown[] is.
		const stored: unknown[] = ['todo', 1];
		expect(client.getQueryData(stored)).toBeUndefined();
		client.dispose();
	});

	it('keeps a bigint id out of a query config’s key at compile time, as it keeps undefined out: both throw at run time', () => {
		// A database's bigint id (Prisma's BigInt, a driver's int8): the query throws when it is created, so a
		// page that renders it fails on the server with a 500.
		const client = new QoraClient();
		const id = 7n;
		const typeOnly = () => {
			// @ts-expect-error -- JSON cannot represent a bigint: write String(id)
			client.watchQuery({ key: ['post', id], fetcher: () => 1 });
			// @ts-expect-error -- the same through createQuery
			createQuery({ key: ['post', id], fetcher: () => 1 }, client);
			// @ts-expect-error -- and through a QoraKey
			createQuery({ key: new QoraKey(['post', id]), fetcher: () => 1 }, client);
			// @ts-expect-error -- nor a symbol
			client.watchQuery({ key: ['post', Symbol('id')], fetcher: () => 1 });
			client.watchQuery({ key: ['post', String(id)], fetcher: () => 1 }); // the way
		};
		expectTypeOf(typeOnly).toBeFunction();
		expect(() => client.watchQuery({ key: ['post', id] as unknown[] as QueryKeyInput, fetcher: () => 1 })).toThrow(/key\[1\] is a bigint/);
		client.dispose();
	});

	it('a QoraKey refuses a part that may be undefined too, which would let such a key into a query config', () => {
		const client = new QoraClient();
		const id = undefined as string | undefined;
		const typeOnly = () => {
			// @ts-expect-error -- the constructor throws for it, before enabled: false is read
			client.watchQuery({ key: new QoraKey(['todo', id]), fetcher: () => 1, options: { enabled: false } });
			// @ts-expect-error -- the same through from
			createQuery({ key: QoraKey.from(['todo', id]), fetcher: () => 1 }, client);
			createQuery({ key: new QoraKey(['todo', id ?? null]), fetcher: () => 1 }, client);
		};
		expectTypeOf(typeOnly).toBeFunction();
		expect(() => new QoraKey(['todo', id] as QueryKeyInput as never)).toThrow(/undefined/);
		expect(QoraKey.from(client.keys()[0] ?? ['todos']).parts).toEqual(['todos']); // normalized parts go back in
		client.dispose();
	});

	it('a mutation key refuses a part that may be undefined, which throws when the mutation is created', () => {
		const client = new QoraClient();
		const id = undefined as string | undefined;
		const typeOnly = () => {
			// @ts-expect-error -- createMutation validates its key at once: a draft's id not known yet throws
			createMutation({ key: ['todo', id, 'save'], mutationFn: async () => 1 }, client);
			createMutation({ key: ['todo', id ?? null, 'save'], mutationFn: async () => 1 }, client);
		};
		expectTypeOf(typeOnly).toBeFunction();
		expect(() => createMutation({ key: ['todo', id, 'save'] as unknown[] as QueryKeyInput, mutationFn: async () => 1 }, client)).toThrow(/undefined/);
		client.dispose();
	});

	it('QoraKey helpers take objects typed by an interface', () => {
		interface TodoFilters {
			done: boolean;
			page: number;
		}
		const filters: TodoFilters = { done: false, page: 2 };
		expect(QoraKey.withFilter('todos', filters).parts).toEqual(['todos', { done: false, page: 2 }]);
		expect(QoraKey.single(filters).parts).toEqual([{ done: false, page: 2 }]);
	});
});

describe('a query config types its key', () => {
	type Todo = { id: number; title: string };
	const todoQuery = (id: number): QueryConfig<Todo> => ({ key: ['todo', id], fetcher: async () => ({ id, title: `todo ${id}` }) });

	it('types reads and writes of the key with the config\'s data, with no type argument', async () => {
		const client = new QoraClient();
		const { key } = todoQuery(1);
		await client.fetchQuery(todoQuery(1));
		const data = client.getQueryData(key);
		expectTypeOf(data).toEqualTypeOf<Todo | undefined>();
		expect(data).toEqual({ id: 1, title: 'todo 1' });
		const snapshot = client.getState(key);
		expectTypeOf(snapshot).toEqualTypeOf<QoraState<Todo> | undefined>();
		const written = client.setQueryData(key, (todo) => todo && { ...todo, title: 'renamed' });
		expectTypeOf(written).toEqualTypeOf<Todo | undefined>();
		expect(client.getQueryData(key)?.title).toBe('renamed');
		client.restoreQueryData(key, snapshot);
		expect(client.getQueryData(key)?.title).toBe('todo 1');
		expectTypeOf(client.observeQuery(key).subscribe).parameter(0).parameter(0).toEqualTypeOf<QoraState<Todo>>();
		const state = () => createQueryState(key, client);
		expectTypeOf<ReturnType<typeof state>['subscribe']>().parameter(0).parameter(0).toEqualTypeOf<QoraState<Todo>>();
		client.dispose();
	});

	it('refuses data of another type for a typed key, and a fetcher of another type with it', () => {
		const client = new QoraClient();
		const { key } = todoQuery(1);
		const typeOnly = () => {
			// @ts-expect-error -- the key holds a Todo
			client.setQueryData(key, { id: 1 });
			// @ts-expect-error -- the updater gets and returns a Todo
			client.setQueryData(key, (todo: string | undefined) => todo);
			// @ts-expect-error -- a snapshot of another key's type
			client.restoreQueryData(key, client.getState<string>(['other']));
			// @ts-expect-error -- a fetcher of another type under the same key
			client.watchQuery({ key, fetcher: async () => 'a string' });
			// @ts-expect-error -- the same through createQuery
			createQuery({ key, fetcher: async () => 42 }, client);
		};
		expectTypeOf(typeOnly).toBeFunction();
		client.dispose();
	});

	it('leaves a plain key untyped (unknown, or the type argument given), as before', () => {
		const client = new QoraClient();
		client.setQueryData(['plain'], 1);
		const stored: unknown[] = ['plain'];
		expectTypeOf(client.getQueryData(stored)).toEqualTypeOf<unknown>();
		expectTypeOf(client.getQueryData(['plain'])).toEqualTypeOf<unknown>();
		expectTypeOf(client.getQueryData<number>(['plain'])).toEqualTypeOf<number | undefined>();
		expect(client.getQueryData<number>(['plain'])).toBe(1);
		// A plain key is still a key of any config, and a typed key is still a KeyInput.
		const config: QueryConfig<number> = { key: stored as QueryKeyInput, fetcher: () => 1 };
		const asInput: KeyInput = todoQuery(1).key;
		expect(asInput).toEqual(['todo', 1]);
		expectTypeOf(config.key).toEqualTypeOf<QueryKeyInput & KeyData<number>>();
		client.dispose();
	});

	it('types a key declared on its own through the config type, QoraKey included', () => {
		const client = new QoraClient();
		expectTypeOf<TypedKey<Todo[]>>().toEqualTypeOf<QueryConfig<Todo[]>['key']>();
		const listKey: TypedKey<Todo[]> = ['todos'];
		const byId: QueryConfig<Todo>['key'] = QoraKey.withId('todo', 7);
		client.setQueryData(listKey, [{ id: 7, title: 'a' }]);
		client.setQueryData(byId, { id: 7, title: 'a' });
		expectTypeOf(client.getQueryData(listKey)).toEqualTypeOf<Todo[] | undefined>();
		expectTypeOf(client.getQueryData(byId)).toEqualTypeOf<Todo | undefined>();
		expect(client.getQueryData(byId)).toEqual({ id: 7, title: 'a' });
		// The type lives only in the types: the key is the array or QoraKey it was.
		expect(Object.getOwnPropertySymbols(listKey)).toEqual([]);
		client.dispose();
	});

	it('keeps a typed key’s data type when QoraKey.from makes a QoraKey of it (the hot-key recipe)', () => {
		const client = new QoraClient();
		const key = QoraKey.from(todoQuery(7).key);
		client.setQueryData(key, { id: 7, title: 'a' });
		expectTypeOf(client.getQueryData(key)).toEqualTypeOf<Todo | undefined>();
		expectTypeOf(client.getState(key)).toEqualTypeOf<QoraState<Todo> | undefined>();
		const typeOnly = () => {
			// @ts-expect-error -- the key holds a Todo, as the config's key it came from does
			client.setQueryData(key, { id: 7 });
			// @ts-expect-error -- a fetcher of another type under the same key
			client.watchQuery({ key, fetcher: async () => 'a string' });
		};
		expectTypeOf(typeOnly).toBeFunction();
		// A plain key stays plain: the type argument (or the data) types it, as before.
		const plain = QoraKey.from(['plain']);
		client.setQueryData<number>(plain, 1);
		expectTypeOf(client.getQueryData(plain)).toEqualTypeOf<unknown>();
		expect(client.getQueryData(key)).toEqual({ id: 7, title: 'a' });
		expect(client.getQueryData(plain)).toBe(1);
		client.dispose();
	});
});

describe('hydrate', () => {
	it('does not compile with a payload still on its way (a streamed qoraState not awaited)', async () => {
		const server = new QoraClient();
		server.setQueryData(['posts'], [1, 2]);
		const streamed: Promise<DehydratedState> = Promise.resolve(dehydrate(server));
		const browser = new QoraClient();
		// @ts-expect-error -- await it first
		const typeOnly = () => hydrate(browser, streamed);
		expectTypeOf(typeOnly).toBeFunction();
		expect(() => hydrate(browser, streamed as unknown)).toThrow(/invalid payload/);
		hydrate(browser, await streamed);
		hydrate(browser, JSON.parse('{"version":1,"entries":[]}')); // parsed JSON, untyped: checked when applied
		expect(browser.getQueryData(['posts'])).toEqual([1, 2]);
	});

	it('does not compile with a payload that may be undefined or null (a qoraState some loads leave out), which throws', () => {
		const browser = new QoraClient();
		const data = {} as { qoraState?: DehydratedState };
		const typeOnly = () => {
			// @ts-expect-error -- hydrate(client, undefined) throws: check it first
			hydrate(browser, data.qoraState);
			// @ts-expect-error -- the same for null
			hydrate(browser, null as DehydratedState | null);
			if (data.qoraState) hydrate(browser, data.qoraState);
		};
		expectTypeOf(typeOnly).toBeFunction();
		expect(() => hydrate(browser, data.qoraState as unknown)).toThrow(/not an object/);
		expect(() => hydrate(browser, null as unknown)).toThrow(/not an object/);
		browser.dispose();
	});
});
