// Query definitions shared by the Migrate* components, as an app keeps them in $lib/queries.ts.
import type { QueryConfig } from '../../../src/lib/index.js';

export type User = { id: number; name: string };
export type Todo = { id: number; title: string; done: boolean };
export type Api = {
	get: (path: string, signal?: AbortSignal) => Promise<any>;
	put: (path: string, body: unknown) => Promise<any>;
};

export const userQuery = (api: Api, id: number): QueryConfig<User> => ({
	key: ['users', id],
	fetcher: ({ signal }) => api.get(`/users/${id}`, signal),
	options: { retry: 0 }
});

export const todosQuery = (api: Api): QueryConfig<Todo[]> => ({
	key: ['todos'],
	fetcher: () => api.get('/todos'),
	options: { retry: 0 }
});
