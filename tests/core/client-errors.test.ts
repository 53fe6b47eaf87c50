/** Bad input, throwing fetchers and throwing listeners. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, type KeyInput, type QoraState, type QueryConfig, type QueryKeyInput } from '../../src/lib/index.js';
import { advance, flush, record, useFakeTime } from './helpers.js';
import { unhandledRejectionsDuring } from '../ssr/unhandled-rejections.js';

beforeEach(useFakeTime);
afterEach(() => {
	vi.restoreAllMocks();
	vi.useRealTimers();
});

class Money {
	constructor(readonly cents: number) {}
}

const badKeys: [string, unknown][] = [
	['a string', 'todos'],
	['undefined', undefined],
	['an object', { key: 'todos' }],
	['a function part', ['todos', () => 1]],
	['a symbol part', ['todos', Symbol('x')]],
	['a bigint part', ['todos', 1n]],
	['an undefined element', ['todos', undefined]],
	['NaN', ['todos', NaN]],
	['Infinity', ['todos', { page: Infinity }]],
	['a class instance', ['todos', { price: new Money(1) }]],
	['a Date', ['todos', { filter: { since: new Date(0) } }]],
	['a Map', ['todos', new Map()]]
];

const fetcher = async () => 'x';
const snapshotLike = {
	status: 'success',
	data: 1,
	error: null,
	dataUpdatedAt: 1,
	errorUpdatedAt: 0,
	failureCount: 0,
	failureReason: null,
	isInvalidated: false
} as unknown as QoraState<number>;
const apis: [string, (client: QoraClient, key: QueryKeyInput) => unknown][] = [
	['fetchQuery', (c, key) => c.fetchQuery({ key, fetcher })],
	['prefetchQuery', (c, key) => c.prefetchQuery({ key, fetcher })],
	['watchQuery', (c, key) => c.watchQuery({ key, fetcher })],
	['observeQuery', (c, key) => c.observeQuery(key)],
	['getState', (c, key) => c.getState(key)],
	['getQueryData', (c, key) => c.getQueryData(key)],
	['setQueryData', (c, key) => c.setQueryData(key, 1)],
	['restoreQueryData', (c, key) => c.restoreQueryData(key, snapshotLike)],
	['restoreQueryData(undefined)', (c, key) => c.restoreQueryData(key, undefined)],
	['invalidate', (c, key) => c.invalidate(key)],
	['invalidateWhere(prefix)', (c, key) => c.invalidateWhere(key)],
	['cancel', (c, key) => c.cancel(key)],
	['remove', (c, key) => c.remove(key)]
];

describe('bad keys throw a TypeError at the call, at every API', () => {
	for (const [api, call] of apis) {
		it(api, () => {
			const client = new QoraClient();
			client.setQueryData(['existing'], 'kept');
			for (const [name, key] of badKeys) {
				let thrown: unknown;
				try {
					call(client, key as QueryKeyInput);
				} catch (error) {
					thrown = error;
				}
				expect(thrown, `${api} with ${name}`).toBeInstanceOf(TypeError);
			}
			expect(client.keys()).toEqual([['existing']]);
			expect(client.getQueryData(['existing'])).toBe('kept');
		});
	}

	// Reading a key again skips validating it when it equals the key found last: a bad key that
	// looks like that one (a Date where it has {}, a string of its parts) must still be caught.
	for (const [api, call] of apis) {
		it(`${api}, with a bad key shaped like the key read just before`, () => {
			const client = new QoraClient();
			client.setQueryData(['todos', { since: {} }], 'kept');
			client.setQueryData(['t', 'o', 'd', 'o', 's'], 'letters');
			for (const [readBefore, key, message] of [
				[['todos', { since: {} }], ['todos', { since: new Date(0) }], /key\[1\]\.since/],
				[['t', 'o', 'd', 'o', 's'], 'todos', /expected an array/]
			] as const) {
				expect(client.getQueryData(readBefore as unknown as QueryKeyInput)).not.toBeUndefined();
				expect(() => call(client, key as QueryKeyInput), `${api} with ${String(key)}`).toThrow(message);
			}
			expect(client.getQueryData(['todos', { since: {} }])).toBe('kept');
			expect(client.size).toBe(2);
		});
	}

	it('a key over the part budget only through undefined properties is refused, also right after its valid twin was read', () => {
		const client = new QoraClient();
		const stored = ['k', ...Array.from({ length: 100 }, () => ({ a: 1 }))];
		client.setQueryData(stored, 'x');
		const wide: Record<string, unknown> = { a: 1 };
		for (let i = 0; i < 10_000; i++) wide[`u${i}`] = undefined;
		// 100 appearances of one object with 10,001 names: over the 1,000,000 parts a key may have.
		const bad = ['k', ...Array.from({ length: 100 }, () => wide)];
		expect(() => client.getQueryData(bad)).toThrow(/more than 1000000 parts/);
		expect(client.getQueryData(stored)).toBe('x'); // the entry found last
		expect(() => client.getQueryData(bad)).toThrow(/more than 1000000 parts/);
		expect(() => client.watchQuery({ key: bad, fetcher })).toThrow(/more than 1000000 parts/);
	});

	it('the message names the path of the bad part', () => {
		const client = new QoraClient();
		expect(() => client.fetchQuery({ key: ['todos', { filter: { since: new Date(0) } }], fetcher })).toThrow(
			/key\[1\]\.filter\.since/
		);
	});
});

describe('bad query configs throw a TypeError at the call', () => {
	const configs: [string, unknown][] = [
		['null', null],
		['a string', 'todos'],
		['no fetcher', { key: ['k'] }],
		['a fetcher that is not a function', { key: ['k'], fetcher: 'GET /todos' }],
		['options that are not an object', { key: ['k'], fetcher, options: 5 }]
	];
	for (const [name, config] of configs) {
		it(name, () => {
			const client = new QoraClient();
			const as = config as QueryConfig<string>;
			expect(() => client.fetchQuery(as)).toThrow(TypeError);
			expect(() => client.prefetchQuery(as)).toThrow(TypeError);
			expect(() => client.watchQuery(as)).toThrow(TypeError);
			expect(client.size).toBe(0);
		});
	}
});


describe('a query config that is not an object', () => {
	it('is told the shape a config has, naming the call', () => {
		const client = new QoraClient();
		expect(() => client.watchQuery(null as never)).toThrow(/^watchQuery: expected \{ key, fetcher, options\? \}, got null$/);
		expect(() => client.fetchQuery('todos' as never)).toThrow(/^fetchQuery: expected \{ key, fetcher, options\? \}, got string$/);
		expect(client.size).toBe(0);
	});
});

describe('a key passed where the config goes (the positional fetchQuery(key, fetcher) of other libraries)', () => {
	it('is told the shape a config has, not that field "0" is unknown or that the fetcher is missing', () => {
		const client = new QoraClient();
		expect(() => client.fetchQuery(['todos'] as never)).toThrow(/^fetchQuery: expected \{ key, fetcher, options\? \}, got an array$/);
		expect(() => client.prefetchQuery([] as never)).toThrow(/^prefetchQuery: expected \{ key, fetcher, options\? \}, got an array$/);
		expect(() => client.watchQuery(['todos', 1] as never)).toThrow(/^watchQuery: expected \{ key, fetcher, options\? \}, got an array$/);
		expect(client.size).toBe(0);
	});
});

describe('a query config with a field besides key, fetcher and options is rejected, not silently ignored', () => {
	it('a query option at the top level is told to go in options', () => {
		const client = new QoraClient();
		const flat = { key: ['k'], fetcher, staleTime: 0 } as QueryConfig<string>;
		expect(() => client.watchQuery(flat)).toThrow(/watchQuery: unknown field "staleTime"; query options go in options: \{ staleTime \}/);
		expect(() => client.fetchQuery(flat)).toThrow(/fetchQuery: unknown field "staleTime"/);
		expect(() => client.prefetchQuery({ ...flat, staleTime: undefined } as QueryConfig<string>)).toThrow(/unknown field "staleTime"/);
		expect(client.size).toBe(0);
	});

	it('a per-query option (initialData) at the top level is told to go in options too', () => {
		const client = new QoraClient();
		expect(() => client.watchQuery({ key: ['k'], fetcher, initialData: 'seed' } as QueryConfig<string>)).toThrow(
			/^watchQuery: unknown field "initialData"; query options go in options: \{ initialData \}$/
		);
	});

	it('an option by its TanStack name at the top level is told its name and where it goes', () => {
		const client = new QoraClient();
		expect(() => client.watchQuery({ key: ['k'], fetcher, refetchOnWindowFocus: false } as QueryConfig<string>)).toThrow(
			/unknown field "refetchOnWindowFocus"; query options go in options: \{ refetchOnFocus \}/
		);
		expect(() => new QoraClient({ cacheTime: 1 } as never)).toThrow(/unknown field "cacheTime"; query options go in defaultOptions: \{ gcTime \}/);
		// initialData is per query: defaultOptions is no place for it either.
		expect(() => new QoraClient({ initialData: 1 } as never)).toThrow(/unknown field "initialData"$/);
	});

	it('a misspelt field gets a "did you mean"', () => {
		const client = new QoraClient();
		expect(() => client.watchQuery({ key: ['k'], fetcher, option: { enabled: false } } as QueryConfig<string>)).toThrow(
			/unknown field "option"; did you mean "options"\?/
		);
		expect(() => client.watchQuery({ queryKey: ['k'], key: ['k'], fetcher } as QueryConfig<string>)).toThrow(/unknown field "queryKey"; did you mean "key"\?/);
	});
});

describe('bad client settings throw a TypeError at construction', () => {
	const make = (config: unknown) => () => new QoraClient(config as ConstructorParameters<typeof QoraClient>[0]);

	it('a query option at the top level is named, with where it belongs', () => {
		expect(make({ staleTime: 60_000 })).toThrow(/unknown field "staleTime"; query options go in defaultOptions: \{ staleTime \}/);
	});

	it('a misspelt setting gets a "did you mean"', () => {
		expect(make({ defaultOption: { staleTime: 1 } })).toThrow(/unknown field "defaultOption"; did you mean "defaultOptions"\?/);
		expect(make({ onerror: () => {} })).toThrow(/did you mean "onError"/);
		expect(make({ queryCache: {} })).toThrow(/unknown field "queryCache"$/);
	});

	it('a clock, source or onError of the wrong shape fails at construction', () => {
		expect(make({ clock: { setTimeout, clearTimeout } })).toThrow(TypeError);
		expect(make({ focus: {} })).toThrow(TypeError);
		expect(make({ online: { subscribe: () => () => {} } })).toThrow(TypeError);
		expect(make({ onError: 'log' })).toThrow(/"onError" must be a function/);
		expect(make({ onQueryError: true })).toThrow(/^new QoraClient\(config\): "onQueryError" must be a function$/);
		expect(make({ onQueryErorr: () => {} })).toThrow(/did you mean "onQueryError"/);
	});

	it('a config that is not an object is told it must be one, or be omitted', () => {
		expect(make(null)).toThrow(/^new QoraClient\(config\): config must be an object or omitted$/);
		expect(make(5)).toThrow(/^new QoraClient\(config\): config must be an object or omitted$/);
	});

	it('settings given as undefined are the defaults', () => {
		const client = new QoraClient({ clock: undefined, focus: undefined, online: undefined, onError: undefined, defaultOptions: undefined });
		expect(client.isOnline()).toBe(true);
	});
});
describe('a fetcher that throws synchronously', () => {
	it('is treated like a rejected promise: fetchQuery rejects instead of throwing', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		let result: Promise<string> | undefined;
		expect(() => {
			result = client.fetchQuery<string>({
				key: ['k'],
				fetcher: () => {
					throw new Error('sync');
				}
			});
		}).not.toThrow();
		await expect(result).rejects.toThrow('sync');
		expect(client.getState(['k'])).toMatchObject({ status: 'error', fetchStatus: 'idle', failureCount: 1 });
	});

	it('is retried like a rejection', async () => {
		const client = new QoraClient();
		let calls = 0;
		const watcher = record(
			client.watchQuery({
				key: ['k'],
				fetcher: () => {
					if (++calls < 3) throw new Error(`sync ${calls}`);
					return 'ok';
				}
			})
		);
		await advance(3000);
		expect(calls).toBe(3);
		expect(watcher.states.map((s) => s.failureCount)).toEqual([0, 1, 2, 0]);
		expect(watcher.last.data).toBe('ok');
	});

	it('a thrown non-Error is wrapped in an Error in the state', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		await client.prefetchQuery({
			key: ['k'],
			fetcher: () => {
				throw 'plain';
			}
		});
		const error = client.getState(['k'])?.error;
		expect(error).toBeInstanceOf(Error);
		expect(error?.cause).toBe('plain');
	});

	it('the wrapping Error shows a thrown string as it is, and any other value as JSON', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		const thrown: Record<string, unknown> = { string: 'Not found', object: { status: 404 } };
		for (const [name, value] of Object.entries(thrown)) {
			await client.prefetchQuery({
				key: [name],
				fetcher: () => {
					throw value;
				}
			});
		}
		expect(client.getState(['string'])?.error?.message).toBe('A non-Error value was thrown: Not found');
		expect(client.getState(['object'])?.error?.message).toBe('A non-Error value was thrown: {"status":404}');
	});

	it('keeps the kind of a thrown object whose JSON is {} in the message (a Response thrown on a 404, an XHR error Event), instead of a bare "{}"', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		const thrown: Record<string, unknown> = { response: new Response('Not found', { status: 404 }), event: new Event('error') };
		for (const [name, value] of Object.entries(thrown)) {
			await client.prefetchQuery({ key: [name], fetcher: () => Promise.reject(value) });
			expect(client.getState([name])?.error?.cause).toBe(value);
		}
		expect(client.getState(['response'])?.error?.message).toMatch(/^A non-Error value was thrown: .*Response/);
		expect(client.getState(['event'])?.error?.message).toMatch(/^A non-Error value was thrown: .*Event/);
	});

	it('keeps the message of an Error from another realm (an iframe\'s, node:vm\'s) in the state\'s Error, instead of a bare [object Error]', async () => {
		const { runInNewContext } = await import('node:vm');
		const client = new QoraClient({ defaultOptions: { retry: false } });
		// A fetcher calling into a same-origin iframe's SDK, or code run by node:vm: its Error is no instance of this realm's.
		const thrown = runInNewContext('new TypeError("Failed to fetch")') as Error;
		await client.prefetchQuery({ key: ['frame'], fetcher: () => Promise.reject(thrown) });
		const error = client.getState(['frame'])?.error;
		expect(error).toBeInstanceOf(Error);
		expect(error?.cause).toBe(thrown);
		// Before: "A non-Error value was thrown: [object Error]", the only text the app could show or log.
		expect(error?.message).toContain('Failed to fetch');
	});

	it('keeps an emoji whole when the quote of a thrown value is cut at 100 characters: no lone surrogate in the message', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		// An API error body naming a user's post; its JSON puts the emoji's two halves at characters 99 and 100.
		const body = { message: `${'x'.repeat(87)}😀 not found` };
		await client.prefetchQuery({ key: ['body'], fetcher: () => Promise.reject(body) });
		const message = client.getState(['body'])?.error?.message ?? '';
		expect(message).toMatch(/^A non-Error value was thrown: \{"message":"x{87}/);
		// A lone half shows as a replacement character, and encodeURIComponent (a logging URL) throws on it.
		expect(() => encodeURIComponent(message)).not.toThrow();
	});

	it('quotes a thrown string "{}" (an API error body rethrown as text) as itself, not as [object String]', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		// fetcher: if (!res.ok) throw await res.text(), on an API answering errors with an empty JSON body.
		await client.prefetchQuery({ key: ['body'], fetcher: () => Promise.reject('{}') });
		expect(client.getState(['body'])?.error?.message).toBe('A non-Error value was thrown: {}');
	});

	it('a thrown value that cannot be inspected (a revoked Proxy) still becomes an Error whose cause it is', async () => {
		const client = new QoraClient({ defaultOptions: { retry: false } });
		const { proxy, revoke } = Proxy.revocable({}, {});
		revoke();
		await client.prefetchQuery({
			key: ['k'],
			fetcher: () => {
				throw proxy;
			}
		});
		const error = client.getState(['k'])?.error;
		expect(error).toBeInstanceOf(Error);
		expect(error?.cause).toBe(proxy);
	});
});

describe('control flow a framework throws from a fetcher (_passThrough, set by qora/sveltekit)', () => {
	const notFound = { status: 404, body: { message: 'No such user' } };

	it('is not retried, reaches callers as itself, and the state holds an Error whose cause it is', async () => {
		const client = new QoraClient({ defaultOptions: { retry: 3, retryDelay: 10 } });
		client._passThrough((thrown) => thrown === notFound);
		const fetcher = vi.fn(async () => Promise.reject(notFound));
		const failure = client.fetchQuery({ key: ['users', 9], fetcher }).catch((reason: unknown) => reason);
		await flush();
		expect(await failure).toBe(notFound);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(client.getState(['users', 9])?.error).toMatchObject({ cause: notFound });
		expect(client.getState(['users', 9])?.error).toBeInstanceOf(Error);
	});

	it('a test that throws is reported and the value is an ordinary failure', async () => {
		const reported: unknown[] = [];
		const client = new QoraClient({ defaultOptions: { retry: 1, retryDelay: 10 }, onError: (error) => reported.push(error) });
		client._passThrough(() => {
			throw new Error('the test broke');
		});
		const fetcher = vi.fn(async () => Promise.reject(notFound));
		const failure = client.fetchQuery({ key: ['users', 9], fetcher }).catch((reason: unknown) => reason);
		await advance(10);
		expect(await failure).toBeInstanceOf(Error);
		expect(fetcher).toHaveBeenCalledTimes(2);
		expect(reported.length).toBeGreaterThan(0);
		expect(new Set(reported.map(String))).toEqual(new Set(['Error: the test broke']));
	});
});

describe('onQueryError: one place told of every query that fails for good', () => {
	it('is called once per failed fetch, after its retries, with the final error and the key; not per attempt, not on success', async () => {
		const onQueryError = vi.fn();
		const client = new QoraClient({ onQueryError, defaultOptions: { retry: 2, retryDelay: 10 } });
		let attempt = 0;
		const fetcher = vi.fn(async () => {
			throw new Error(`attempt ${++attempt}`);
		});
		const watcher = record(client.watchQuery({ key: ['users', { page: 1 }], fetcher }));
		const fetched = client.fetchQuery({ key: ['users', { page: 1 }], fetcher }).catch((error: Error) => error);
		await advance(10);
		expect(onQueryError).not.toHaveBeenCalled();
		await advance(20);
		expect(fetcher).toHaveBeenCalledTimes(3);
		expect(onQueryError).toHaveBeenCalledTimes(1);
		const [error, key] = onQueryError.mock.calls[0] as [Error, unknown];
		expect(error).toBe(watcher.last.error);
		expect(error.message).toBe('attempt 3');
		expect(key).toEqual(['users', { page: 1 }]);
		expect(await fetched).toBe(error);
		await client.fetchQuery({ key: ['ok'], fetcher: async () => 'fine' });
		expect(onQueryError).toHaveBeenCalledTimes(1);
		watcher.stop();
	});

	it('is not called for a cancelled fetch, nor for a failure a write made meanwhile hides', async () => {
		const onQueryError = vi.fn();
		const client = new QoraClient({ onQueryError, defaultOptions: { retry: 0 } });
		let fail: (error: Error) => void = () => {};
		const fetcher = () => new Promise<string>((_, reject) => (fail = reject));
		const cancelled = client.fetchQuery({ key: ['a'], fetcher }).catch(() => {});
		client.cancel(['a']);
		await cancelled;
		const overwritten = client.fetchQuery({ key: ['b'], fetcher });
		client.setQueryData(['b'], 'written');
		fail(new Error('down'));
		await expect(overwritten).resolves.toBe('written');
		expect(onQueryError).not.toHaveBeenCalled();
	});

	it('a hook that throws goes to onError; the query still fails as it would', async () => {
		const reported: unknown[] = [];
		const client = new QoraClient({
			defaultOptions: { retry: 0 },
			onError: (error) => reported.push(error),
			onQueryError: () => {
				throw new Error('toast failed');
			}
		});
		const failure = client.fetchQuery({ key: ['k'], fetcher: async () => Promise.reject(new Error('down')) }).catch((error: Error) => error);
		expect(await failure).toMatchObject({ message: 'down' });
		expect(client.getState(['k'])).toMatchObject({ status: 'error', error: { message: 'down' } });
		expect(reported).toEqual([new Error('toast failed')]);
	});

	it('keeps what an async hook rejects with going to onError, as what a hook throws does (goto() for a redirect returns a promise)', async () => {
		vi.useRealTimers();
		const reported: unknown[] = [];
		const client = new QoraClient({
			defaultOptions: { retry: 0 },
			onError: (error) => reported.push(error),
			// `(error) => goto(...)`: the navigation's promise rejects when the navigation fails.
			onQueryError: () => Promise.reject(new Error('navigation failed'))
		});
		const unhandled = await unhandledRejectionsDuring(async () => {
			await client.fetchQuery({ key: ['k'], fetcher: async () => Promise.reject(new Error('down')) }).catch(() => {});
		});
		expect({ unhandled: unhandled.map(String), reported: reported.map(String), state: client.getState(['k'])?.error?.message }).toEqual({
			unhandled: [],
			reported: ['Error: navigation failed'],
			state: 'down'
		});
	});

	it('control flow a fetcher threw (qora/sveltekit: redirect()) comes as the state’s Error, the value as its cause', async () => {
		const toLogin = { status: 303, location: '/login' };
		const onQueryError = vi.fn();
		const client = new QoraClient({ onQueryError });
		client._passThrough((thrown) => thrown === toLogin);
		await client.fetchQuery({ key: ['me'], fetcher: async () => Promise.reject(toLogin) }).catch(() => {});
		expect(onQueryError).toHaveBeenCalledTimes(1);
		expect(onQueryError.mock.calls[0]?.[0]).toMatchObject({ cause: toLogin });
	});
});

describe('a listener disposing the client as an invalidated fetch lands', () => {
	it('the follow-up refetch the invalidations queued is not started: nothing rejects unhandled, and the invalidate resolves', async () => {
		vi.useRealTimers();
		const client = new QoraClient();
		let answer = 0;
		let resolveSecond!: (value: string) => void;
		const fetcher = vi.fn(() => (++answer === 2 ? new Promise<string>((resolve) => (resolveSecond = resolve)) : new Promise<string>(() => {})));
		// e.g. a logout handler that ends the session's client when the refreshed profile says the session is over
		const stop = client.watchQuery({ key: ['me'], fetcher }).subscribe((state) => {
			if (state.data === 'session over') client.dispose();
		});
		void client.invalidate(['me']); // replaces the first fetch
		const invalidated = client.invalidate(['me']); // the replacement lands, then a refetch follows
		const unhandled = await unhandledRejectionsDuring(async () => {
			resolveSecond('session over');
			await invalidated;
		});
		expect(unhandled.map(String)).toEqual([]);
		expect(client.isDisposed).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(2);
		stop();
	});
});

describe('a listener that throws', () => {
	it('is reported to onError; the other listeners still run, and the cache is intact', () => {
		const reported: unknown[] = [];
		const client = new QoraClient({ onError: (error) => reported.push(error) });
		client.setQueryData(['k'], 0);
		const store = client.observeQuery<number>(['k']);
		const before = record(store);
		const failure = new Error('listener failed');
		store.subscribe((state) => {
			if (state.data === 1) throw failure;
		});
		const after = record(store);
		client.setQueryData(['k'], 1);
		expect(reported).toEqual([failure]);
		expect(before.last.data).toBe(1);
		expect(after.last.data).toBe(1);
		expect(client.getState(['k'])).toMatchObject({ status: 'success', data: 1 });
		client.setQueryData(['k'], 2);
		expect(after.last.data).toBe(2);
	});

	it('during a fetch does not break the fetch or the other watchers', async () => {
		const reported: unknown[] = [];
		const client = new QoraClient({ onError: (error) => reported.push(error) });
		const store = client.watchQuery({ key: ['k'], fetcher: async () => 'data' });
		let calls = 0;
		store.subscribe(() => {
			if (++calls > 1) throw new Error('boom');
		});
		const other = record(store);
		await flush();
		expect(other.last).toMatchObject({ status: 'success', data: 'data' });
		expect(reported).toHaveLength(1);
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'data' });
	});

	it('an onError that throws itself does not stop the other listeners or corrupt the cache', async () => {
		const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient({
			onError: () => {
				throw new Error('reporter failed');
			}
		});
		const store = client.watchQuery({ key: ['k'], fetcher: async () => 'data' });
		store.subscribe((state) => {
			if (state.isSuccess) throw new Error('listener failed');
		});
		const other = record(store);
		await flush();
		expect(other.last).toMatchObject({ status: 'success', fetchStatus: 'idle', data: 'data' });
		expect(client.getState(['k'])).toMatchObject({ status: 'success', fetchStatus: 'idle' });
		expect(spy).toHaveBeenCalled();
	});

	it('keeps an async onError whose promise rejects (a remote log that fails) from being an unhandled rejection: it goes to console.error, as its throw would', async () => {
		vi.useRealTimers();
		const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient({ onError: async () => Promise.reject(new Error('log service down')) });
		const unhandled = await unhandledRejectionsDuring(() => {
			client.observeQuery(['k']).subscribe(() => {
				throw new Error('listener failed');
			});
		});
		expect({ unhandled: unhandled.map(String), logged: spy.mock.calls.map((call) => String(call[1])) }).toEqual({
			unhandled: [],
			logged: ['Error: log service down']
		});
	});

	it('is reported to console.error by default', () => {
		const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		client.setQueryData(['k'], 0);
		client.observeQuery(['k']).subscribe((state) => {
			if (state.data === 1) throw new Error('to the console');
		});
		client.setQueryData(['k'], 1);
		expect(spy).toHaveBeenCalledTimes(1);
		expect(spy.mock.calls[0]?.some((arg) => arg instanceof Error && arg.message === 'to the console')).toBe(true);
	});

	it('on its first call (inside subscribe) is reported to onError too, and the subscription still works', () => {
		const reported: unknown[] = [];
		const client = new QoraClient({ onError: (error) => reported.push(error) });
		client.setQueryData(['k'], 0);
		const seen: unknown[] = [];
		let unsubscribe: (() => void) | undefined;
		expect(() => {
			unsubscribe = client.observeQuery(['k']).subscribe((state) => {
				seen.push(state.data);
				if (state.data === 0) throw new Error('first call');
			});
		}).not.toThrow();
		expect(reported).toHaveLength(1);
		client.setQueryData(['k'], 1);
		expect(seen).toEqual([0, 1]);
		unsubscribe?.();
		client.setQueryData(['k'], 2);
		expect(seen).toEqual([0, 1]);
	});
});

describe('an internal task that throws (the app\'s clock failing while a poll runs)', () => {
	it('is reported to onError, as a listener\'s error is', async () => {
		const reported: unknown[] = [];
		let failNextRead = false;
		const clock = {
			now: () => {
				if (!failNextRead) return Date.now();
				failNextRead = false;
				throw new Error('clock failed');
			},
			setTimeout: (run: () => void, ms: number) => setTimeout(run, ms),
			clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>)
		};
		const client = new QoraClient({ clock, onError: (error) => reported.push(error) });
		let calls = 0;
		// The poll's fetcher is called inside the poll's task: the clock's next read there fails.
		const fetcher = async () => {
			if (++calls === 2) failNextRead = true;
			return calls;
		};
		const watcher = record(client.watchQuery({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }));
		await advance(1000);
		expect({ calls, reported: reported.map(String), data: watcher.last.data }).toEqual({ calls: 2, reported: ['Error: clock failed'], data: 2 });
		watcher.stop();
	});
});

describe('setQueryData given a promise (an async updater, or a fetch passed as data)', () => {
	it('throws a TypeError naming the fix and leaves the entry and its watchers as they were', async () => {
		const client = new QoraClient();
		client.setQueryData(['todos'], ['a']);
		const watcher = record(client.observeQuery<string[]>(['todos']));
		expect(() => client.setQueryData<string[]>(['todos'], (async (list: string[] | undefined) => [...(list ?? []), 'b']) as never)).toThrow(
			/setQueryData: the data is a promise \(an async updater\?\); await it and pass the value/
		);
		expect(() => client.setQueryData(['other'], Promise.resolve(1))).toThrow(TypeError);
		expect(client.getQueryData(['todos'])).toEqual(['a']);
		expect(client.getState(['other'])).toBeUndefined();
		expect(watcher.states).toHaveLength(1);
	});
	it('keeps the TypeError the only error when the refused async updater rejects (no unhandled rejection beside it)', async () => {
		vi.useRealTimers();
		const client = new QoraClient();
		// `list` is undefined (no data yet): the async updater rejects with "not iterable".
		const append = (async (list: string[] | undefined) => [...(list as string[]), 'b']) as never;
		const unhandled = await unhandledRejectionsDuring(() => {
			expect(() => client.setQueryData<string[]>(['todos'], append)).toThrow(/setQueryData: the data is a promise/);
		});
		expect({ unhandled: unhandled.map(String), state: client.getState(['todos']) }).toEqual({ unhandled: [], state: undefined });
	});

});
