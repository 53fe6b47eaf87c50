// Stores and helpers given what breaks their contract: a clear error at the call, nothing left running.
import { type Readable } from 'svelte/store';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { createMutation, createQuery, createQueryState, type CreateQueryConfig } from '../../src/lib/svelte/index.js';
import { flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

/** A hand-written store that forgot to `return` its unsubscriber. */
function storeWithoutUnsubscriber<T>(value: T): Readable<T> {
	return {
		subscribe(run: (value: T) => void) {
			run(value);
		}
	} as unknown as Readable<T>;
}

describe('a config or key store whose subscribe returns no unsubscriber', () => {
	it('createQuery: subscribing throws a TypeError saying so, and no watch is left polling', async () => {
		const fetcher = vi.fn(async () => 1);
		const store = createQuery(storeWithoutUnsubscriber({ key: ['k'], fetcher, options: { refetchInterval: 1000 } }), client);
		expect(() => store.subscribe(() => {})).toThrow(/subscribe must return a function that unsubscribes/);
		await flush(10_000);
		expect(fetcher.mock.calls.length).toBeLessThanOrEqual(1); // no polling
		await flush(10 * 60_000);
		expect(client.size).toBe(0); // unwatched, so collected
	});

	it('createQuery: what such a store sends later is not followed either', async () => {
		const fetcher = vi.fn(async () => 1);
		const subscribers: ((config: CreateQueryConfig<number>) => void)[] = [];
		const configs = {
			subscribe(run: (config: CreateQueryConfig<number>) => void) {
				subscribers.push(run);
				run({ key: ['first'], fetcher, options: { enabled: false } });
			}
		} as unknown as Readable<CreateQueryConfig<number>>;
		expect(() => createQuery(configs, client).subscribe(() => {})).toThrow(TypeError);
		for (const run of subscribers) run({ key: ['later'], fetcher, options: { refetchInterval: 1000 } });
		await flush(10_000);
		expect(fetcher).not.toHaveBeenCalled();
		expect(client.getState(['later'])).toBeUndefined();
	});

	it('createQueryState: subscribing throws the same TypeError', () => {
		expect(() => createQueryState(storeWithoutUnsubscriber(['k']), client).subscribe(() => {})).toThrow(/subscribe must return a function that unsubscribes/);
	});

	it('a store returning { unsubscribe } (an RxJS subject, say) is followed and ended', async () => {
		const ended = vi.fn();
		const rxLike = {
			subscribe(run: (value: unknown[]) => void) {
				run(['k']);
				return { unsubscribe: ended };
			}
		} as unknown as Readable<unknown[]>;
		const stop = createQueryState(rxLike, client).subscribe(() => {});
		stop();
		expect(ended).toHaveBeenCalledTimes(1);
	});
});

describe('a client argument that is not a QoraClient', () => {
	it('is refused at the call by createQuery, createQueryState and createMutation, naming the call', () => {
		expect(() => createQuery({ key: ['k'], fetcher: async () => 1 }, null as never)).toThrow(/^createQuery\(config, client\): expected a QoraClient, got null$/);
		expect(() => createQueryState(['k'], null as never)).toThrow(/^createQueryState\(key, client\): expected a QoraClient, got null$/);
		expect(() => createMutation({ mutationFn: async () => 1 }, {} as never)).toThrow(/^createMutation\(options, client\): expected a QoraClient, got object$/);
	});
});
