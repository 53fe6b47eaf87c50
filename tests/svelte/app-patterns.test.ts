// Small app screens built the way Svelte apps use Qora, driven as a user would: clicks and
// typing, with fake timers and a fake API whose answers the test releases by hand.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import AppAccount from './components/AppAccount.svelte';
import AppDependentById from './components/AppDependentById.svelte';
import AppDependentHost from './components/AppDependentHost.svelte';
import AppMasterDetail from './components/AppMasterDetail.svelte';
import AppTodoDetail from './components/AppTodoDetail.svelte';
import AppTodoPager from './components/AppTodoPager.svelte';
import AppPager from './components/AppPager.svelte';
import AppSearch from './components/AppSearch.svelte';
import AppTodos from './components/AppTodos.svelte';
import AppToggle from './components/AppToggle.svelte';
import QueryView from './components/QueryView.svelte';
import Provide from './components/Provide.svelte';
import { deferred, flush, freshClientPerTest, goOnline } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

/** A fake API: every call waits until the test answers (or fails) it, by path. */
function fakeApi() {
	const calls: { path: string; answer: ReturnType<typeof deferred<any>>; signal?: AbortSignal }[] = [];
	const get = vi.fn((path: string, signal?: AbortSignal) => {
		const answer = deferred<any>();
		calls.push({ path, answer, signal });
		return answer.promise;
	});
	/** The oldest unanswered call of `path`. */
	const pending = (path: string) => {
		const call = calls.find((c) => c.path === path && !answered.has(c));
		if (call === undefined) throw new Error(`no pending request for ${path}; requests: ${calls.map((c) => c.path).join(', ')}`);
		answered.add(call);
		return call;
	};
	const answered = new Set<(typeof calls)[number]>();
	return {
		get,
		calls,
		paths: () => calls.map((c) => c.path),
		count: (path: string) => calls.filter((c) => c.path === path).length,
		async resolve(path: string, value: unknown) {
			pending(path).answer.resolve(value);
			await flush();
		},
		async reject(path: string, error: Error) {
			pending(path).answer.reject(error);
			await flush();
		}
	};
}

const items = () => screen.queryAllByRole('listitem').map((li) => li.textContent);
const click = async (name: string) => {
	await fireEvent.click(screen.getByRole('button', { name }));
	await flush();
};
const page = (n: number, more = true) => ({ items: [`todo ${n}.1`, `todo ${n}.2`], hasMore: more });

