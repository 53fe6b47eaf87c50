/** createQueryState and createMutation created after an await in the script (experimental.async). */
import { render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { QoraClient } from '../../src/lib/index.js';
import Host from './components/async/Host.svelte';
import MutationAfterAwait from './components/async/MutationAfterAwait.svelte';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

describe('createQueryState and createMutation after an await', () => {
	it('show the cached state at once, then the mutation and the state it writes', async () => {
		client.setQueryData(['title'], 'old');
		const gate = deferred<void>();
		const saved = deferred<string>();
		let mutate!: (title: string) => void;
		render(Host, { client, page: MutationAfterAwait, pageProps: { gate: gate.promise, save: () => saved.promise, expose: (m: typeof mutate) => (mutate = m) } });
		gate.resolve();
		await flush(0);
		flushSync();
		expect(screen.getByTestId('state').textContent).toBe('success: old / idle');
		mutate('new');
		await flush(0);
		flushSync();
		expect(screen.getByTestId('state').textContent).toBe('success: old / pending');
		saved.resolve('new');
		await flush(0);
		flushSync();
		expect(screen.getByTestId('state').textContent).toBe('success: new / success');
	});
});

describe('setQoraClient after an await in the script', () => {
	it('fails with Svelte’s own error (context must be set before the first await), attaching nothing to the client', async () => {
		const { default: SetClientAfterAwait } = await import('./components/async/SetClientAfterAwait.svelte');
		const mount = vi.spyOn(client, 'mount');
		const gate = deferred<void>();
		render(SetClientAfterAwait, { client, gate: gate.promise });
		gate.resolve();
		await flush(0);
		flushSync();
		expect(screen.getByTestId('failed').textContent).toMatch(/set_context_after_init|setContext/);
		expect(mount).not.toHaveBeenCalled();
	});
});
