// Screens of an app ported from @tanstack/svelte-query, written the way the README says to write
// them in Qora (runes mode): polling until done, a debounced search, hover prefetch, an optimistic
// toggle, a global error toast, logout by replacing the client. Fake timers and a fake API whose
// answers the test releases by hand.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import MigrateJob from './components/MigrateJob.svelte';
import MigrateDebouncedSearch from './components/MigrateDebouncedSearch.svelte';
import MigrateUsers from './components/MigrateUsers.svelte';
import MigrateTodos from './components/MigrateTodos.svelte';
import MigrateSession from './components/MigrateSession.svelte';
import MigrateToastApp from './components/MigrateToastApp.svelte';
import Provide from './components/Provide.svelte';
import { toast, toasts } from './components/migrate-toasts.svelte.js';
import { deferred, flush, freshClientPerTest, goOnline, setVisibility } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

function fakeApi() {
	const calls: { path: string; body?: unknown; answer: ReturnType<typeof deferred<any>>; signal?: AbortSignal }[] = [];
	const answered = new Set<(typeof calls)[number]>();
	const make = (path: string, signal?: AbortSignal, body?: unknown) => {
		const answer = deferred<any>();
		calls.push({ path, answer, signal, body });
		return answer.promise;
	};
	const get = vi.fn((path: string, signal?: AbortSignal) => make(path, signal));
	const put = vi.fn((path: string, body: unknown) => make(`PUT ${path}`, undefined, body));
	const pending = (path: string) => {
		const call = calls.find((c) => c.path === path && !answered.has(c));
		if (call === undefined) throw new Error(`no pending request for ${path}; requests: ${calls.map((c) => c.path).join(', ')}`);
		answered.add(call);
		return call;
	};
	return {
		get, put, calls,
		paths: () => calls.map((c) => c.path),
		count: (path: string) => calls.filter((c) => c.path === path).length,
		async resolve(path: string, value: unknown) { pending(path).answer.resolve(value); await flush(); },
		async reject(path: string, error: Error) { pending(path).answer.reject(error); await flush(); }
	};
}

describe('polling a job until done (refetchInterval follows a $state flag the data sets)', () => {
	it('polls while the job runs and stops once it is done', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateJob, viewProps: { get: api.get, id: 1 } });
		await flush();
		await api.resolve('/jobs/1', { id: 1, status: 'running', progress: 10 });
		expect(screen.getByTestId('job')).toHaveTextContent('running 10%');
		await flush(1000);
		expect(api.count('/jobs/1')).toBe(2);
		await api.resolve('/jobs/1', { id: 1, status: 'running', progress: 50 });
		await flush(1000);
		expect(api.count('/jobs/1')).toBe(3);
		await api.resolve('/jobs/1', { id: 1, status: 'done', progress: 100 });
		expect(screen.getByTestId('job')).toHaveTextContent('done 100%');
		await flush(5000);
		expect(api.count('/jobs/1')).toBe(3);
	});
});

describe('search with a debounced $state key, enabled for a non-empty term', () => {
	it('sends only the term typing settled on, and shows nothing for an empty box', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateDebouncedSearch, viewProps: { get: api.get } });
		await flush();
		const input = screen.getByLabelText('Search');
		expect(api.calls).toHaveLength(0);
		await fireEvent.input(input, { target: { value: 'a' } });
		await flush(100);
		await fireEvent.input(input, { target: { value: 'ab' } });
		await flush(100);
		await fireEvent.input(input, { target: { value: 'abc' } });
		await flush(300);
		expect(api.paths()).toEqual(['/search?q=abc']);
		expect(screen.getByText('Searching…')).toBeInTheDocument();
		await api.resolve('/search?q=abc', [{ id: 1, title: 'ABC' }]);
		expect(screen.getByText('ABC')).toBeInTheDocument();
		await fireEvent.input(input, { target: { value: '' } });
		await flush(300);
		expect(screen.queryByText('Searching…')).toBeNull();
		expect(screen.queryByText('ABC')).toBeNull();
	});
});

describe('prefetch on hover, then navigation', () => {
	it('shows a prefetched user at once, and joins a prefetch still in flight', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateUsers, viewProps: { api, ids: [1, 2] } });
		await fireEvent.mouseEnter(screen.getByRole('button', { name: 'User 1' }));
		await api.resolve('/users/1', { id: 1, name: 'Ada' });
		await fireEvent.click(screen.getByRole('button', { name: 'User 1' }));
		await flush();
		expect(screen.getByRole('heading')).toHaveTextContent('Ada');
		expect(api.calls).toHaveLength(1);
		// Hover 2, click before it lands: joins.
		await fireEvent.mouseEnter(screen.getByRole('button', { name: 'User 2' }));
		await fireEvent.click(screen.getByRole('button', { name: 'User 2' }));
		await flush();
		expect(screen.getByText('Loading user…')).toBeInTheDocument();
		await api.resolve('/users/2', { id: 2, name: 'Bob' });
		expect(screen.getByRole('heading')).toHaveTextContent('Bob');
		expect(api.calls).toHaveLength(2);
	});
});

