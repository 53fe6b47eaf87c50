// Found by review (wt-revF): a type argument that is an array type, on a plain key, is taken as the
// *key's* type by the union overload (getQueryData<K extends KeyInput>), not as the data's type:
// TypeScript tries overloads first with the subtype relation, under which a plain array lacking the
// optional [dataOfKey] property is no subtype of KeyInput & KeyData<T>, so overload 1 is skipped and
// overload 2 matched with K = string[]. `getQueryData<string[]>(['tags'])` was then `unknown`, where
// before typed keys (and for getQueryData<Todo>) it is `string[] | undefined`; overload 2's key is
// now `K & KeyData<unknown>`, which the subtype pass skips too. Checked by `npm run check`.
import { expectTypeOf, it } from 'vitest';
import { QoraClient, type QoraState } from '../../src/lib/index.js';

it('an array type argument on a plain key types the data, as before typed keys', () => {
	const client = new QoraClient();
	const stored: string[] = ['tags'];
	expectTypeOf(client.getQueryData<string[]>(['tags'])).toEqualTypeOf<string[] | undefined>();
	expectTypeOf(client.getQueryData<string[]>(stored)).toEqualTypeOf<string[] | undefined>();
	expectTypeOf(client.getQueryData<readonly string[]>(['tags'])).toEqualTypeOf<readonly string[] | undefined>();
	expectTypeOf(client.getQueryData<unknown[]>(['tags'])).toEqualTypeOf<unknown[] | undefined>();
	expectTypeOf(client.getState<string[]>(['tags'])).toEqualTypeOf<QoraState<string[]> | undefined>();
	client.dispose();
});
