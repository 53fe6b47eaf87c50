import { render, screen } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { createIsFetching, createIsMutating, createMutation } from '../../src/lib/svelte/index.js';
import Activity from './components/Activity.svelte';
import Provide from './components/Provide.svelte';
import { manualOnline } from '../core/helpers.js';
import { deferred, flush, freshClientPerTest } from './helpers.js';

let client: QoraClient;
freshClientPerTest((fresh) => (client = fresh));

const busy = () => screen.queryByTestId('busy')?.textContent ?? 'idle';

describe('createIsFetching and createIsMutating', () => {
	it('show a global indicator while queries fetch and mutations are out', async () => {
		render(Provide, { client, view: Activity, viewProps: { prefix: ['users'] } });
		expect(busy()).toBe('idle');
		const user = deferred<string>();
		const posts = deferred<string>();
		void client.prefetchQuery({ key: ['users', 1], fetcher: () => user.promise });
		void client.prefetchQuery({ key: ['posts'], fetcher: () => posts.promise });
		await flush();
		expect(busy()).toBe('fetching=2 under=1 mutating=0 (0 under)');
		user.resolve('ada');
		await flush();
		expect(busy()).toBe('fetching=1 under=0 mutating=0 (0 under)');
		const saved = deferred<void>();
		const save = createMutation({ key: ['users', 'rename'], mutationFn: () => saved.promise }, client);
		const other = createMutation({ mutationFn: () => saved.promise }, client);
		save.mutate();
		other.mutate();
		posts.resolve('p');
		await flush();
		expect(busy()).toBe('fetching=0 under=0 mutating=2 (1 under)');
		saved.resolve();
		await flush();
		expect(busy()).toBe('idle');
	});

	it('keeps the count at 1 when a follow-up refetch takes over from the fetch that just landed', async () => {
		const answers = [deferred<string>(), deferred<string>(), deferred<string>()];
		let calls = 0;
		const stop = client.watchQuery({ key: ['k'], fetcher: () => answers[calls++]!.promise }).subscribe(() => {});
		const counts: number[] = [];
		const unsubscribe = createIsFetching(undefined, client).subscribe((count) => counts.push(count));
		void client.invalidate(['k']); // replaces the first fetch
		void client.invalidate(['k']); // marks the replacement: a follow-up refetch starts when it lands
		answers[1]!.resolve('v1');
		await flush();
		expect(calls).toBe(3);
		expect(counts).toEqual([1]); // not [1, 0, 1]: the global spinner flickers off for the hand-over
		answers[2]!.resolve('v2');
		await flush();
		expect(counts).toEqual([1, 0]);
		unsubscribe();
		stop();
	});

	it('take the client from context, or the one passed, and name themselves when it is not a client', () => {
		expect(get(createIsFetching(undefined, client))).toBe(0);
		expect(get(createIsMutating(undefined, client))).toBe(0);
		expect(() => createIsFetching(['k'], {} as QoraClient)).toThrow('createIsFetching(match, client): expected a QoraClient');
		expect(() => createIsMutating(['k'], null as unknown as QoraClient)).toThrow('createIsMutating(match, client): expected a QoraClient');
		expect(() => createIsFetching(['k'])).toThrow(/getQoraClient/);
	});

	it('name themselves, not watchIsFetching/watchIsMutating, when the match is an invalid prefix', () => {
		expect(() => createIsFetching([Symbol('x')] as never, client)).toThrow(/^createIsFetching: expected a predicate .* key\[0\] is a symbol/);
		expect(() => createIsMutating([() => 1] as never, client)).toThrow(/^createIsMutating: expected a predicate .* key\[0\] is a function/);
	});
});