describe('optimistic done toggle with rollback', () => {
	it('rolls the toggle back when the server refuses it, then refetches the list', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateTodos, viewProps: { api, guard: true } });
		await flush();
		await api.resolve('/todos', [{ id: 1, title: 'a', done: false }, { id: 2, title: 'b', done: false }]);
		const boxes = screen.getAllByRole('checkbox');
		await fireEvent.click(boxes[0]!);
		await flush();
		expect(screen.getByText('a ✓')).toBeInTheDocument();
		await api.reject('PUT /todos/1', new Error('nope'));
		expect(screen.queryByText('a ✓')).toBeNull();
		expect(screen.getByRole('status')).toHaveTextContent('Not saved: nope');
		await api.resolve('/todos', [{ id: 1, title: 'a', done: false }, { id: 2, title: 'b', done: false }]);
		expect(api.paths()).toEqual(['/todos', 'PUT /todos/1', '/todos']);
	});
});

describe('polling a job that runs again', () => {
	it('polls again once an invalidation shows the job running again', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateJob, viewProps: { get: api.get, id: 1 } });
		await flush();
		await api.resolve('/jobs/1', { id: 1, status: 'done', progress: 100 });
		await flush(5000);
		expect(api.count('/jobs/1')).toBe(1);
		void client.invalidate(['job', 1]);
		await flush();
		await api.resolve('/jobs/1', { id: 1, status: 'running', progress: 0 });
		await flush(1000);
		expect(api.count('/jobs/1')).toBe(3);
		await api.resolve('/jobs/1', { id: 1, status: 'running', progress: 5 });
		await flush(1000);
		expect(api.count('/jobs/1')).toBe(4);
	});
	it('stops after the poll that brings “done”, with polls answered slower than the interval', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateJob, viewProps: { get: api.get, id: 1 } });
		await flush();
		await api.resolve('/jobs/1', { id: 1, status: 'running', progress: 0 });
		for (let i = 0; i < 5; i++) {
			await flush(1000);
			await flush(500);
			await api.resolve('/jobs/1', { id: 1, status: 'running', progress: i });
		}
		const n = api.count('/jobs/1');
		await flush(1000);
		await api.resolve('/jobs/1', { id: 1, status: 'done', progress: 100 });
		await flush(10_000);
		expect(api.count('/jobs/1')).toBe(n + 1);
	});
});

describe('a global error toast from onQueryError', () => {
	it('toasts once for a failure two views of one key show', async () => {
		toasts.length = 0;
		const api = fakeApi();
		const c = new QoraClient({ onQueryError: (error) => toast(error.message) });
		render(MigrateToastApp, { client: c, api, ids: [1, 1] });
		await flush();
		await api.reject('/users/1', new Error('500: /users/1'));
		expect(screen.getAllByRole('alert')).toHaveLength(2);
		const list = screen.getByRole('list', { name: 'toasts' });
		expect(list.textContent).toBe('500: /users/1');
		c.dispose();
	});
});

describe('debounced search: coming back to a term', () => {
	it('joins the fetch in flight, or shows the cached results, for a term typed again', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateDebouncedSearch, viewProps: { get: api.get } });
		await flush();
		const input = screen.getByLabelText('Search');
		await fireEvent.input(input, { target: { value: 'abc' } });
		await flush(300);
		await fireEvent.input(input, { target: { value: '' } });
		await flush(300);
		expect(screen.queryByText('Searching…')).toBeNull();
		await fireEvent.input(input, { target: { value: 'abc' } });
		await flush(300);
		expect(screen.getByText('Searching…')).toBeInTheDocument();
		await api.resolve('/search?q=abc', [{ id: 1, title: 'ABC' }]);
		expect(screen.getByText('ABC')).toBeInTheDocument();
		await fireEvent.input(input, { target: { value: '' } });
		await flush(300);
		await fireEvent.input(input, { target: { value: 'abc' } });
		await flush(300);
		expect(screen.getByText('ABC')).toBeInTheDocument();
		expect(api.calls).toHaveLength(1);
	});
	it('tries a failed term again when it is typed again', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateDebouncedSearch, viewProps: { get: api.get } });
		await flush();
		const input = screen.getByLabelText('Search');
		await fireEvent.input(input, { target: { value: 'x' } });
		await flush(300);
		await api.reject('/search?q=x', new Error('boom'));
		expect(screen.getByRole('alert')).toHaveTextContent('boom');
		await fireEvent.input(input, { target: { value: '' } });
		await flush(300);
		await fireEvent.input(input, { target: { value: 'x' } });
		await flush(300);
		// a failed entry is stale: mounting again retries
		expect(api.calls).toHaveLength(2);
	});
});

