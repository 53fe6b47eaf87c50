// Found by review, minor: a key typed `any` (untyped JS, a key read from an `any` value) takes the
// plain-key overload: setQueryData(anyKey, todos) returns Todo[] | undefined, as before typed keys.
// Checked by `npm run check`.
import { expectTypeOf, it } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';

type Todo = { id: number; title: string };

it('a key typed any is a plain key: setQueryData takes its type from the data', () => {
	const client = new QoraClient();
	const anyKey: any = ['todos'];
	const todos: Todo[] = [];
	expectTypeOf(client.setQueryData(anyKey, todos)).toEqualTypeOf<Todo[] | undefined>();
	client.dispose();
});
