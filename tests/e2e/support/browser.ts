/**
 * The shared Chromium, seen from a test file: connect once per file, a fresh
 * context (a new browser session, so a new Qora client) per test.
 */
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { baseURL } from './demo-api.js';
import './provided.js';

/** What a test gets: its page, its context, and what went wrong in the page. */
export interface DemoPage {
	page: Page;
	context: BrowserContext;
	/** Console errors and uncaught exceptions of the page. */
	errors: string[];
	/** Console warnings of the page. */
	warnings: string[];
	/** Whether the word "Loading" has been on screen since the page opened (or since the last reset). */
	sawLoading(): Promise<boolean>;
	resetSawLoading(): Promise<void>;
}

// Runs in the page before any of its scripts: remembers if "Loading" ever shows.
const watchForLoading = () => {
	const w = window as unknown as { __sawLoading: boolean };
	w.__sawLoading = false;
	const check = () => {
		if (document.body?.textContent?.includes('Loading')) w.__sawLoading = true;
	};
	new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
	document.addEventListener('DOMContentLoaded', check);
};

let browser: Browser | null = null;
const contexts = new Set<BrowserContext>();
/** Hydration warnings of every page the current test opened: any one fails the test. */
const hydrationWarnings: string[] = [];

/**
 * Registers the file's hooks: connect to the shared Chromium before its tests,
 * disconnect after. Without Chromium every test of the file fails (in
 * `beforeEach`, so each is reported failed, not skipped) with the reason.
 */
export function useBrowser(): void {
	let unavailable: string | null = null;
	beforeAll(async () => {
		const { wsEndpoint, chromiumError } = inject('qoraE2E');
		if (wsEndpoint === null) {
			unavailable = chromiumError ?? 'Chromium did not start';
			return;
		}
		browser = await chromium.connect(wsEndpoint);
	});
	beforeEach(() => {
		if (unavailable !== null) throw new Error(unavailable);
		hydrationWarnings.length = 0;
	});
	// Any console message about hydration fails the test that saw it. (The production build the
	// suite runs is silent about a server/browser mismatch, which Svelte repairs by rendering
	// again; what catches that is the loading watch below and the request counts.)
	// Each test's pages close with it: a page left open (one that polls, or refetches on a
	// timer) would otherwise go on sending requests into the next test's counts.
	afterEach(async () => {
		for (const context of contexts) await context.close().catch(() => {});
		contexts.clear();
		if (hydrationWarnings.length > 0) throw new Error(`hydration warnings: ${hydrationWarnings.join(' | ')}`);
	});
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => {});
		contexts.clear();
		await browser?.close();
		browser = null;
	});
}

/** A new browser session. */
export async function newContext(): Promise<BrowserContext> {
	if (!browser) throw new Error('call useBrowser() in the test file first');
	const context = await browser.newContext({ baseURL: baseURL() });
	contexts.add(context);
	return context;
}

/** Opens `path` in a new page (of a new session unless `context` is given) and waits until the app has hydrated. */
export async function openPage(path: string, context?: BrowserContext): Promise<DemoPage> {
	const ctx = context ?? (await newContext());
	const page = await ctx.newPage();
	const errors: string[] = [];
	const warnings: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(message.text());
		if (message.type() === 'warning') warnings.push(message.text());
		if (/hydrat/i.test(message.text()) && (message.type() === 'warning' || message.type() === 'error')) {
			hydrationWarnings.push(message.text());
		}
	});
	page.on('pageerror', (error) => errors.push(error.message));
	await page.addInitScript(watchForLoading);
	await page.goto(path);
	await waitForHydration(page);
	return {
		page,
		context: ctx,
		errors,
		warnings,
		sawLoading: () => page.evaluate(() => (window as unknown as { __sawLoading: boolean }).__sawLoading),
		resetSawLoading: () => page.evaluate(() => void ((window as unknown as { __sawLoading: boolean }).__sawLoading = false))
	};
}

/** The demo layout marks the document once it has mounted in the browser. */
export async function waitForHydration(page: Page): Promise<void> {
	await page.waitForFunction(() => document.documentElement.dataset['qoraDemo'] === 'hydrated');
}

/** Makes the page believe it regained focus, as switching back to its tab does. */
export async function focusPage(page: Page): Promise<void> {
	// A return to the page: the window lost focus, then regained it (one focus per return counts).
	await page.evaluate(() => {
		window.dispatchEvent(new Event('blur'));
		window.dispatchEvent(new Event('focus'));
	});
}

/** A text to expect: exactly this, or containing this. */
export type TextMatch = string | { includes: string };

/**
 * Waits until every element (by data-testid) shows its expected text at the
 * same moment, checked inside the page in one go, so "A while B" claims hold.
 */
export async function waitForTexts(page: Page, expected: Record<string, TextMatch>, timeout?: number): Promise<void> {
	await page.waitForFunction(
		(wanted) =>
			Object.entries(wanted).every(([testId, match]) => {
				const text = document.querySelector(`[data-testid="${testId}"]`)?.textContent;
				if (text === undefined || text === null) return false;
				return typeof match === 'string' ? text.trim() === match : text.includes(match.includes);
			}),
		expected,
		timeout === undefined ? undefined : { timeout }
	);
}

/**
 * Waits until the page has had time to send any request it is going to: what a
 * "nothing was fetched" count must wait for. (`waitForLoadState('networkidle')`
 * alone returns at once once the page has loaded, so a refetch started a moment
 * later would be missed.)
 */
export async function quietPeriod(page: Page, ms = 750): Promise<void> {
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(ms);
	await page.waitForLoadState('networkidle');
}
