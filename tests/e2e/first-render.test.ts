/**
 * The server's HTML shows what the browser's first render shows, in a real browser.
 *
 * Svelte 5 repairs a mismatching `{#if}` branch during hydration without a word (the
 * production build is silent), so only a comparison sees it: every request the page
 * sends to the demo API is held (never answered while we look), the page hydrates,
 * and what it shows at that moment (taken inside the page when the layout marks it
 * hydrated) is compared with the HTML of the very response it hydrated. A query the
 * browser fetches on mount (stale or missing data) must show `fetching` on both
 * sides; one it does not, `idle` on both. Besides the texts, every change Svelte made
 * to the page's content during hydration is recorded: a repaired branch or text
 * shows there even if it happened to end as the server's.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import type { BrowserContext, Response, Route } from 'playwright-core';
import { newContext, openPage, useBrowser } from './support/browser.js';
import { resetDemo, setSettings } from './support/demo-api.js';
import type { DemoSettings } from '../../src/demo/types.js';

useBrowser();
beforeEach(resetDemo);

/** What a page shows of its queries: the title, every data-testid's text in <main>, and <main>'s whole text. */
interface View {
	title: string;
	testIds: Record<string, string>;
	main: string;
}

interface FirstRenderWindow {
	__firstRenderView: (doc: Document) => View;
	__firstRender: View | null;
	__hydrationChanges: string[];
}

