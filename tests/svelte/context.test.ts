import { render, screen } from '@testing-library/svelte';
import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { getQoraClient, setQoraClient } from '../../src/lib/svelte/index.js';
import Boundary from './components/Boundary.svelte';
import LegacyProvide from './components/LegacyProvide.svelte';
import Provide from './components/Provide.svelte';
import ProviderApp from './components/ProviderApp.svelte';
import QueryView from './components/QueryView.svelte';
import { get } from 'svelte/store';
import { createMutation } from '../../src/lib/svelte/index.js';
import { flush, goOnline } from './helpers.js';

let client: QoraClient;
let undo: (() => void)[] = [];

beforeEach(() => {
	vi.useFakeTimers();
	client = new QoraClient();
});
afterEach(() => {
	client.dispose();
	for (const step of undo.reverse()) step();
	undo = [];
	vi.useRealTimers();
});

const config = { key: ['ctx'], fetcher: async () => 'from context' };

describe('client context', () => {
	it('getQoraClient throws an error naming the fix when no client was set', () => {
		expect(() => render(QueryView, { config })).toThrow(
			'no QoraClient in context: call setQoraClient(client) in a parent component or wrap the tree in <QoraProvider client={...}>'
		);
	});

	it('getQoraClient outside component initialisation says so', () => {
		expect(() => getQoraClient()).toThrow(/can only be called while a component initialises/);
	});

	it('getQoraClient outside component initialisation keeps Svelte’s own error as the cause', () => {
		let thrown: unknown = null;
		try {
			getQoraClient();
		} catch (error) {
			thrown = error;
		}
		expect((thrown as Error).cause).toBeInstanceOf(Error);
	});

	it('setQoraClient rejects something that is not a client', () => {
		expect(() => setQoraClient({} as QoraClient)).toThrow(TypeError);
	});

	it('setQoraClient gives children the client', async () => {
		render(Provide, { client, view: QueryView, viewProps: { config } });
		await flush();
		expect(screen.getByText('data: "from context"')).toBeInTheDocument();
	});

	it('QoraProvider gives children the client', async () => {
		render(ProviderApp, { client, config });
		await flush();
		expect(screen.getByText('data: "from context"')).toBeInTheDocument();
	});

	it('QoraProvider without a client says so in the words the app wrote (a layout load that returned no client)', () => {
		expect(() => render(ProviderApp, { client: undefined as never, config })).toThrow(
			/^<QoraProvider client=\{\.\.\.\}>: expected a QoraClient, got undefined\b/
		);
	});

	it('QoraProvider mounts the browser wiring while initialising and detaches it on destroy', () => {
		const detach = vi.fn();
		const mount = vi.spyOn(client, 'mount').mockImplementation(() => detach);
		const { unmount } = render(ProviderApp, { client, config });
		expect(mount.mock.calls.map(([sources]) => Object.keys(sources))).toEqual([['focus'], ['online']]);
		expect(detach).not.toHaveBeenCalled();

		unmount();
		expect(detach).toHaveBeenCalledTimes(2);
	});

	it('QoraProvider reads its client once: a later client prop changes neither the context nor the browser wiring', async () => {
		const other = new QoraClient();
		const otherMount = vi.spyOn(other, 'mount');
		const detach = vi.fn();
		vi.spyOn(client, 'mount').mockImplementation(() => detach);
		const { rerender, unmount } = render(ProviderApp, { client, config });
		await flush();
		await rerender({ client: other, config });
		await flush();
		expect(screen.getByText('data: "from context"')).toBeInTheDocument();
		expect(otherMount).not.toHaveBeenCalled();
		expect(other.size).toBe(0);
		expect(detach).not.toHaveBeenCalled();
		unmount();
		expect(detach).toHaveBeenCalledTimes(2);
		other.dispose();
	});

	it('QoraProvider reads the connection before children subscribe, so their first fetch already waits', async () => {
		undo.push(goOnline(false));
		const fetcher = vi.fn(async () => 'late');
		render(ProviderApp, { client, config: { key: ['offline-first'], fetcher } });
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=paused');
		await flush();
		expect(fetcher).not.toHaveBeenCalled();
	});

	it('QoraProvider detaches the browser wiring when an error boundary destroys it before its effects ran', () => {
		const added = vi.spyOn(window, 'addEventListener');
		const removed = vi.spyOn(window, 'removeEventListener');
		const addedToDocument = vi.spyOn(document, 'addEventListener');
		const removedFromDocument = vi.spyOn(document, 'removeEventListener');
		undo.push(() => vi.restoreAllMocks());
		const wiring = (spy: typeof added) => spy.mock.calls.filter(([type]) => ['focus', 'online', 'offline', 'visibilitychange'].includes(type));

		render(Boundary, { client });
		expect(screen.getByText('failed: child broke')).toBeInTheDocument();
		expect(wiring(added)).toHaveLength(3);
		expect(wiring(removed)).toHaveLength(3);
		expect(wiring(addedToDocument)).toHaveLength(1);
		expect(wiring(removedFromDocument)).toHaveLength(1);
	});

	it('QoraProvider unmounted while offline leaves the client offline: a paused write waits for the connection, then the connectivity wiring goes', async () => {
		const { unmount } = render(ProviderApp, { client, config });
		await flush();
		undo.push(goOnline(false));
		const mutationFn = vi.fn(async (title: string) => title);
		const save = createMutation({ mutationFn }, client);
		save.mutate('draft');
		await flush();
		expect(get(save)).toMatchObject({ status: 'pending', isPaused: true });

		const removed = vi.spyOn(window, 'removeEventListener');
		undo.push(() => removed.mockRestore());
		unmount();
		await flush();
		expect(client.isOnline()).toBe(false);
		expect(mutationFn).not.toHaveBeenCalled();
		// Focus goes at once; only the connectivity wiring stays.
		expect(removed.mock.calls.map(([type]) => type).sort()).toEqual(['blur', 'focus']);

		goOnline(true);
		await flush();
		expect(mutationFn).toHaveBeenCalledTimes(1);
		expect(get(save)).toMatchObject({ status: 'success', data: 'draft' });
		goOnline(false); // no longer heard
		expect(client.isOnline()).toBe(true);
	});

	it('setQoraClient detaches the browser wiring of a component unmounted before its effects ran', () => {
		const app = mount(ProviderApp, { target: document.body, props: { client, config } });
		unmount(app);
		undo.push(goOnline(false));
		expect(client.isOnline()).toBe(true);
	});

	it('setQoraClient works in a legacy-mode component: the wiring attaches while it initialises and detaches on destroy', async () => {
		undo.push(goOnline(false));
		const fetcher = vi.fn(async () => 'legacy');
		const { unmount: destroy } = render(LegacyProvide, { client, view: QueryView, viewProps: { config: { key: ['legacy-root'], fetcher } } });
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=paused');

		goOnline(true);
		await flush();
		expect(screen.getByText('data: "legacy"')).toBeInTheDocument();

		destroy();
		goOnline(false);
		expect(client.isOnline()).toBe(true);
	});
});
