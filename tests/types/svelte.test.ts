/**
 * Type tests for the Svelte layer's inputs. Checked by `npm run check` (tsc over
 * tests/); the functions are never called, only compiled.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { derived, writable, type Readable } from 'svelte/store';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { QoraClient, QoraState } from '../../src/lib/index.js';
import { createMutation, createQuery, keepPrevious, type KeepPrevious, type MutationState } from '../../src/lib/svelte/index.js';

describe('keepPrevious', () => {
	it('type-checks wherever the options object is written, not only inline in the call', () => {
		// Compiled, never run: each form once widened the symbol and failed to compile.
		const forms = (client: QoraClient) => {
			const page = writable(1);
			const fromDerived = createQuery(
				derived(page, (p) => ({ key: ['p', p], fetcher: async () => 'x', options: { placeholderData: keepPrevious } })),
				client
			);
			const pagedOptions = { placeholderData: keepPrevious, staleTime: 10_000 };
			const fromVariable = createQuery({ key: ['p', 1], fetcher: async () => 'x', options: pagedOptions }, client);
			const itemsQuery = (p: number) => ({ key: ['items', p], fetcher: async () => [p], options: { placeholderData: keepPrevious } });
			const fromFactory = createQuery(itemsQuery(1), client);
			return { fromDerived, fromVariable, fromFactory };
		};
		type Stores = ReturnType<typeof forms>;
		expectTypeOf<Stores['fromDerived']['subscribe']>().parameter(0).parameter(0).toEqualTypeOf<QoraState<string>>();
		expectTypeOf<Stores['fromFactory']['subscribe']>().parameter(0).parameter(0).toEqualTypeOf<QoraState<number[]>>();
		expectTypeOf(keepPrevious).toEqualTypeOf<KeepPrevious>();
	});

	it('rejects any other placeholderData', () => {
		const wrong = (client: QoraClient) =>
			// @ts-expect-error only keepPrevious is a placeholder
			createQuery({ key: ['p'], fetcher: async () => 'x', options: { placeholderData: Symbol('other') } }, client);
		expectTypeOf(wrong).toBeFunction();
	});
});

describe('createMutation', () => {
	it('passes onMutate’s context to onSuccess as it is (onMutate has run by then)', () => {
		const build = (client: QoraClient) =>
			createMutation(
				{
					mutationFn: async (n: number) => n,
					onMutate: () => ({ snapshot: 1 }),
					onSuccess: (_data, _variables, context) => {
						expectTypeOf(context).toEqualTypeOf<{ snapshot: number }>();
					},
					onError: (_error, _variables, context) => {
						expectTypeOf(context).toEqualTypeOf<{ snapshot: number } | undefined>();
					}
				},
				client
			);
		expectTypeOf(build).toBeFunction();
	});

	it('lets mutate be called without an argument when the variables may be undefined, and only then', () => {
		const calls = (client: QoraClient) => {
			const optional = createMutation({ mutationFn: async (page?: number) => page }, client);
			optional.mutate();
			optional.mutate(2);
			void optional.mutateAsync();
			const none = createMutation({ mutationFn: async () => 'done' }, client);
			none.mutate();
			const required = createMutation({ mutationFn: async (id: string) => id }, client);
			required.mutate('a');
			// @ts-expect-error the variables are required
			required.mutate();
		};
		expectTypeOf(calls).toBeFunction();
	});

	it("names a mutation's state with its data type alone when it takes no variables, as its store does", () => {
		const typed = (client: QoraClient) => {
			const save = createMutation({ mutationFn: async () => 'saved' }, client);
			const state: Readable<MutationState<string>> = save;
			return state;
		};
		expectTypeOf(typed).toBeFunction();
		expectTypeOf<Extract<MutationState<string>, { status: 'success' }>['variables']>().toEqualTypeOf<void>();
	});

	it('types isPaused as false except while pending', () => {
		type State = MutationState<string, number>;
		expectTypeOf<Extract<State, { status: 'pending' }>['isPaused']>().toEqualTypeOf<boolean>();
		expectTypeOf<Extract<State, { status: 'idle' | 'success' | 'error' }>['isPaused']>().toEqualTypeOf<false>();
	});
});

describe('the providers under exactOptionalPropertyTypes', () => {
	// Found by review (types3): every other optional input takes `undefined` ("as some apps are": see
	// exact-optional/), but the providers' `children?: Snippet` did not, so an app with
	// exactOptionalPropertyTypes whose own wrapper (an AppProviders.svelte) forwards its optional
	// children failed svelte-check: "Type 'Snippet<[]> | undefined' is not assignable to type
	// 'Snippet<[]>'", though both providers render `children?.()`. Checked by svelte-check, which
	// types a component's props (tsc alone sees any .svelte import as an untyped component).
	it('take the children a wrapper forwards, which may be undefined', () => {
		const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
		const work = mkdtempSync(path.join(os.tmpdir(), 'qora-exact-optional-'));
		try {
			symlinkSync(path.join(repo, 'node_modules'), path.join(work, 'node_modules'), 'dir');
			writeFileSync(
				path.join(work, 'tsconfig.json'),
				JSON.stringify({
					compilerOptions: {
						strict: true,
						noEmit: true,
						exactOptionalPropertyTypes: true,
						module: 'esnext',
						moduleResolution: 'bundler',
						target: 'esnext',
						verbatimModuleSyntax: true,
						skipLibCheck: true,
						types: []
					},
					include: ['*.svelte']
				})
			);
			const lib = path.join(repo, 'src/lib');
			writeFileSync(
				path.join(work, 'Providers.svelte'),
				`<script lang="ts">
	import type { Snippet } from 'svelte';
	import type { QoraClient } from '${lib}/index.js';
	import QoraProvider from '${lib}/svelte/QoraProvider.svelte';
	import QoraKitProvider from '${lib}/sveltekit/QoraKitProvider.svelte';
	let { client, children }: { client: QoraClient; children?: Snippet } = $props();
</script>

<QoraProvider {client} {children} />
<QoraKitProvider {client} {children} />
`
			);
			let output: string;
			try {
				output = execFileSync(
					process.execPath,
					[path.join(repo, 'node_modules/svelte-check/bin/svelte-check'), '--workspace', work, '--tsconfig', './tsconfig.json', '--output', 'machine'],
					{ cwd: work, encoding: 'utf8' }
				);
			} catch (failure) {
				output = String((failure as { stdout?: unknown }).stdout);
			}
			// Only the app's file: the providers' own `$app/*` imports do not resolve outside a SvelteKit project.
			const problems = output.split('\n').filter((line) => /\bERROR "Providers\.svelte"/.test(line));
			expect(output).toMatch(/COMPLETED/);
			expect(problems).toEqual([]);
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
	}, 60_000);
});