describe('optimistic toggles that overlap', () => {
	const list = (a: boolean, b: boolean) => [{ id: 1, title: 'a', done: a }, { id: 2, title: 'b', done: b }];
	it('second toggle cancels the first one’s refetch, then everything converges', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateTodos, viewProps: { api, guard: true } });
		await flush();
		await api.resolve('/todos', list(false, false));
		await fireEvent.click(screen.getAllByRole('checkbox')[0]!);
		await flush();
		await api.resolve('PUT /todos/1', { id: 1, title: 'a', done: true });
		expect(api.count('/todos')).toBe(2);
		await fireEvent.click(screen.getAllByRole('checkbox')[1]!);
		await flush();
		expect(screen.getByText('a ✓')).toBeInTheDocument();
		expect(screen.getByText('b ✓')).toBeInTheDocument();
		await api.resolve('/todos', list(true, false)); // the cancelled refetch answers late
		expect(screen.getByText('b ✓')).toBeInTheDocument();
		await api.resolve('PUT /todos/2', {});
		await api.resolve('/todos', list(true, true));
		expect(screen.getByText('a ✓')).toBeInTheDocument();
		expect(screen.getByText('b ✓')).toBeInTheDocument();
		expect(screen.getByTestId('todos-meta')).toHaveTextContent('fetchStatus=idle stale=false');
	});
	it('toggle fails after the first toggle’s refetch was cancelled: rolls back to a stale list that refetches', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateTodos, viewProps: { api, guard: true } });
		await flush();
		await api.resolve('/todos', list(false, false));
		await fireEvent.click(screen.getAllByRole('checkbox')[0]!);
		await flush();
		await api.resolve('PUT /todos/1', {});
		await fireEvent.click(screen.getAllByRole('checkbox')[1]!);
		await flush();
		await api.reject('PUT /todos/2', new Error('nope'));
		expect(screen.getByText('a ✓')).toBeInTheDocument();
		expect(screen.queryByText('b ✓')).toBeNull();
		await api.resolve('/todos', list(true, false));
		await api.resolve('/todos', list(true, false));
		expect(screen.getByTestId('todos-meta')).toHaveTextContent('fetchStatus=idle stale=false');
	});
});

describe('polling in the background and offline', () => {
	it('skips polls while the tab is hidden and makes one up on return', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateJob, viewProps: { get: api.get, id: 1 } });
		await flush();
		await api.resolve('/jobs/1', { id: 1, status: 'running', progress: 0 });
		const undo = setVisibility('hidden');
		document.dispatchEvent(new Event('visibilitychange'));
		await flush(3500);
		expect(api.count('/jobs/1')).toBe(1);
		undo(); // visible again
		document.dispatchEvent(new Event('visibilitychange'));
		await flush();
		expect(api.count('/jobs/1')).toBe(2);
		await api.resolve('/jobs/1', { id: 1, status: 'running', progress: 0 });
		await flush(1000);
		expect(api.count('/jobs/1')).toBe(3);
	});
	it('pauses a poll offline, sends it on reconnect, and stops once done', async () => {
		const api = fakeApi();
		render(Provide, { client, view: MigrateJob, viewProps: { get: api.get, id: 1 } });
		await flush();
		await api.resolve('/jobs/1', { id: 1, status: 'running', progress: 0 });
		goOnline(false);
		await flush(5000);
		expect(api.count('/jobs/1')).toBe(1);
		goOnline(true)(); // back online; the undo restores jsdom's navigator.onLine
		await flush();
		expect(api.count('/jobs/1')).toBe(2);
		await api.resolve('/jobs/1', { id: 1, status: 'done', progress: 100 });
		await flush(5000);
		expect(api.count('/jobs/1')).toBe(2);
	});
});

describe('logout by replacing the client', () => {
	it('reports nothing from the old client’s late answers and loads the list on the new one', async () => {
		const errors = vi.spyOn(console, 'error');
		const api = fakeApi();
		const clients: QoraClient[] = [];
		const make = () => { const c = new QoraClient(); clients.push(c); return c; };
		render(MigrateSession, { view: MigrateTodos, viewProps: { api, guard: true, poll: 1000 }, make });
		await flush();
		await api.resolve('/todos', [{ id: 1, title: 'a', done: false }]);
		await fireEvent.click(screen.getAllByRole('checkbox')[0]!);
		await flush();
		await fireEvent.click(screen.getByRole('button', { name: 'Log out' }));
		await flush();
		expect(screen.getByText('Loading…')).toBeInTheDocument();
		await api.reject('PUT /todos/1', new Error('401'));
		await api.resolve('/todos', [{ id: 1, title: 'b', done: false }]);
		expect(screen.getByText('b')).toBeInTheDocument();
		await flush(3000);
		expect(errors).not.toHaveBeenCalled();
		errors.mockRestore();
		for (const c of clients) c.dispose();
	});
});
