// Found by review (wt-revF): getState and getQueryData read a union of differently typed keys as the
// union of their types (04adc15), but the other reads did not: observeQuery and createQueryState (also
// given a store of such keys) refused the union with "Argument of type 'TypedKey<number> |
// TypedKey<Todo[]>' is not assignable to parameter of type 'KeyInput & KeyData<number>'". Both
// compiled before typed keys (a status bar or devtools panel over a list of configs). Checked by
// `npm run check`.
import { readable } from 'svelte/store';
import { expectTypeOf, it } from 'vitest';
import { QoraClient, type QoraState, type QueryConfig } from '../../src/lib/index.js';
import { createQueryState } from '../../src/lib/svelte/index.js';

type Todo = { id: number; title: string };

it('observeQuery and createQueryState read a union of typed keys as the union of their types', () => {
	const client = new QoraClient();
	const todosQuery: QueryConfig<Todo[]> = { key: ['todos'], fetcher: async () => [] };
	const countQuery: QueryConfig<number> = { key: ['count'], fetcher: async () => 1 };
	const typeOnly = () => {
		for (const query of [todosQuery, countQuery]) {
			expectTypeOf(client.observeQuery(query.key).subscribe).parameter(0).parameter(0).toEqualTypeOf<QoraState<Todo[] | number>>();
			const state = createQueryState(query.key, client);
			expectTypeOf(state.subscribe).parameter(0).parameter(0).toEqualTypeOf<QoraState<Todo[] | number>>();
		}
		const key = readable(Math.random() < 0.5 ? todosQuery.key : countQuery.key);
		expectTypeOf(createQueryState(key, client).subscribe).parameter(0).parameter(0).toEqualTypeOf<QoraState<Todo[] | number>>();
	};
	expectTypeOf(typeOnly).toBeFunction();
	client.dispose();
});