describe('paginated list (keepPrevious, next page prefetched)', () => {
	it('shows page 1, prefetches page 2, and shows page 2 at once on Next with no second request', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppPager, viewProps: { get: api.get } });
		await flush();
		expect(screen.getByText('Loading…')).toBeInTheDocument();
		await api.resolve('/todos?page=1', page(1));
		expect(items()).toEqual(['todo 1.1', 'todo 1.2']);
		expect(api.paths()).toEqual(['/todos?page=1', '/todos?page=2']);
		await api.resolve('/todos?page=2', page(2));
		await click('Next');
		expect(items()).toEqual(['todo 2.1', 'todo 2.2']);
		expect(screen.getByTestId('flags')).toHaveTextContent('placeholder=false fetchStatus=idle');
		expect(api.count('/todos?page=2')).toBe(1);
		expect(api.paths()).toEqual(['/todos?page=1', '/todos?page=2', '/todos?page=3']);
	});

	it('keeps the previous page dimmed while the next one loads, then shows the next page', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppPager, viewProps: { get: api.get } });
		await flush();
		await api.resolve('/todos?page=1', page(1));
		await click('Next'); // the prefetch of page 2 is still out: the page joins it
		expect(api.count('/todos?page=2')).toBe(1);
		expect(items()).toEqual(['todo 1.1', 'todo 1.2']);
		expect(screen.getByRole('list')).toHaveClass('dimmed');
		expect(screen.getByTestId('flags')).toHaveTextContent('placeholder=true fetchStatus=fetching');
		await api.resolve('/todos?page=2', page(2));
		expect(items()).toEqual(['todo 2.1', 'todo 2.2']);
		expect(screen.getByRole('list')).not.toHaveClass('dimmed');
	});

	it('clicking Next and Previous fast ends on the page clicked last, whatever order the answers come in', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppPager, viewProps: { get: api.get } });
		await flush();
		await api.resolve('/todos?page=1', page(1));
		await api.resolve('/todos?page=2', page(2));
		await click('Next'); // page 2 from the cache; page 3 prefetched
		await click('Next'); // page 3 still loading: page 2 kept
		expect(screen.getByTestId('page')).toHaveTextContent('page 3');
		await click('Previous'); // back to page 2 before page 3 answered
		expect(screen.getByTestId('page')).toHaveTextContent('page 2');
		expect(items()).toEqual(['todo 2.1', 'todo 2.2']);
		await api.resolve('/todos?page=3', page(3));
		expect(screen.getByTestId('page')).toHaveTextContent('page 2');
		expect(items()).toEqual(['todo 2.1', 'todo 2.2']);
		expect(screen.getByTestId('flags')).toHaveTextContent('placeholder=false fetchStatus=idle');
	});

	it('a page that fails shows its error, not the previous page; Previous shows the cached page at once', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppPager, viewProps: { get: api.get } });
		await flush();
		await api.resolve('/todos?page=1', page(1));
		await click('Next');
		await api.reject('/todos?page=2', new Error('503'));
		expect(screen.getByRole('alert')).toHaveTextContent('Could not load page 2: 503');
		expect(items()).toEqual([]);
		await click('Previous');
		expect(items()).toEqual(['todo 1.1', 'todo 1.2']);
		expect(screen.queryByRole('alert')).toBeNull();
		expect(api.count('/todos?page=1')).toBe(1); // fresh: not fetched again
	});

	it('going back to a cached page shows it at once and refetches it only once it is stale', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppPager, viewProps: { get: api.get, staleTime: 30_000 } });
		await flush();
		await api.resolve('/todos?page=1', page(1));
		await api.resolve('/todos?page=2', page(2));
		await click('Next');
		await api.resolve('/todos?page=3', page(3));
		await click('Previous');
		expect(items()).toEqual(['todo 1.1', 'todo 1.2']);
		expect(api.count('/todos?page=1')).toBe(1);

		await click('Next');
		await flush(31_000); // everything is stale now
		await click('Previous');
		expect(items()).toEqual(['todo 1.1', 'todo 1.2']); // the cached page at once, while it revalidates
		expect(screen.getByTestId('flags')).toHaveTextContent('placeholder=false fetchStatus=fetching');
		expect(api.count('/todos?page=1')).toBe(2);
		await api.resolve('/todos?page=1', { items: ['todo 1.1 (edited)', 'todo 1.2'], hasMore: true });
		expect(items()).toEqual(['todo 1.1 (edited)', 'todo 1.2']);
	});

	it('after a save invalidates every page, the page on screen refetches at once and a cached page refetches when shown', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppPager, viewProps: { get: api.get } });
		await flush();
		await api.resolve('/todos?page=1', page(1));
		await api.resolve('/todos?page=2', page(2));
		await click('Next');
		await api.resolve('/todos?page=3', page(3));
		void client.invalidateWhere(['todos']);
		await flush();
		expect(api.count('/todos?page=2')).toBe(2);
		expect(api.count('/todos?page=1')).toBe(1);
		expect(items()).toEqual(['todo 2.1', 'todo 2.2']);
		await api.resolve('/todos?page=2', page(2));
		await click('Previous');
		expect(items()).toEqual(['todo 1.1', 'todo 1.2']);
		expect(api.count('/todos?page=1')).toBe(2);
		await api.resolve('/todos?page=1', { items: ['todo 1.1', 'todo 1.2', 'todo 1.3'], hasMore: true });
		expect(items()).toEqual(['todo 1.1', 'todo 1.2', 'todo 1.3']);
	});
});

