// Found by review: a union of keys typed by different data types. Reads give the union of their
// types (they compiled before typed keys, and iterating a list of configs is common, e.g. a status
// bar over several queries); a write through such a union, or through a typed key mixed with a plain
// array, is refused unless the data fits the typed key. Checked by `npm run check`.
import { expectTypeOf, it } from 'vitest';
import { QoraClient, type QueryConfig } from '../../src/lib/index.js';

type Todo = { id: number; title: string };

it('reads through a union of typed keys give the union of their types; writes are checked', () => {
	const client = new QoraClient();
	const todosQuery: QueryConfig<Todo[]> = { key: ['todos'], fetcher: async () => [] };
	const countQuery: QueryConfig<number> = { key: ['count'], fetcher: async () => 1 };
	for (const query of [todosQuery, countQuery]) {
		// Today: "Argument of type '(QueryKeyInput & KeyData<number>) | (QueryKeyInput & KeyData<Todo[]>)'
		// is not assignable to parameter of type 'KeyInput & KeyData<number>'".
		expectTypeOf(client.getState(query.key)?.isStale).toEqualTypeOf<boolean | undefined>();
		expectTypeOf(client.getQueryData(query.key)).toEqualTypeOf<Todo[] | number | undefined>();
	}
	const key = Math.random() < 0.5 ? todosQuery.key : countQuery.key;
	const mixed = Math.random() < 0.5 ? todosQuery.key : ['todos', 'draft'];
	const typeOnly = () => {
		// @ts-expect-error -- compiles today: 5 is not a Todo[], and key may be todosQuery's
		client.setQueryData(key, 5);
		// @ts-expect-error -- compiles today: the plain overload takes anything
		client.setQueryData(mixed, 5);
	};
	expectTypeOf(typeOnly).toBeFunction();
	client.dispose();
});
