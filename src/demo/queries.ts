/** The demo's queries (key + fetcher + options) and mutations, used by loads and components alike. */
import type { QueryConfig, TypedKey } from '../lib/index.js';
import { globalFetch, type Fetch } from './http.js';
import type { DashboardStats, NewPost, Post, User, UserSummary } from './types.js';

/** A non-2xx answer from the demo API, with the server's message. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
		this.name = 'HttpError';
	}
}

type JsonInit = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };

async function request<T>(http: Fetch, path: string, init: JsonInit = {}): Promise<T> {
	const response = await http(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
	const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
	if (!response.ok) {
		const message = typeof body?.message === 'string' ? body.message : `HTTP ${response.status}`;
		throw new HttpError(response.status, message);
	}
	return body as T;
}

/** Client errors (4xx) will not go away by asking again. */
export function isClientError(error: unknown): boolean {
	return error instanceof HttpError && error.status >= 400 && error.status < 500;
}

// Typed by their data, so reads and writes through them need no type argument.
export const usersKey: TypedKey<UserSummary[]> = ['users'];
export const userKey = (id: number): TypedKey<User> => ['users', id];
export const postsKey: TypedKey<Post[]> = ['posts'];
export const dashboardKey: TypedKey<DashboardStats> = ['dashboard'];

export function usersQuery(http: Fetch = globalFetch): QueryConfig<UserSummary[]> {
	return { key: usersKey, fetcher: ({ signal }) => request<UserSummary[]>(http, '/api/users', { signal }) };
}

export function userQuery(id: number, http: Fetch = globalFetch): QueryConfig<User> {
	return { key: userKey(id), fetcher: ({ signal }) => request<User>(http, `/api/users/${id}`, { signal }) };
}

export function postsQuery(http: Fetch = globalFetch): QueryConfig<Post[]> {
	return { key: postsKey, fetcher: ({ signal }) => request<Post[]>(http, '/api/posts', { signal }) };
}

export function dashboardQuery(pollMs: number, http: Fetch = globalFetch): QueryConfig<DashboardStats> {
	return {
		key: dashboardKey,
		fetcher: ({ signal }) => request<DashboardStats>(http, '/api/dashboard', { signal }),
		options: { refetchInterval: pollMs }
	};
}

export function createPost(input: NewPost): Promise<Post> {
	return request<Post>(globalFetch, '/api/posts', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(input)
	});
}

export function likePost(id: number): Promise<Post> {
	return request<Post>(globalFetch, `/api/posts/${id}/like`, { method: 'POST' });
}