describe('search as you type', () => {
	const hits = (term: string) => [{ term, title: `${term} result` }];
	const type = async (text: string) => {
		await fireEvent.input(screen.getByRole('textbox', { name: 'Search' }), { target: { value: text } });
		await flush();
	};
	/** Every heading and result on screen names the term in the input. */
	const showsOnlyTerm = (term: string) => {
		const heading = screen.queryByTestId('heading');
		if (heading) expect(heading).toHaveTextContent(`Results for “${term}”`);
		for (const item of items()) expect(item).toBe(`${term} result`);
	};

	it('waits for two letters, then searches', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppSearch, viewProps: { get: api.get } });
		await type('a');
		expect(api.get).not.toHaveBeenCalled();
		expect(screen.queryByText('Searching…')).toBeNull();
		await type('ap');
		expect(screen.getByText('Searching…')).toBeInTheDocument();
		await api.resolve('/search?q=ap', hits('ap'));
		expect(items()).toEqual(['ap result']);
	});

	it('never shows results of an earlier search term when the answers arrive out of order', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppSearch, viewProps: { get: api.get } });
		await type('ap');
		await type('app');
		await type('appl');
		expect(api.paths()).toEqual(['/search?q=ap', '/search?q=app', '/search?q=appl']);
		await api.resolve('/search?q=appl', hits('appl'));
		showsOnlyTerm('appl');
		expect(items()).toEqual(['appl result']);
		await api.resolve('/search?q=ap', hits('ap'));
		showsOnlyTerm('appl');
		await api.resolve('/search?q=app', hits('app'));
		showsOnlyTerm('appl');
		expect(items()).toEqual(['appl result']);
	});

	it('never shows an earlier term’s answer that lands while the current term is still loading', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppSearch, viewProps: { get: api.get } });
		await type('ap');
		await type('app');
		await api.resolve('/search?q=ap', hits('ap'));
		expect(screen.getByText('Searching…')).toBeInTheDocument();
		expect(items()).toEqual([]);
		await api.resolve('/search?q=app', hits('app'));
		expect(items()).toEqual(['app result']);
	});

	it('with keepPrevious, an earlier term’s results stay only as a placeholder, never as the new term’s', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppSearch, viewProps: { get: api.get, keep: 'always' } });
		await type('ap');
		await api.resolve('/search?q=ap', hits('ap'));
		await type('app');
		await type('appl');
		expect(screen.getByTestId('heading')).toHaveTextContent('Results for “appl” (updating)');
		await api.resolve('/search?q=app', hits('app')); // an answer for a term no longer typed
		expect(screen.getByTestId('heading')).toHaveTextContent('(updating)');
		expect(items()).toEqual(['ap result']);
		await api.resolve('/search?q=appl', hits('appl'));
		expect(screen.getByTestId('heading')).toHaveTextContent(/^Results for “appl”$/);
		expect(items()).toEqual(['appl result']);
	});

	it('with keepPrevious, a term too short to search still shows the last results as a placeholder', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppSearch, viewProps: { get: api.get, keep: 'always' } });
		await type('ap');
		await api.resolve('/search?q=ap', hits('ap'));
		await type('');
		expect(items()).toEqual(['ap result']);
		expect(screen.getByTestId('heading')).toHaveTextContent('(updating)');
	});

	it('with keepPrevious only while the term is searchable, clearing the box clears the results', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppSearch, viewProps: { get: api.get, keep: 'whileEnabled' } });
		await type('ap');
		await api.resolve('/search?q=ap', hits('ap'));
		await type('app');
		expect(screen.getByTestId('heading')).toHaveTextContent('Results for “app” (updating)');
		await type('a');
		expect(items()).toEqual([]);
		expect(screen.queryByTestId('heading')).toBeNull();
		await type('ap'); // cached: shown at once
		expect(items()).toEqual(['ap result']);
	});

	it('deleting back to a term searched before shows its cached results at once', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppSearch, viewProps: { get: api.get } });
		await type('ap');
		await api.resolve('/search?q=ap', hits('ap'));
		await type('app');
		await type('ap');
		expect(items()).toEqual(['ap result']);
		showsOnlyTerm('ap');
		expect(api.count('/search?q=ap')).toBe(1);
		await api.resolve('/search?q=app', hits('app'));
		showsOnlyTerm('ap');
	});
});

describe('dependent queries (enabled once the user has loaded)', () => {
	const users = { 1: { id: 1, name: 'Ada', orgId: 10 }, 2: { id: 2, name: 'Grace', orgId: 20 } };

	it('loads the projects only once the user is there, with the user’s org', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppDependentHost, viewProps: { get: api.get } });
		await flush();
		expect(api.paths()).toEqual(['/users/1']);
		expect(screen.queryByText('Loading projects…')).toBeNull();
		await api.resolve('/users/1', users[1]);
		expect(api.paths()).toEqual(['/users/1', '/orgs/10/projects']);
		expect(screen.getByText('Loading projects…')).toBeInTheDocument();
		await api.resolve('/orgs/10/projects', ['apollo']);
		expect(items()).toEqual(['apollo']);
	});

	it('switching users never fetches the projects with the previous user’s org, nor shows them', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppDependentHost, viewProps: { get: api.get } });
		await flush();
		await api.resolve('/users/1', users[1]);
		await click('Switch user'); // while Ada's projects are still loading
		expect(screen.getByRole('heading')).toHaveTextContent('Loading user…');
		expect(items()).toEqual([]);
		await api.resolve('/orgs/10/projects', ['apollo']); // lands for the user no longer shown
		expect(items()).toEqual([]);
		expect(api.paths()).toEqual(['/users/1', '/orgs/10/projects', '/users/2']);
		await api.resolve('/users/2', users[2]);
		expect(api.paths()).toEqual(['/users/1', '/orgs/10/projects', '/users/2', '/orgs/20/projects']);
		await api.resolve('/orgs/20/projects', ['gemini']);
		expect(screen.getByRole('heading')).toHaveTextContent('Grace');
		expect(items()).toEqual(['gemini']);

		await click('Switch user'); // back to Ada: both from the cache, fresh
		expect(screen.getByRole('heading')).toHaveTextContent('Ada');
		expect(items()).toEqual(['apollo']);
		expect(api.calls).toHaveLength(4);
	});
});

describe('dependent queries keyed by the route’s id', () => {
	it('switching users never fetches the next user’s projects before that user has loaded', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppDependentById, viewProps: { get: api.get } });
		await flush();
		await api.resolve('/users/1', { id: 1, name: 'Ada' });
		await api.resolve('/users/1/projects', ['apollo']);
		await click('Switch user');
		expect(api.paths()).toEqual(['/users/1', '/users/1/projects', '/users/2']);
		expect(items()).toEqual([]);
		await api.resolve('/users/2', { id: 2, name: 'Grace' });
		expect(api.paths()).toEqual(['/users/1', '/users/1/projects', '/users/2', '/users/2/projects']);
		await api.resolve('/users/2/projects', ['gemini']);
		expect(items()).toEqual(['gemini']);
	});
});

