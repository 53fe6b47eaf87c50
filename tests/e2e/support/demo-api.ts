/** The demo server's test knobs, over plain HTTP. */
import { inject } from 'vitest';
import type { DemoSettings, RequestCounts } from '../../../src/demo/types.js';
import './provided.js';

export function baseURL(): string {
	return inject('qoraE2E').baseURL;
}

export function url(path: string): string {
	return new URL(path, baseURL()).href;
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
	const response = await fetch(url(path), init);
	if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}: ${await response.text()}`);
	return (await response.json()) as T;
}

/** Default settings (from the server's environment) and zeroed request counts. */
export async function resetDemo(): Promise<void> {
	await call('/api/settings', { method: 'DELETE' });
	await resetRequestCounts();
}

export function setSettings(patch: Partial<DemoSettings>): Promise<DemoSettings> {
	return call('/api/settings', {
		method: 'PATCH',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(patch)
	});
}

export async function resetRequestCounts(): Promise<void> {
	await call('/api/requests', { method: 'DELETE' });
}

export function requestCounts(): Promise<RequestCounts> {
	return call('/api/requests');
}

/** How many times "METHOD /path" was requested since the last reset. */
export async function requestCount(route: string): Promise<number> {
	return (await requestCounts()).byRoute[route] ?? 0;
}

/** The raw HTML of the server's first response for `path`. */
export async function rawHtml(path: string): Promise<string> {
	const response = await fetch(url(path));
	if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
	return response.text();
}

/** Request clients the demo server created and has not disposed. */
export async function liveServerClients(): Promise<number> {
	return (await call<{ live: number }>('/api/server-clients')).live;
}
