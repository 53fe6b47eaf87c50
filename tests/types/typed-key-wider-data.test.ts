// A typed key's writes are checked against the key's type, also when the data's type is wider
// (found by dogfooding: T was inferred from the key and the data, TypeScript picked the wider
// candidate, and the key still fitted, so a typo'd optimistic item or a `number | string`
// compiled and getQueryData(key) then promised the narrow type). Enforced by `npm run check`.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { QoraClient, type QoraState, type QueryConfig } from '../../src/lib/index.js';

type Todo = { id: number; title: string; done: boolean };

describe('a typed key refuses written data of a wider type', () => {
	it('setQueryData and restoreQueryData check the data against the key, not the key against the data', () => {
		const client = new QoraClient();
		const listKey: QueryConfig<Todo[]>['key'] = ['todos'];
		const countKey: QueryConfig<number>['key'] = ['count'];
		const list: Todo[] = [];
		const numberOrString = 1 as number | string;
		const typeOnly = () => {
			// The README's optimistic recipe with a typo'd item: `done` is a string.
			// @ts-expect-error -- the key holds Todo[]
			client.setQueryData(listKey, [...list, { id: -1, title: 'x', done: 'nope' }]);
			// @ts-expect-error -- the key holds a number, the value may be a string
			client.setQueryData(countKey, numberOrString);
			// @ts-expect-error -- an updater returning a wider type
			client.setQueryData(countKey, (n) => (n === undefined ? 'none' : n));
			// @ts-expect-error -- a snapshot of a wider type
			client.restoreQueryData(countKey, client.getState<number | string>(['other']));
		};
		expectTypeOf(typeOnly).toBeFunction();
		// Narrower data, the key's own snapshots and updaters still fit.
		const written = client.setQueryData(countKey, (n) => (n ?? 0) + 1);
		expectTypeOf(written).toEqualTypeOf<number | undefined>();
		expect(written).toBe(1);
		client.restoreQueryData(countKey, client.getState(countKey));
		expect(client.getQueryData(countKey)).toBe(1);
		client.dispose();
	});

	it('a plain key still takes its type from the data or the type argument', () => {
		const client = new QoraClient();
		const data = { id: 1 } as { id: number } | null;
		expectTypeOf(client.setQueryData(['plain'], data)).toEqualTypeOf<{ id: number } | null | undefined>();
		expectTypeOf(client.setQueryData(['plain'], (previous: number | undefined) => (previous ?? 0) + 1)).toEqualTypeOf<number | undefined>();
		expectTypeOf(client.setQueryData<string>(['other'], 'x')).toEqualTypeOf<string | undefined>();
		const typeOnly = () => {
			// @ts-expect-error -- the type argument decides
			client.setQueryData<string>(['other'], 1);
		};
		expectTypeOf(typeOnly).toBeFunction();
		expect(client.getQueryData(['other'])).toBe('x');
		client.dispose();
	});

	it('a config pairing a typed key with a fetcher of a wider type is typed by the wider type (the README says so)', () => {
		const client = new QoraClient();
		const countKey: QueryConfig<number>['key'] = ['count'];
		const store = client.watchQuery({ key: countKey, fetcher: async () => 1 as number | null });
		// The store says what the fetcher may bring; reads through countKey do not: give such a
		// config its own QueryConfig<number | null>.
		expectTypeOf(store.subscribe).parameter(0).parameter(0).toEqualTypeOf<QoraState<number | null>>();
		expectTypeOf(client.getQueryData(countKey)).toEqualTypeOf<number | undefined>();
		client.dispose();
	});
});