describe('optimistic todo list (createMutation: snapshot, write, roll back, invalidate)', () => {
	type Todo = { id: number; title: string };
	/** A server holding todos: loads answer with what it holds when the test answers them; saves wait for the test too. */
	function todoServer(initial: Todo[]) {
		const todos = [...initial];
		const loads: ReturnType<typeof deferred<Todo[]>>[] = [];
		const saves = new Map<string, ReturnType<typeof deferred<Todo>>>();
		const load = vi.fn(() => {
			const answer = deferred<Todo[]>();
			loads.push(answer);
			return answer.promise;
		});
		const save = vi.fn((title: string) => {
			const answer = deferred<Todo>();
			saves.set(title, answer);
			return answer.promise;
		});
		return {
			todos,
			load,
			save,
			loads,
			/** Answers load `index` with the todos the server holds now. */
			async answerLoad(index: number) {
				loads[index]!.resolve([...todos]);
				await flush();
			},
			/** Stores the todo and answers its save. */
			async accept(title: string) {
				const todo = { id: todos.length + 1, title };
				todos.push(todo);
				saves.get(title)!.resolve(todo);
				await flush();
			},
			async refuse(title: string) {
				saves.get(title)!.reject(new Error(`${title} refused`));
				await flush();
			}
		};
	}
	const add = async (title: string) => {
		await fireEvent.input(screen.getByRole('textbox', { name: 'Title' }), { target: { value: title } });
		await click('Add');
	};
	const shown = () => items();

	it('shows the new todo at once and keeps it once saved', async () => {
		const server = todoServer([{ id: 1, title: 'A' }]);
		render(Provide, { client, view: AppTodos, viewProps: { load: server.load, save: server.save } });
		await server.answerLoad(0);
		await add('B');
		expect(shown()).toEqual(['A', 'B']);
		await server.accept('B');
		await server.answerLoad(1); // onSettled's invalidate
		expect(shown()).toEqual(['A', 'B']);
		expect(client.getQueryData<Todo[]>(['todos'])).toEqual([
			{ id: 1, title: 'A' },
			{ id: 2, title: 'B' }
		]);
	});

	it('the second add survives the first one’s failure (rolled back only while its own write stands)', async () => {
		const server = todoServer([{ id: 1, title: 'A' }]);
		render(Provide, { client, view: AppTodos, viewProps: { load: server.load, save: server.save } });
		await server.answerLoad(0);
		await add('B');
		await add('C');
		expect(shown()).toEqual(['A', 'B', 'C']);
		await server.refuse('B');
		// B's rollback would take C with it: the guard leaves the list as it is until the refetch.
		expect(shown()).toEqual(['A', 'B', 'C']);
		await server.accept('C');
		// Both invalidations are answered by the refetch that is out now; the server has A and C.
		const last = server.loads.length - 1;
		await server.answerLoad(last);
		for (let i = 1; i < last; i++) server.loads[i]!.resolve([{ id: 99, title: 'stale answer' }]);
		await flush();
		expect(shown()).toEqual(['A', 'C']);
		expect(screen.getByTestId('mutation')).toHaveTextContent('status=success');
	});

	it('without the guard, the first add’s rollback takes back the second add too, until the refetch (as the README warns)', async () => {
		const server = todoServer([{ id: 1, title: 'A' }]);
		render(Provide, { client, view: AppTodos, viewProps: { load: server.load, save: server.save, guard: false } });
		await server.answerLoad(0);
		await add('B');
		await add('C');
		await server.refuse('B');
		expect(shown()).toEqual(['A']);
		await server.accept('C');
		await server.answerLoad(server.loads.length - 1);
		expect(shown()).toEqual(['A', 'C']);
	});

	it('a refetch that was out when the second save landed never overwrites the list fetched after it', async () => {
		const server = todoServer([{ id: 1, title: 'A' }]);
		render(Provide, { client, view: AppTodos, viewProps: { load: server.load, save: server.save } });
		await server.answerLoad(0);
		await add('B');
		await add('C');
		await server.accept('B'); // invalidate: refetch 1 goes out (the server has A, B)
		expect(server.load).toHaveBeenCalledTimes(2);
		const firstRefetch = server.loads[1]!;
		await server.accept('C'); // invalidated while refetch 1 is out: it is replaced
		expect(server.load).toHaveBeenCalledTimes(3);
		await server.answerLoad(2);
		expect(shown()).toEqual(['A', 'B', 'C']);
		firstRefetch.resolve([{ id: 1, title: 'A' }, { id: 2, title: 'B' }]); // the older answer lands late
		await flush();
		expect(shown()).toEqual(['A', 'B', 'C']);
		expect(screen.getByTestId('list-flags')).toHaveTextContent('fetchStatus=idle');
	});

	it('a failed add shows “Not saved” and the list without it once the refetch lands', async () => {
		const server = todoServer([{ id: 1, title: 'A' }]);
		render(Provide, { client, view: AppTodos, viewProps: { load: server.load, save: server.save } });
		await server.answerLoad(0);
		await add('B');
		await server.refuse('B');
		expect(shown()).toEqual(['A']);
		expect(screen.getByRole('alert')).toHaveTextContent('Not saved: B refused');
		await server.answerLoad(1);
		expect(shown()).toEqual(['A']);
	});
});