// Runs in the page before any of its scripts.
const recordFirstRender = () => {
	const w = window as unknown as FirstRenderWindow;
	const squash = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
	w.__firstRenderView = (doc) => {
		const main = doc.querySelector('main');
		const testIds: Record<string, string> = {};
		for (const element of main?.querySelectorAll('[data-testid]') ?? []) {
			const id = element.getAttribute('data-testid')!;
			// Repeated ids (one per post) are told apart by their order.
			let name = id;
			for (let n = 2; name in testIds; n++) name = `${id}#${n}`;
			testIds[name] = squash(element.textContent);
		}
		return { title: squash(doc.title), testIds, main: squash(main?.textContent) };
	};
	w.__firstRender = null;
	w.__hydrationChanges = [];
	const inMain = (node: Node | null) => !!node && !!(node.nodeType === 1 ? (node as Element) : node.parentElement)?.closest('main');
	const label = (node: Node) => (node.nodeType === 1 ? `<${(node as Element).localName}> "${squash(node.textContent)}"` : `"${squash(node.textContent)}"`);
	const note = (records: MutationRecord[]) => {
		for (const record of records) {
			if (record.type === 'characterData') {
				if (inMain(record.target) && record.oldValue !== record.target.textContent) {
					w.__hydrationChanges.push(`text "${record.oldValue}" became "${record.target.textContent}"`);
				}
			} else if (record.type === 'childList' && inMain(record.target)) {
				// The parser adds the server's nodes; hydration keeps them unless it repairs a branch.
				// (Hydration may swap a static text node for an equal one: elements are what a repaired branch removes.)
				for (const node of record.removedNodes) if (node.nodeType === 1) w.__hydrationChanges.push(`removed ${label(node)}`);
			}
		}
	};
	const changes = new MutationObserver(note);
	changes.observe(document, { subtree: true, childList: true, characterData: true, characterDataOldValue: true });
	// The layout marks the document in onMount: the first render is on screen, and no
	// held request can have been answered. (No <html> yet when this runs: watch the document.)
	new MutationObserver((records, observer) => {
		if (document.documentElement.dataset['qoraDemo'] !== 'hydrated') return;
		observer.disconnect();
		note(changes.takeRecords());
		changes.disconnect();
		w.__firstRender = w.__firstRenderView(document);
	}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-qora-demo'] });
};

interface Held {
	/** "GET /api/..." for each request the page sent, in order. */
	readonly sent: string[];
	/** Lets every held request through (the test is done looking). */
	release(): Promise<void>;
}

/** Holds every request to /api/* of `context`, except the first `letThrough` ones matching a route (a browser load's, which hydration waits for). */
async function holdApi(context: BrowserContext, letThrough: Record<string, number> = {}): Promise<Held> {
	const sent: string[] = [];
	const held: Route[] = [];
	const allowed = { ...letThrough };
	let released = false;
	await context.route(
		(url) => url.pathname.startsWith('/api/'),
		async (route) => {
			const request = route.request();
			const name = `${request.method()} ${new URL(request.url()).pathname}`;
			sent.push(name);
			if (released || (allowed[name] ?? 0) > 0) {
				if (!released) allowed[name]!--;
				await route.continue().catch(() => {});
				return;
			}
			held.push(route);
		}
	);
	return {
		sent,
		async release() {
			released = true;
			for (const route of held.splice(0)) await route.continue().catch(() => {});
		}
	};
}

interface Compared {
	server: View;
	browser: View;
	/** What hydration changed in <main> (see recordFirstRender). */
	changes: string[];
	/** Every request to /api/* the page has sent (read live: requests reach the test asynchronously). */
	sent: string[];
	/** Console errors and uncaught exceptions of the page. */
	errors: string[];
}

/**
 * Opens `path` with the API held, and reads the server's HTML and the browser's
 * first render side by side; `check` runs before the held requests go through.
 */
async function firstRender(path: string, check: (compared: Compared) => Promise<void>, letThrough?: Record<string, number>): Promise<void> {
	const context = await newContext();
	await context.addInitScript(recordFirstRender);
	const held = await holdApi(context, letThrough);
	let document: Response | null = null;
	context.on('response', (response) => {
		if (response.request().isNavigationRequest() && new URL(response.url()).pathname === path) document = response;
	});
	try {
		const { page, errors } = await openPage(path, context);
		await page.waitForFunction(() => (window as unknown as FirstRenderWindow).__firstRender !== null);
		const browser = await page.evaluate(() => (window as unknown as FirstRenderWindow).__firstRender!);
		const changes = await page.evaluate(() => (window as unknown as FirstRenderWindow).__hydrationChanges);
		if (document === null) throw new Error(`no document response for ${path}`);
		// The body of the very response the page hydrated (the same render, so the same profile views, revision, clock).
		const html = await (document as Response).text();
		// The same extraction, run on the HTML exactly as the server sent it (no script runs in it).
		const server = await page.evaluate(
			(markup) => (window as unknown as FirstRenderWindow).__firstRenderView(new DOMParser().parseFromString(markup, 'text/html')),
			html
		);
		await check({ server, browser, changes, sent: held.sent, errors });
	} finally {
		// Done looking: let the held requests through; the context closes after the test.
		await held.release();
	}
}

interface Expected {
	/** Texts the server's HTML must show (so a case cannot pass by showing neither state). */
	testIds: Record<string, string>;
	/** The requests the page sends on its own, all held; `undefined` when it depends on timing. */
	sent?: string[];
}

/** The server's HTML and the browser's first render show the same, with every request to the API held. */
async function expectSame(path: string, settings: Partial<DemoSettings>, expected: Expected): Promise<void> {
	if (Object.keys(settings).length > 0) await setSettings(settings);
	await firstRender(path, async ({ server, browser, changes, sent, errors }) => {
		expect(browser).toEqual(server);
		// Svelte repaired nothing: no branch of the server's was thrown away, no text rewritten.
		expect(changes).toEqual([]);
		expect(server.testIds).toMatchObject(expected.testIds);
		// No server detail in the HTML, ever.
		expect(server.main).not.toMatch(/Injected failure|HTTP 5\d\d/);
		if (expected.sent !== undefined) await expect.poll(() => sent).toEqual(expected.sent);
		expect(errors).toEqual([]);
	});
}

describe('data the server prefetched, fresh in the browser: idle on both sides', () => {
	test('/ (no query)', async () => {
		await expectSame('/', {}, { testIds: {}, sent: [] });
	});

	test('/users (prefetched in +page.ts)', async () => {
		await expectSame('/users', {}, { testIds: { 'users-fetch-status': 'idle', 'users-freshness': 'fresh' }, sent: [] });
	});

	test('/users/3 (fetched in +page.ts)', async () => {
		await expectSame('/users/3', {}, { testIds: { 'user-fetch-status': 'idle', 'user-freshness': 'fresh', 'user-name': 'Alan Turing' }, sent: [] });
	});

	test('/posts (prefetched in +page.server.ts)', async () => {
		await expectSame('/posts', {}, { testIds: { 'posts-fetch-status': 'idle', 'posts-freshness': 'fresh', 'posts-footer': expect.stringMatching(/^\d+ posts$/) }, sent: [] });
	});

	test('/dashboard (polls)', async () => {
		await expectSame('/dashboard', {}, { testIds: { 'dashboard-fetch-status': 'idle', 'dashboard-freshness': 'fresh' }, sent: [] });
	});

	test('/posts/new (a form action, no query)', async () => {
		await expectSame('/posts/new', {}, { testIds: {}, sent: [] });
	});

	test('/posts/streamed: the query held by streamSettled shows loading on both sides', async () => {
		await expectSame('/posts/streamed', {}, { testIds: { 'streamed-loading': 'Loading…' }, sent: [] });
	});

	test('/posts/streamed, the stream still on its way when the page hydrates', async () => {
		await expectSame('/posts/streamed', { latencyMs: 1_500 }, { testIds: { 'streamed-loading': 'Loading…' }, sent: [] });
	});
});

// staleTime 0: the server's data is stale by the time the browser mounts, so the page
// refetches at once; the server's HTML must already say so. (This is what the server
// render got wrong before: it showed `idle`, and Svelte silently re-rendered.)
describe('data stale in the browser (staleTime 0): fetching on both sides, the browser request held', () => {
	test('/posts (+page.server.ts: nothing in the browser asks before the page mounts)', async () => {
		await expectSame(
			'/posts',
			{ staleTimeMs: 0 },
			{
				testIds: {
					'posts-fetch-status': 'fetching',
					'posts-freshness': 'stale',
					'posts-status': 'fetching updating in the background… stale',
					// createQueryState, after the query: it shows the query's fetch on both sides.
					// (How many posts depends on what earlier test files created: the demo keeps them.)
					'posts-footer': expect.stringMatching(/^\d+ posts · checking for new ones…$/)
				},
				sent: ['GET /api/posts']
			}
		);
	});

	test('/users (+page.ts)', async () => {
		await expectSame('/users', { staleTimeMs: 0 }, { testIds: { 'users-fetch-status': 'fetching', 'users-freshness': 'stale' }, sent: ['GET /api/users'] });
	});

	test('/users/3 (+page.ts)', async () => {
		await expectSame(
			'/users/3',
			{ staleTimeMs: 0 },
			{ testIds: { 'user-fetch-status': 'fetching', 'user-freshness': 'stale', 'user-name': 'Alan Turing' }, sent: ['GET /api/users/3'] }
		);
	});

	test('/dashboard (+page.ts, polling)', async () => {
		await expectSame(
			'/dashboard',
			{ staleTimeMs: 0 },
			{ testIds: { 'dashboard-fetch-status': 'fetching', 'dashboard-freshness': 'stale' }, sent: ['GET /api/dashboard'] }
		);
	});

	test('/posts/streamed: held until the stream lands, so not fetching at first on either side', async () => {
		// Once the stream lands the query fetches (stale), whether before or after the first render is read.
		await expectSame('/posts/streamed', { staleTimeMs: 0 }, { testIds: { 'streamed-loading': 'Loading…' } });
	});
});

// Not a Qora bug, and outside "before any browser request lands": SvelteKit runs a
// +page.ts load again in the browser before the first render, and hydration waits for
// it. The server shipped no error (by design), so the browser's load asks the API again
// and the first render shows what that request brought, which the server could not
// know. Svelte repairs the branch silently. Pinned so a change of this is seen.
describe('a server fetch that failed, in a +page.ts load the browser runs again before rendering', () => {
	test('/users/3: the server shows it loading; the browser first shows the failure of its own load', async () => {
		await setSettings({ failRoutes: ['user'] });
		await firstRender(
			'/users/3',
			async ({ server, browser, changes, sent }) => {
				expect(server.testIds).toEqual({ 'user-status': 'fetching', 'user-fetch-status': 'fetching' });
				expect(server.main).toContain('Loading user…');
				expect(server.main).not.toContain('Injected failure');
				// The load's one attempt (retry: 0) went through; the page's refetch on mount is held.
				await expect.poll(() => sent).toEqual(['GET /api/users/3', 'GET /api/users/3']);
				expect(browser.testIds).toEqual({
					'user-status': 'fetching Injected failure of "user"',
					'user-fetch-status': 'fetching',
					'user-error': 'Injected failure of "user"'
				});
				expect(changes).toEqual(['removed <p> "Loading user…"']);
			},
			{ 'GET /api/users/3': 1 }
		);
	});
});
