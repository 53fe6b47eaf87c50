import { render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import Provide from './components/Provide.svelte';
import ReadmeDependent from './components/ReadmeDependent.svelte';
import { load, type User } from './components/readme-dependent-queries.js';
import { deferred, flush } from './helpers.js';

// As the README's root layout makes it.
let client: QoraClient;
beforeEach(() => {
	vi.useFakeTimers();
	client = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
});
afterEach(() => {
	client.dispose();
	vi.useRealTimers();
});

const team = { id: 't1', name: 'Platform' };

/** The API: users answer when the test says; teams at once. */
function api(user: User) {
	const userAnswer = deferred<User>();
	const fetched = vi.fn((url: string) => (url.startsWith('/api/users/') ? userAnswer.promise : Promise.resolve(team)));
	return { fetched, answerUser: () => userAnswer.resolve(user), urls: () => fetched.mock.calls.map(([url]) => url) };
}

describe("the README's dependent queries", () => {
	it("fetches the user's team only once the user is in, by the id the user brought", async () => {
		const server = api({ id: 'u1', name: 'Ada', teamId: 't1' });
		render(Provide, { client, view: ReadmeDependent, viewProps: { id: 'u1', api: server.fetched } });
		await flush();
		expect(server.urls()).toEqual(['/api/users/u1']);
		expect(screen.getByTestId('team')).toHaveTextContent('loading team');
		server.answerUser();
		await flush();
		expect(server.urls()).toEqual(['/api/users/u1', '/api/teams/t1']);
		expect(screen.getByTestId('team')).toHaveTextContent('Platform');
	});

	it('never fetches a team for a user without one (no /api/teams/undefined)', async () => {
		const server = api({ id: 'u2', name: 'Grace' });
		render(Provide, { client, view: ReadmeDependent, viewProps: { id: 'u2', api: server.fetched } });
		server.answerUser();
		await flush(10 * 60_000);
		expect(server.urls()).toEqual(['/api/users/u2']);
		expect(screen.getByTestId('team')).toHaveTextContent('no team');
	});

	it.each<[string, User, string[]]>([
		['with a team', { id: 'u1', name: 'Ada', teamId: 't1' }, ['/api/users/u1', '/api/teams/t1']],
		['without one', { id: 'u2', name: 'Grace' }, ['/api/users/u2']]
	])("prefetches both in the load, guarded, for a user %s: the page then fetches nothing", async (_case, user, urls) => {
		const server = api(user);
		const loaded = load(client, user.id, server.fetched);
		server.answerUser();
		await loaded;
		expect(server.urls()).toEqual(urls);
		render(Provide, { client, view: ReadmeDependent, viewProps: { id: user.id, api: server.fetched } });
		await flush();
		expect(server.urls()).toEqual(urls);
		expect(screen.getByTestId('team')).toHaveTextContent(user.teamId ? 'Platform' : 'no team');
	});
});
