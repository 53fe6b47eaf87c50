/**
 * What every demo API endpoint shares: it is counted, waits the configured
 * latency, fails on demand, answers JSON and is never cached by the browser
 * (a cached response would hide a repeated request from the counter).
 */
import { json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import { countRequest } from './requests.server.js';
import { getSettings } from './settings.server.js';
import type { RouteName } from './types.js';

/** An error the endpoint answers with its status and message. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

const noStore = { 'cache-control': 'no-store' };

function wait(ms: number, signal: AbortSignal): Promise<void> {
	if (ms <= 0) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, ms);
		// A client that gave up needs no answer.
		signal.addEventListener('abort', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/**
 * Wraps a handler. Query flags override the settings for one request:
 * `?latency=<ms>` and `?fail=1`.
 */
export function apiRoute(name: RouteName, handler: (event: RequestEvent) => unknown): RequestHandler {
	return async (event) => {
		countRequest(event.request.method, event.url.pathname);
		const settings = getSettings();
		const latencyFlag = Number(event.url.searchParams.get('latency'));
		await wait(Number.isFinite(latencyFlag) && latencyFlag > 0 ? latencyFlag : settings.latencyMs, event.request.signal);
		if (settings.failRoutes.includes(name) || event.url.searchParams.get('fail') === '1') {
			return json({ message: `Injected failure of "${name}"` }, { status: 503, headers: noStore });
		}
		try {
			return json(await handler(event), { headers: noStore });
		} catch (error) {
			if (error instanceof ApiError) return json({ message: error.message }, { status: error.status, headers: noStore });
			throw error;
		}
	};
}

/** The request's JSON body, or a 400. */
export async function readJson(event: RequestEvent): Promise<unknown> {
	try {
		return await event.request.json();
	} catch {
		throw new ApiError(400, 'The body must be JSON');
	}
}

/** A route parameter as a positive integer id, or a 404. */
export function idParam(raw: string | undefined, what: string): number {
	const id = Number(raw);
	if (!Number.isInteger(id) || id < 1) throw new ApiError(404, `No such ${what}`);
	return id;
}