describe('detail page seeded from the list cache', () => {
	const list = [
		{ id: 1, title: 'Buy milk' },
		{ id: 2, title: 'Call mum' }
	];

	it('shows the row from the list at once and, while the list is fresh, fetches nothing', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppMasterDetail, viewProps: { get: api.get } });
		await flush();
		await api.resolve('/todos', list);
		await click('Call mum');
		expect(screen.getByRole('heading')).toHaveTextContent('Call mum');
		expect(screen.getByTestId('detail-flags')).toHaveTextContent('fetchStatus=idle stale=false');
		expect(api.paths()).toEqual(['/todos']);
	});

	it('with a stale seed, shows it at once and replaces it with the detail’s own fetch', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppMasterDetail, viewProps: { get: api.get, detailStaleTime: 10_000 } });
		await flush();
		await api.resolve('/todos', list);
		await flush(11_000); // the list's data is older than the detail's staleTime
		await click('Call mum');
		expect(screen.getByRole('heading')).toHaveTextContent('Call mum');
		expect(screen.getByTestId('notes')).toHaveTextContent('no notes yet');
		expect(screen.getByTestId('detail-flags')).toHaveTextContent('fetchStatus=fetching stale=true');
		await api.resolve('/todos/2', { id: 2, title: 'Call mum', notes: 'about Sunday' });
		expect(screen.getByTestId('notes')).toHaveTextContent('about Sunday');
		expect(screen.getByTestId('detail-flags')).toHaveTextContent('fetchStatus=idle stale=false');
	});

	it('opened from a link with no list cached, loads the todo itself', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppTodoDetail, viewProps: { get: api.get, id: 2, client } });
		await flush();
		expect(screen.getByText('Loading todo…')).toBeInTheDocument();
		expect(api.paths()).toEqual(['/todos/2']);
		await api.resolve('/todos/2', { id: 2, title: 'Call mum', notes: 'about Sunday' });
		expect(screen.getByRole('heading')).toHaveTextContent('Call mum');
	});

	it('a detail page whose id follows the route seeds each todo from the list, and fetches only a todo the list lacks', async () => {
		const api = fakeApi();
		client.setQueryData(['todos'], list);
		render(Provide, { client, view: AppTodoPager, viewProps: { get: api.get } });
		await flush();
		expect(screen.getByRole('heading')).toHaveTextContent('Buy milk');
		await click('Next todo');
		expect(screen.getByRole('heading')).toHaveTextContent('Call mum');
		expect(api.calls).toHaveLength(0);
		await click('Next todo');
		expect(screen.getByText('Loading todo…')).toBeInTheDocument();
		expect(api.paths()).toEqual(['/todos/3']);
		await api.resolve('/todos/3', { id: 3, title: 'Pay rent', notes: 'by Friday' });
		expect(screen.getByRole('heading')).toHaveTextContent('Pay rent');
	});
});

describe('logout: client.clear() while queries are mounted and fetching', () => {
	it('shows nothing of the old user once logged out, even when the fetches in flight land', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppAccount, viewProps: { get: api.get } });
		await flush();
		await api.resolve('/me', { name: 'Ada' });
		await api.resolve('/todos?page=1', ['ada 1']);
		expect(screen.getByTestId('me')).toHaveTextContent('Signed in as Ada');
		void client.invalidate(['me']); // a refetch of the profile is out
		await click('Next'); // page 2 is loading, page 1 kept on screen
		expect(items()).toEqual(['ada 1']);

		await click('Log out');
		expect(screen.getByTestId('me')).toHaveTextContent('Not signed in');
		expect(items()).toEqual([]);
		await api.resolve('/me', { name: 'Ada' });
		await api.resolve('/todos?page=2', ['ada 2']);
		expect(screen.getByTestId('me')).toHaveTextContent('Not signed in');
		expect(items()).toEqual([]);
		expect(client.getQueryData(['me'])).toBeUndefined();
		expect(client.getQueryData(['todos', { page: 2 }])).toBeUndefined();
	});

	it('a retry of the old user’s failed fetch does not go out after logout', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppAccount, viewProps: { get: api.get } });
		await flush();
		await api.resolve('/todos?page=1', ['ada 1']);
		await api.reject('/me', new Error('502'));
		expect(screen.getByTestId('me')).toHaveTextContent('Not signed in'); // retrying in 1 s
		await click('Log out');
		await flush(60_000);
		expect(api.paths().sort()).toEqual(['/me', '/todos?page=1']);
		expect(screen.getByTestId('me')).toHaveTextContent('Not signed in');
	});

	it('the next user’s fetches show their data, never the previous user’s late answers', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppAccount, viewProps: { get: api.get } });
		await flush();
		await click('Log out'); // before anything answered
		void client.invalidate(['me']); // sign-in as Grace: the screen refetches
		void client.invalidate(['todos', { page: 1 }]);
		await flush();
		expect(api.paths().sort()).toEqual(['/me', '/me', '/todos?page=1', '/todos?page=1']);
		await api.resolve('/me', { name: 'Ada' }); // Ada's old answers land first
		await api.resolve('/todos?page=1', ['ada 1']);
		expect(screen.getByTestId('me')).toHaveTextContent('Not signed in');
		expect(items()).toEqual([]);
		await api.resolve('/me', { name: 'Grace' });
		await api.resolve('/todos?page=1', ['grace 1']);
		expect(screen.getByTestId('me')).toHaveTextContent('Signed in as Grace');
		expect(items()).toEqual(['grace 1']);
	});
});

