// The README's dependent queries (SvelteKit section), with the API answered by the test.
import type { QoraClient, QueryConfig } from '../../../src/lib/index.js';

export type User = { id: string; name: string; teamId?: string };
export type Team = { id: string; name: string };
export type Api = (url: string) => Promise<unknown>;

export const userQuery = (id: string, api: Api): QueryConfig<User> => ({
	key: ['users', id],
	fetcher: () => api(`/api/users/${id}`) as Promise<User>
});

export const teamQuery = (teamId: string | undefined, api: Api): QueryConfig<Team> => ({
	key: ['teams', teamId ?? null],
	fetcher: () => api(`/api/teams/${teamId}`) as Promise<Team>,
	options: { enabled: teamId !== undefined }
});

/** The README's +page.ts: the team's prefetch guarded by the load itself. */
export async function load(qora: QoraClient, id: string, api: Api): Promise<void> {
	await qora.prefetchQuery(userQuery(id, api));
	const teamId = qora.getQueryData(userQuery(id, api).key)?.teamId;
	if (teamId !== undefined) await qora.prefetchQuery(teamQuery(teamId, api));
}
