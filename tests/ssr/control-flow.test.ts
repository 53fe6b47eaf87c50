/** passKitControlFlow: only SvelteKit's own error()/redirect() pass through; anything else is an ordinary failure. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { passKitControlFlow } from '../../src/lib/sveltekit/control-flow.js';

afterEach(() => {
	vi.useRealTimers();
});

describe('passKitControlFlow', () => {
	test('a thrown value that cannot be inspected (a revoked Proxy) is an ordinary failure: retried, not passed through', async () => {
		vi.useFakeTimers();
		const client = new QoraClient({ defaultOptions: { retry: 1, retryDelay: 10 } });
		passKitControlFlow(client);
		const { proxy, revoke } = Proxy.revocable({}, {});
		revoke();
		const fetcher = vi.fn(async () => {
			throw proxy;
		});
		const outcome = client.fetchQuery({ key: ['odd'], fetcher }).catch((reason: unknown) => reason);
		await vi.runAllTimersAsync();
		await outcome;
		expect(fetcher).toHaveBeenCalledTimes(2);
		client.dispose();
	});

	test('a thrown value that cannot be inspected is not reported to onError: the check itself did not fail, the fetch did', async () => {
		vi.useFakeTimers();
		const onError = vi.fn();
		const client = new QoraClient({ onError, defaultOptions: { retry: 0 } });
		passKitControlFlow(client);
		const { proxy, revoke } = Proxy.revocable({}, {});
		revoke();
		const outcome = client.fetchQuery({ key: ['odd'], fetcher: async () => Promise.reject(proxy) }).then(
			() => 'resolved',
			() => 'rejected'
		);
		await vi.runAllTimersAsync();
		expect(await outcome).toBe('rejected');
		expect(onError).not.toHaveBeenCalled();
		client.dispose();
	});
});