describe('logout while an optimistic save is out', () => {
	type Todo = { id: number; title: string };

	for (const guard of [true, false]) {
		it(`a save refused after logout does not roll the old user’s list back onto the screen (${guard ? 'guarded' : 'plain'} rollback)`, async () => {
			const loads: ReturnType<typeof deferred<Todo[]>>[] = [];
			const load = vi.fn(() => {
				const answer = deferred<Todo[]>();
				loads.push(answer);
				return answer.promise;
			});
			const saving = deferred<Todo>();
			render(Provide, { client, view: AppTodos, viewProps: { load, save: () => saving.promise, guard } });
			await flush();
			loads[0]!.resolve([{ id: 1, title: 'Ada’s secret' }]);
			await flush();
			await fireEvent.input(screen.getByRole('textbox', { name: 'Title' }), { target: { value: 'Ada’s draft' } });
			await click('Add');
			expect(items()).toEqual(['Ada’s secret', 'Ada’s draft']);

			client.clear(); // log out
			await flush();
			expect(items()).toEqual([]);
			saving.reject(new Error('401'));
			await flush();
			expect(items()).toEqual([]);
			expect(client.getQueryData(['todos'])).toBeUndefined();
		});
	}
});

describe('logout while a save waits offline', () => {
	const undo: (() => void)[] = [];
	afterEach(() => {
		for (const u of undo.splice(0).reverse()) u();
	});

	/** The todo screen, offline, with a todo added: its save waits for the connection. */
	async function savePausedOffline() {
		const load = vi.fn(async () => [{ id: 1, title: 'A' }]);
		const save = vi.fn(async (title: string) => ({ id: 2, title }));
		render(Provide, { client, view: AppTodos, viewProps: { load, save } });
		await flush();
		undo.push(goOnline(false));
		await fireEvent.input(screen.getByRole('textbox', { name: 'Title' }), { target: { value: 'B' } });
		await click('Add');
		expect(screen.getByTestId('mutation')).toHaveTextContent('status=pending paused=true');
		return save;
	}

	it('clear() does not drop a save paused offline: it goes out on reconnect', async () => {
		const save = await savePausedOffline();
		client.clear(); // log out
		await flush();
		goOnline(true);
		await flush();
		expect(save).toHaveBeenCalledTimes(1);
	});

	it('disposing the client (logging out by replacing it) drops a save paused offline', async () => {
		const save = await savePausedOffline();
		client.dispose();
		goOnline(true);
		await flush();
		expect(save).not.toHaveBeenCalled();
		expect(screen.getByTestId('mutation')).toHaveTextContent('status=error');
	});
});

