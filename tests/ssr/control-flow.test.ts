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
});
