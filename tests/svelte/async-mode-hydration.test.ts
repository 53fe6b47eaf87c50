/**
 * The browser hydrating server-rendered markup of components compiled with experimental.async
 * (markup as `await render(...)` of components/async/SsrKitApp gave it, with the payload made now).
 */
import { hydrate, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dehydrate, QoraClient } from '../../src/lib/index.js';
import { payloadMarkup, serializeForScript } from '../../src/lib/sveltekit/payload.js';
import { hash } from '../../node_modules/svelte/src/utils.js';
import SsrKitApp from './components/async/SsrKitApp.svelte';
import SeedAwaitState from './components/async/SeedAwaitState.svelte';
import AwaitThenQuery from './components/async/AwaitThenQuery.svelte';
import { flush, freshClientPerTest } from './helpers.js';

vi.mock('$app/environment', () => ({ browser: true, building: false, dev: true, version: 'test' }));
vi.mock('$app/state', () => import('./page-mock.svelte.js'));

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));
let app: Record<string, unknown> | undefined;
afterEach(() => {
	if (app) unmount(app);
	app = undefined;
	document.body.innerHTML = '';
});

/** The server's markup around `page` (as SsrKitApp renders it), with the server cache `server` as the payload element. */
function serverMarkup(server: QoraClient, page: string): string {
	const element = payloadMarkup(serializeForScript(dehydrate(server)), Date.now());
	return `<!--[--><!--${hash(element)}-->${element}<!----> <!--[0--><!--[-->${page}<!--]--><!----><!--]--><!--]-->`;
}

describe('hydrating an async page', () => {
	it('that awaited before creating its query: keeps the server markup, and sends no request', async () => {
		const server = new QoraClient();
		server.setQueryData(['user'], 'Ada');
		document.body.innerHTML = serverMarkup(server, '<p data-testid="user">me: success/idle: Ada</p>');
		server.dispose();
		const fetcher = vi.fn(async () => 'fetched');
		const warn = vi.spyOn(console, 'warn');
		const p = document.querySelector('p');
		app = hydrate(SsrKitApp, { target: document.body, props: { client, page: AwaitThenQuery, pageProps: { gate: Promise.resolve('me'), fetcher } } });
		await flush(10);
		expect(document.querySelector('p')).toBe(p);
		expect(p?.textContent).toBe('me: success/idle: Ada');
		expect(fetcher).not.toHaveBeenCalled();
		expect(warn).not.toHaveBeenCalled();
	});
});

describe('hydrating an async page with stores of one key on either side of an await', () => {
	it('shows the seed in the createQueryState after the await too: what the server renders for it (async-mode-readme-claims.test.ts)', async () => {
		const server = new QoraClient();
		document.body.innerHTML = serverMarkup(server, '<p data-testid="query">me: success/idle: seed</p> <p data-testid="state">me: success/idle: seed</p>');
		server.dispose();
		const fetcher = vi.fn(async () => 'fetched');
		app = hydrate(SsrKitApp, { target: document.body, props: { client, page: SeedAwaitState, pageProps: { gate: Promise.resolve('me'), fetcher, initialData: 'seed' } } });
		await flush(10);
		expect(document.querySelector('[data-testid="query"]')?.textContent).toBe('me: success/idle: seed');
		expect(fetcher).not.toHaveBeenCalled();
		// The browser's createQueryState shows the seed: the server renders it so (async-mode-readme-claims.test.ts).
		expect(document.querySelector('[data-testid="state"]')?.textContent).toBe('me: success/idle: seed');
	});

	it('shows the fetch the query before the await started in the createQueryState after it: what the server renders for it', async () => {
		const server = new QoraClient();
		document.body.innerHTML = serverMarkup(server, '<p data-testid="query">me: pending/fetching: -</p> <p data-testid="state">me: pending/fetching: -</p>');
		server.dispose();
		const fetcher = vi.fn(() => new Promise<string>(() => {}));
		app = hydrate(SsrKitApp, { target: document.body, props: { client, page: SeedAwaitState, pageProps: { gate: Promise.resolve('me'), fetcher } } });
		await flush(10);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(document.querySelector('[data-testid="query"]')?.textContent).toBe('me: pending/fetching: -');
		expect(document.querySelector('[data-testid="state"]')?.textContent).toBe('me: pending/fetching: -');
	});
});
