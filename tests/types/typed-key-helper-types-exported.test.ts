// Found by review: the types in setQueryData's and getQueryData's declarations must be exported
// from the package entry. Otherwise a consumer library that emits declarations for a wrapper
// (`export const write = client.setQueryData.bind(client)`, or a helper generic over typed keys)
// gets `import("../node_modules/qora/dist/core/key.js")…` in its .d.ts, a deep path into the
// installed package, and users cannot name them. Checked by `npm run check`.
import { expectTypeOf, it } from 'vitest';
import type { DataOfKey, DataWrite, QueryConfig } from '../../src/lib/index.js';

it('the types in the key-typed signatures are exported from the package entry', () => {
	expectTypeOf<DataOfKey<QueryConfig<number>['key']>>().toEqualTypeOf<number>();
	expectTypeOf<DataOfKey<QueryConfig<number>['key'] | QueryConfig<string>['key']>>().toEqualTypeOf<number | string>();
	expectTypeOf<DataOfKey<string[]>>().toEqualTypeOf<unknown>();
	expectTypeOf<DataWrite<number>>().toEqualTypeOf<number | undefined | ((previous: number | undefined) => number | undefined)>();
});
