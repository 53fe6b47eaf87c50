// The README's optimistic Todos.svelte (tests/svelte/components/ReadmeTodos.svelte), driven as a user would.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import Provide from './components/Provide.svelte';
import ReadmeTodos from './components/ReadmeTodos.svelte';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

type Todo = { id: number; title: string };
const items = () => screen.getAllByRole('listitem').map((li) => li.textContent);

/** A server that holds the todos; each load waits until the test answers it. */
function fakeServer(initial: Todo[]) {
	const todos = [...initial];
	const loads: ReturnType<typeof deferred<Todo[]>>[] = [];
	const load = vi.fn(() => {
		const answer = deferred<Todo[]>();
		loads.push(answer);
		return answer.promise;
	});
	const answerLoad = async (index: number) => {
		loads[index]?.resolve([...todos]);
		await flush();
	};
	return { todos, load, answerLoad };
}

describe("the README's optimistic Todos", () => {
	it('adds a second todo while the first one’s refetch is still loading (each unsaved todo has its own key)', async () => {
		const server = fakeServer([{ id: 1, title: 'A' }]);
		const save = vi.fn(async (title: string) => {
			const todo = { id: server.todos.length + 1, title };
			server.todos.push(todo);
			return todo;
		});
		render(Provide, { client, view: ReadmeTodos, viewProps: { load: server.load, save } });
		await server.answerLoad(0);
		const button = screen.getByRole('button', { name: 'Add' }) as HTMLButtonElement;
		await fireEvent.click(button);
		await flush(); // saved; the refetch onSettled started is still loading
		expect(button.disabled).toBe(false);
		expect(items()).toEqual(['A', 'Todo 1']);

		await fireEvent.click(button); // cancels that refetch: two unsaved todos at once
		await flush();
		expect(items()).toEqual(['A', 'Todo 1', 'Todo 2']);
		await server.answerLoad(server.load.mock.calls.length - 1);
		expect(items()).toEqual(['A', 'Todo 1', 'Todo 2']);
		expect(client.getQueryData<Todo[]>(['todos'])?.map((todo) => todo.id)).toEqual([1, 2, 3]);
	});

	it('clicked before the list has loaded, keeps the list the server sends and shows the todo once saved', async () => {
		const server = fakeServer([
			{ id: 1, title: 'A' },
			{ id: 2, title: 'B' }
		]);
		const save = deferred<Todo>();
		render(Provide, { client, view: ReadmeTodos, viewProps: { load: server.load, save: () => save.promise } });
		await flush();
		expect(screen.getByText('Loading…')).toBeInTheDocument();
		await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
		await server.answerLoad(0); // the first load was not cancelled
		expect(items()).toEqual(['A', 'B']);
		server.todos.push({ id: 3, title: 'Todo 1' });
		save.resolve({ id: 3, title: 'Todo 1' });
		await flush();
		await server.answerLoad(1);
		expect(items()).toEqual(['A', 'B', 'Todo 1']);
	});

	it('rolls the unsaved todo back when the server refuses it', async () => {
		const server = fakeServer([{ id: 1, title: 'A' }]);
		render(Provide, { client, view: ReadmeTodos, viewProps: { load: server.load, save: async () => Promise.reject(new Error('500')) } });
		await server.answerLoad(0);
		await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
		await flush();
		expect(items()).toEqual(['A']);
		expect(screen.getByText('Not saved: 500')).toBeInTheDocument();
	});

	it('keeps a list a refetch brought while the refused todo was being saved (no older snapshot put back)', async () => {
		const server = fakeServer([{ id: 1, title: 'A' }]);
		const save = deferred<Todo>();
		render(Provide, { client, view: ReadmeTodos, viewProps: { load: server.load, save: () => save.promise } });
		await server.answerLoad(0);
		await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
		await flush();
		expect(items()).toEqual(['A', 'Todo 1']);
		// Another user adds a todo; a focus refetch brings it while the save is out.
		server.todos.push({ id: 2, title: 'B' });
		void client.invalidate(['todos']);
		await server.answerLoad(1);
		expect(items()).toEqual(['A', 'B']);
		save.reject(new Error('500'));
		await flush();
		expect(items()).toEqual(['A', 'B']);
		expect(screen.getByText('Not saved: 500')).toBeInTheDocument();
	});
});