describe('a mutation counts for isMutating', () => {
	it('from the mutate call (onMutate included) until its onSettled has run, through failures and retries', async () => {
		const seen: string[] = [];
		const onMutateDone = deferred<void>();
		const fail = createMutation(
			{
				mutationFn: async () => {
					seen.push(`attempt ${client.isMutating()}`);
					throw new Error('down');
				},
				onMutate: () => onMutateDone.promise,
				retry: 1,
				onError: () => void seen.push(`onError ${client.isMutating()}`),
				onSettled: () => void seen.push(`onSettled ${client.isMutating()}`)
			},
			client
		);
		const result = fail.mutateAsync().catch((error: Error) => seen.push(`caller ${client.isMutating()} ${error.message}`));
		expect(client.isMutating()).toBe(1);
		onMutateDone.resolve();
		await flush(1000); // the retry's backoff
		await result;
		expect(seen).toEqual(['attempt 1', 'attempt 1', 'onError 1', 'onSettled 1', 'caller 0 down']);
	});

	it('names the bad part of an invalid key, and hints at key for mutationKey', () => {
		expect(() => createMutation({ key: ['todos', () => 1] as never, mutationFn: async () => 1 }, client)).toThrow(/^createMutation: "key" .*key\[1\]/);
		expect(() => createMutation({ mutationKey: ['todos'], mutationFn: async () => 1 } as never, client)).toThrow(/did you mean "key"\?/);
	});

	it("lets the last of two writes queued offline refetch alone, so the first's refetch cannot undo the second's optimistic value", async () => {
		const online = manualOnline(false);
		client.mount({ online });
		let serverTodos: string[] = [];
		const sent: string[] = [];
		const posted: Record<string, ReturnType<typeof deferred<void>>> = { a: deferred<void>(), b: deferred<void>() };
		client.setQueryData<string[]>(['todos'], []);
		const stop = client.watchQuery({ key: ['todos'], fetcher: async () => (sent.push('GET'), [...serverTodos]), options: { staleTime: Infinity } }).subscribe(() => {});
		// Another kind of write, out all along: it does not hold the todos' refetch back.
		createMutation({ key: ['files', 'upload'], mutationFn: () => new Promise<void>(() => {}) }, client).mutate();
		const add = createMutation(
			{
				key: ['todos', 'add'],
				mutationFn: async (title: string) => {
					sent.push(`POST ${title}`);
					await posted[title]?.promise;
					serverTodos = [...serverTodos, title];
				},
				onMutate: (title) => client.setQueryData<string[]>(['todos'], (todos = []) => [...todos, title]),
				// The README's pattern: only the last write out refetches.
				onSettled: () => (client.isMutating(['todos']) === 1 ? client.invalidate(['todos']) : undefined)
			},
			client
		);
		add.mutate('a');
		add.mutate('b');
		expect(client.getQueryData(['todos'])).toEqual(['a', 'b']);
		online.set(true);
		await flush();
		expect(sent).toEqual(['POST a', 'POST b']);
		posted.a?.resolve();
		await flush();
		// 'a' settled while 'b' is out: no refetch, whose answer (without 'b') would hide 'b'.
		expect(sent).toEqual(['POST a', 'POST b']);
		expect(client.getQueryData(['todos'])).toEqual(['a', 'b']);
		posted.b?.resolve();
		await flush();
		expect(sent).toEqual(['POST a', 'POST b', 'GET']);
		expect(client.getQueryData(['todos'])).toEqual(['a', 'b']);
		expect(client.isMutating()).toBe(1);
		stop();
	});
});

describe("the README's last-write-refetches recipe", () => {
	it('refetches after the last write when the user is quicker than the server (a write settles while the previous one awaits its refetch)', async () => {
		let serverTodos: string[] = [];
		const sent: string[] = [];
		const gets: ReturnType<typeof deferred<string[]>>[] = [];
		const posts: Record<string, ReturnType<typeof deferred<void>>> = { a: deferred<void>(), b: deferred<void>() };
		client.setQueryData<string[]>(['todos'], []);
		const stop = client
			.watchQuery({
				key: ['todos'],
				fetcher: () => {
					sent.push('GET');
					// The server answers with the list as it was when the request arrived.
					const snapshot = [...serverTodos];
					const get = deferred<string[]>();
					gets.push(get);
					return get.promise.then(() => snapshot);
				},
				options: { staleTime: Infinity }
			})
			.subscribe(() => {});
		const add = createMutation(
			{
				key: ['todos', 'add'],
				mutationFn: async (title: string) => {
					sent.push(`POST ${title}`);
					await posts[title]?.promise;
					serverTodos = [...serverTodos, title];
				},
				onMutate: (title) => client.setQueryData<string[]>(['todos'], (todos = []) => [...todos, `draft ${title}`]),
				// Exactly the README's recipe.
				onSettled: () => (client.isMutating(['todos']) === 1 ? client.invalidate(['todos']) : undefined)
			},
			client
		);
		add.mutate('a');
		posts.a?.resolve();
		await flush();
		// 'a' was the only write out: it refetches, and returns the refetch, which its caller's await waits for.
		expect(sent).toEqual(['POST a', 'GET']);
		// The user adds 'b' while that refetch is out, and the server saves 'b' before the refetch answers.
		add.mutate('b');
		posts.b?.resolve();
		await flush();
		gets[0]?.resolve([]);
		await flush();
		expect(client.isMutating()).toBe(0);
		// The first refetch's answer is older than 'b''s optimistic write: dropped.
		expect(client.getQueryData(['todos'])).toEqual(['draft a', 'draft b']);
		// 'a' stopped counting once its onSettled returned, so 'b' saw 1 and refetched. (Counted until the
		// refetch it returned was done, 'a' made 'b' see 2: nobody refetched after 'b', and both drafts stayed
		// for good; found by review.)
		expect(sent).toEqual(['POST a', 'GET', 'POST b', 'GET']);
		gets[1]?.resolve([]);
		await flush();
		expect(client.getQueryData(['todos'])).toEqual(['a', 'b']);
		stop();
	});
});

describe('isMutating in onSettled, for writes answered in the same tick', () => {
	it('does not still count a write whose onSettled has already run', async () => {
		const server = deferred<void>();
		const seen: number[] = [];
		const add = createMutation(
			{
				key: ['todos', 'add'],
				mutationFn: () => server.promise,
				// The recipe's block form, which returns nothing.
				onSettled: () => void seen.push(client.isMutating(['todos']))
			},
			client
		);
		add.mutate();
		add.mutate();
		// One response settles both (a batched endpoint, a local-first store, a queue flushed at once).
		server.resolve();
		await flush();
		// The first onSettled sees both out; the second must see only itself, or nobody refetches.
		expect(seen).toEqual([2, 1]);
	});
});