describe('unmount during a fetch, then mount again', () => {
	function mountToggled(api: ReturnType<typeof fakeApi>, options: { gcTime?: number; staleTime?: number } = {}) {
		const config = { key: ['inbox'], fetcher: () => api.get('/inbox'), options: { retry: 0, ...options } };
		render(Provide, { client, view: AppToggle, viewProps: { view: QueryView, viewProps: { config } } });
	}

	it('within gcTime: the fetch that was out fills the cache, and the page shows it with no second request', async () => {
		const api = fakeApi();
		mountToggled(api, { gcTime: 60_000 });
		await flush();
		await click('Hide'); // navigated away while the inbox loads
		await api.resolve('/inbox', ['hello']);
		await flush(30_000);
		await click('Show');
		expect(screen.getByText('data: ["hello"]')).toBeInTheDocument();
		expect(api.calls).toHaveLength(1);
	});

	it('back before the fetch answered: joins it, no second request', async () => {
		const api = fakeApi();
		mountToggled(api, { gcTime: 60_000 });
		await flush();
		await click('Hide');
		await flush(5_000);
		await click('Show');
		expect(screen.getByText('loading')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('fetchStatus=fetching');
		await api.resolve('/inbox', ['hello']);
		expect(screen.getByText('data: ["hello"]')).toBeInTheDocument();
		expect(api.calls).toHaveLength(1);
	});

	it('after gcTime: the entry is gone, the page loads again from scratch', async () => {
		const api = fakeApi();
		mountToggled(api, { gcTime: 60_000 });
		await flush();
		await click('Hide');
		await api.resolve('/inbox', ['hello']);
		await flush(60_001);
		expect(client.getQueryData(['inbox'])).toBeUndefined();
		await click('Show');
		expect(screen.getByText('loading')).toBeInTheDocument();
		expect(api.calls).toHaveLength(2);
		await api.resolve('/inbox', ['hello again']);
		expect(screen.getByText('data: ["hello again"]')).toBeInTheDocument();
	});

	it('a fetch still out when gcTime runs out does not leave the entry collected under it', async () => {
		const api = fakeApi();
		mountToggled(api, { gcTime: 60_000 });
		await flush();
		await click('Hide');
		await flush(90_000); // the request hangs past gcTime
		await api.resolve('/inbox', ['late']);
		await click('Show');
		expect(screen.getByText('data: ["late"]')).toBeInTheDocument();
		expect(api.calls).toHaveLength(1);
	});

	it('left while its load failed: mounting again shows the error while it tries again', async () => {
		const api = fakeApi();
		mountToggled(api, { gcTime: 60_000 });
		await flush();
		await click('Hide');
		await api.reject('/inbox', new Error('boom'));
		await click('Show');
		expect(screen.getByText('error: boom')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=error fetchStatus=fetching');
		await api.resolve('/inbox', ['hello']);
		expect(screen.getByText('data: ["hello"]')).toBeInTheDocument();
	});

	it('left while its load waited offline: the load goes out on reconnect anyway, and mounting again joins it', async () => {
		const api = fakeApi();
		const undo = goOnline(false);
		try {
			mountToggled(api, { gcTime: 60_000 });
			await flush();
			expect(screen.getByTestId('query-meta')).toHaveTextContent('fetchStatus=paused');
			await click('Hide');
			goOnline(true);
			await flush();
			expect(api.calls).toHaveLength(1);
			await click('Show');
			expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=fetching');
			await api.resolve('/inbox', ['hello']);
			expect(screen.getByText('data: ["hello"]')).toBeInTheDocument();
			expect(api.calls).toHaveLength(1);
		} finally {
			undo();
		}
	});
});

describe('window focus and connectivity', () => {
	const undo: (() => void)[] = [];
	afterEach(() => {
		for (const u of undo.splice(0).reverse()) u();
	});
	// The user comes back to the window: it lost focus, then gains it.
	const focusWindow = async () => {
		window.dispatchEvent(new Event('blur'));
		window.dispatchEvent(new Event('focus'));
		await flush();
	};
	const offline = async () => {
		undo.push(goOnline(false));
		await flush();
	};
	const online = async () => {
		goOnline(true);
		await flush();
	};
	const inbox = (api: ReturnType<typeof fakeApi>, staleTime: number) => ({
		key: ['inbox'],
		fetcher: () => api.get('/inbox'),
		options: { staleTime }
	});

	it('focusing the window refetches a stale query on screen, and not a fresh one', async () => {
		const api = fakeApi();
		render(Provide, { client, view: QueryView, viewProps: { config: inbox(api, 10_000) } });
		await flush();
		await api.resolve('/inbox', ['a']);
		await focusWindow();
		expect(api.calls).toHaveLength(1);
		await flush(10_001);
		await focusWindow();
		expect(api.calls).toHaveLength(2);
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=success fetchStatus=fetching');
		await api.resolve('/inbox', ['a', 'b']);
		expect(screen.getByText('data: ["a","b"]')).toBeInTheDocument();
	});

	it('focus does not refetch a query no longer on screen', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppToggle, viewProps: { view: QueryView, viewProps: { config: inbox(api, 0) } } });
		await flush();
		await api.resolve('/inbox', ['a']);
		await click('Hide');
		await focusWindow();
		expect(api.calls).toHaveLength(1);
	});

	it('offline, the first load pauses (fetchStatus paused, no request) and goes out on reconnect', async () => {
		const api = fakeApi();
		await offline();
		render(Provide, { client, view: QueryView, viewProps: { config: inbox(api, 0) } });
		await flush();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=paused');
		expect(api.calls).toHaveLength(0);
		await online();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=fetching');
		await api.resolve('/inbox', ['a']);
		expect(screen.getByText('data: ["a"]')).toBeInTheDocument();
		expect(api.calls).toHaveLength(1);
	});

	it('a request that fails once the connection dropped waits for the connection and retries on reconnect', async () => {
		const api = fakeApi();
		render(Provide, { client, view: QueryView, viewProps: { config: inbox(api, 0) } });
		await flush();
		await offline();
		await api.reject('/inbox', new TypeError('Failed to fetch'));
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=paused failureCount=1');
		await flush(60_000);
		expect(api.calls).toHaveLength(1);
		await online();
		expect(api.calls).toHaveLength(2);
		await api.resolve('/inbox', ['a']);
		expect(screen.getByText('data: ["a"]')).toBeInTheDocument();
	});

	it('a retry that falls due while offline waits for the connection, then goes out', async () => {
		const api = fakeApi();
		render(Provide, { client, view: QueryView, viewProps: { config: { key: ['inbox'], fetcher: () => api.get('/inbox'), options: { retry: 2 } } } });
		await flush();
		await api.reject('/inbox', new Error('500')); // online: the retry is due in 1 s
		await offline();
		await flush(5_000);
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=pending fetchStatus=paused failureCount=1');
		expect(api.calls).toHaveLength(1);
		await online();
		expect(api.calls).toHaveLength(2);
		await api.resolve('/inbox', ['a']);
		expect(screen.getByText('data: ["a"]')).toBeInTheDocument();
	});

	it('reconnecting refetches stale data on screen, keeping it shown meanwhile', async () => {
		const api = fakeApi();
		render(Provide, { client, view: QueryView, viewProps: { config: inbox(api, 0) } });
		await flush();
		await api.resolve('/inbox', ['a']);
		await offline();
		await focusWindow(); // stale, but offline: the refetch waits
		expect(screen.getByTestId('query-meta')).toHaveTextContent('status=success fetchStatus=paused');
		expect(api.calls).toHaveLength(1);
		await online();
		expect(api.calls).toHaveLength(2);
		expect(screen.getByText('data: ["a"]')).toBeInTheDocument();
		await api.resolve('/inbox', ['a', 'b']);
		expect(screen.getByText('data: ["a","b"]')).toBeInTheDocument();
		expect(screen.getByTestId('query-meta')).toHaveTextContent('fetchStatus=idle');
	});

	it('a tab coming back fires visibilitychange and focus: the stale query is fetched once', async () => {
		const api = fakeApi();
		render(Provide, { client, view: QueryView, viewProps: { config: inbox(api, 0) } });
		await flush();
		await api.resolve('/inbox', ['a']);
		document.dispatchEvent(new Event('visibilitychange'));
		window.dispatchEvent(new Event('focus'));
		await flush();
		expect(api.calls).toHaveLength(2);
	});

	it('reconnecting does not refetch fresh data', async () => {
		const api = fakeApi();
		render(Provide, { client, view: QueryView, viewProps: { config: inbox(api, 60_000) } });
		await flush();
		await api.resolve('/inbox', ['a']);
		await offline();
		await online();
		expect(api.calls).toHaveLength(1);
	});

	it('Next while offline keeps the page on screen, marked paused, and loads the next page on reconnect', async () => {
		const api = fakeApi();
		render(Provide, { client, view: AppPager, viewProps: { get: api.get } });
		await flush();
		await offline(); // page 1's request is already out: it still lands
		await api.resolve('/todos?page=1', page(1));
		expect(api.count('/todos?page=2')).toBe(0); // its prefetch waits for the connection
		await click('Next');
		expect(items()).toEqual(['todo 1.1', 'todo 1.2']);
		expect(screen.getByTestId('flags')).toHaveTextContent('placeholder=true fetchStatus=paused');
		await online();
		expect(api.count('/todos?page=2')).toBe(1);
		await api.resolve('/todos?page=2', page(2));
		expect(items()).toEqual(['todo 2.1', 'todo 2.2']);
	});

	it('a todo added offline shows at once, is saved on reconnect before the list refetches, and stays', async () => {
		type Todo = { id: number; title: string };
		const server: Todo[] = [{ id: 1, title: 'A' }];
		const order: string[] = [];
		const load = vi.fn(async () => {
			order.push('load');
			return [...server];
		});
		const save = vi.fn(async (title: string) => {
			order.push(`save ${title}`);
			const todo = { id: server.length + 1, title };
			server.push(todo);
			return todo;
		});
		render(Provide, { client, view: AppTodos, viewProps: { load, save, staleTime: 0 } });
		await flush();
		await offline();
		await fireEvent.input(screen.getByRole('textbox', { name: 'Title' }), { target: { value: 'B' } });
		await click('Add');
		expect(items()).toEqual(['A', 'B']);
		expect(screen.getByTestId('mutation')).toHaveTextContent('status=pending paused=true');
		await focusWindow(); // the list is stale: its refetch waits for the connection too
		expect(screen.getByTestId('list-flags')).toHaveTextContent('fetchStatus=paused');
		expect(save).not.toHaveBeenCalled();
		await online();
		expect(order[1]).toBe('save B');
		expect(order.slice(2).every((call) => call === 'load')).toBe(true);
		expect(items()).toEqual(['A', 'B']);
		expect(screen.getByTestId('mutation')).toHaveTextContent('status=success paused=false');
	});
});
