// Found by review: an explicit type argument on setQueryData bypassed a typed key's check (the
// plain-key overload took it), while getQueryData<string>(todosKey) was refused. A stale type
// argument left from the old recipe (`setQueryData<Todo[]>(todosQuery.key, …)`) after the config's
// type changed would write the wrong data with no error. Checked by `npm run check`.
import { expectTypeOf, it } from 'vitest';
import { QoraClient, type QueryConfig } from '../../src/lib/index.js';

type Todo = { id: number; title: string };

it('a type argument that disagrees with a typed key is refused by setQueryData as by getQueryData', () => {
	const client = new QoraClient();
	const todosKey: QueryConfig<Todo[]>['key'] = ['todos'];
	const typeOnly = () => {
		// @ts-expect-error -- the key holds Todo[]
		client.getQueryData<string>(todosKey);
		// @ts-expect-error -- the type argument may not replace the key's type
		client.setQueryData<string>(todosKey, 'x');
		// @ts-expect-error -- nor with an updater
		client.setQueryData<number>(todosKey, (n) => (n ?? 0) + 1);
		// Accepted: a type argument wider than the key's type (Todo[] | string) is the caller's own
		// assertion; the key's type fits it, as a Todo[] fits Todo[] | string.
		client.setQueryData<Todo[] | string>(todosKey, 'x');
	};
	expectTypeOf(typeOnly).toBeFunction();
	client.dispose();
});
