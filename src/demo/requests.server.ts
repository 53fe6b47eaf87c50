/** Counts the API requests the demo server answers, so tests can tell whether the browser fetched. */
import type { RequestCounts } from './types.js';

let total = 0;
const byRoute = new Map<string, number>();

export function countRequest(method: string, pathname: string): void {
	const route = `${method} ${pathname}`;
	total++;
	byRoute.set(route, (byRoute.get(route) ?? 0) + 1);
}

export function requestCounts(): RequestCounts {
	return { total, byRoute: Object.fromEntries(byRoute) };
}

export function resetRequestCounts(): void {
	total = 0;
	byRoute.clear();
}
