// Found by review: setQueryData with a key of a generic type parameter (K extends KeyInput, a
// helper over any key; K extends QueryConfig<number>['key'], a helper over typed keys) compiles, as
// it did before typed keys, and a key generic over typed keys still types the updater.
// Checked by `npm run check`.
import { expectTypeOf, it } from 'vitest';
import { QoraClient, type KeyInput, type QueryConfig, type QueryKeyInput } from '../../src/lib/index.js';

const client = new QoraClient();

// An app helper: write to a key of any type (a plain-key write, as before).
function writeAll<K extends KeyInput>(keys: readonly K[], data: number) {
	for (const key of keys) client.setQueryData(key, data);
}
function bump<K extends QueryKeyInput>(key: K) {
	return client.setQueryData(key, (n: number | undefined) => (n ?? 0) + 1);
}
// Also a key generic over typed keys: the helper a library of typed keys would write.
function increment<K extends QueryConfig<number>['key']>(key: K) {
	return client.setQueryData(key, (n) => {
		expectTypeOf(n).toEqualTypeOf<number | undefined>();
		return (n ?? 0) + 1;
	});
}
function readBack<K extends KeyInput>(key: K) {
	return client.getQueryData(key); // compiles
}

it('a generic key type parameter reaches setQueryData', () => {
	expectTypeOf(writeAll).toBeFunction();
	expectTypeOf(bump).toBeFunction();
	expectTypeOf(increment).toBeFunction();
	expectTypeOf(readBack).toBeFunction();
});
