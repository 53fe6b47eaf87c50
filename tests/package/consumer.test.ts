/**
 * Packaging as a user meets it: `npm run package` (svelte-package + publint),
 * `npm pack`, then a scratch SvelteKit app OUTSIDE the repo installs the tarball,
 * imports `qora` and `qora/svelte` from TypeScript, type-checks, builds with
 * adapter-node, and its server renders a page whose data came through the
 * package's createQuery/QoraProvider. That proves the exports map, the types and
 * the shipped `.svelte` files work from an installed copy.
 *
 * Slow by nature (an npm install and a vite build): one app is set up once and
 * each step below is its own test, so a failure names the step.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repoPackage = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	exports: Record<string, unknown>;
	devDependencies: Record<string, string>;
	scripts?: Record<string, string>;
};
const node = process.execPath;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
	code: number;
	stdout: string;
	/** The command line, stdout and stderr, for assertion messages. */
	output: string;
}

/** Runs a command to completion; never rejects, so the assertion shows the output. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
	return new Promise((resolve) => {
		execFile(
			command,
			args,
			{ cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 280_000 },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
				resolve({ code, stdout, output: `$ ${command} ${args.join(' ')}\n${stdout}\n${stderr}` });
			}
		);
	});
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

const hasKit = existsSync(path.join(repo, 'src/lib/sveltekit/index.ts'));

// Every step below needs the one before; the first failure makes the rest skip
// with a note instead of piling up unrelated errors.
let broken: string | null = null;
function step(name: string, body: () => Promise<void>) {
	it(name, async () => {
		if (broken) throw new Error(`skipped: an earlier step failed (${broken})`);
		try {
			await body();
		} catch (error) {
			broken = name;
			throw error;
		}
	});
}

describe('the packed tarball in a fresh SvelteKit app', () => {
	let work: string;
	let app: string;
	let tarball: string;
	let packedFiles: string[] = [];
	let server: ChildProcess | null = null;

	beforeAll(() => {
		work = mkdtempSync(path.join(os.tmpdir(), 'qora-consumer-'));
		app = path.join(work, 'app');
	});

	afterAll(async () => {
		if (server && server.exitCode === null) {
			server.kill('SIGTERM');
			await new Promise((resolve) => server?.once('exit', resolve));
		}
		if (work && process.env['QORA_KEEP_CONSUMER'] !== '1') rmSync(work, { recursive: true, force: true });
	});

	let packageOutput = '';

	step('`npm run package` builds dist/ and publint is clean', async () => {
		const result = await run(npm, ['run', 'package'], repo);
		packageOutput = result.output;
		expect(result.code, result.output).toBe(0);
		expect(result.output).toMatch(/All good!/); // publint's verdict with no errors, warnings or suggestions
		for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/svelte/index.js', 'dist/svelte/QoraProvider.svelte']) {
			expect(existsSync(path.join(repo, file)), file).toBe(true);
		}
	});

	// Not a step: the app below can still be built when only this fails.
	it('the declarations leave out the internals the Svelte and SvelteKit layers use (no _-members in autocomplete)', () => {
		const client = readFileSync(path.join(repo, 'dist/core/client.d.ts'), 'utf8');
		expect(client).toMatch(/fetchQuery<T>/);
		expect(client.match(/^\s+(get )?_\w+/gm)).toBeNull();
		expect(client).not.toMatch(/HydrationRecord/);
	});

	// Not a step: the app below can still be built when only this fails.
	it('keeps typed keys checked when an app compiles with TypeScript 5.3, which SvelteKit’s peer range allows (no NoInfer, a 5.4 type, in the declarations)', () => {
		// TypeScript 5.3 cannot resolve NoInfer: with skipLibCheck (SvelteKit's template) the type silently turns any,
		// so setQueryData and restoreQueryData through a QueryConfig<Todo>'s key take data of any type; without it, the
		// app does not compile. options.ts's Uninferred does the same job on 5.3.
		const kitRange = JSON.parse(readFileSync(path.join(repo, 'node_modules/@sveltejs/kit/package.json'), 'utf8')).peerDependencies.typescript;
		expect(kitRange).toMatch(/\^5\.3/);
		const dist = path.join(repo, 'dist');
		const declarations = readdirSync(dist, { recursive: true })
			.map(String)
			.filter((file) => file.endsWith('.d.ts'));
		expect(declarations.length).toBeGreaterThan(10);
		// Comments left out: a doc comment may name it.
		const users = declarations.filter((file) => /\bNoInfer</.test(readFileSync(path.join(dist, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')));
		expect(users).toEqual([]);
	});

	// Not a step: the app below can still be built when only this fails.
	it('svelte-package finds nothing to complain about in package.json', () => {
		expect(packageOutput, 'the package step did not run').not.toBe('');
		const issues = packageOutput.match(/found the following issues[^\n]*\n([\s\S]*?)\n\s*\n/);
		expect(issues?.[1] ?? null, packageOutput).toBeNull();
	});

	step('`npm pack` holds dist/ and package.json only: no tests, no demo', async () => {
		const result = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], repo);
		expect(result.code, result.output).toBe(0);
		const json = result.stdout.slice(result.stdout.indexOf('['), result.stdout.lastIndexOf(']') + 1);
		const [info] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
		tarball = path.join(work, info!.filename);
		expect(existsSync(tarball)).toBe(true);
		packedFiles = info!.files.map((f) => f.path);
		for (const file of packedFiles) {
			expect(file, `unexpected file in the tarball: ${file}`).toMatch(/^(dist\/.+|package\.json|README(\.md)?|LICEN[CS]E(\.md)?)$/i);
			expect(file).not.toMatch(/\.(test|spec)\.[cm]?[jt]s$/);
			expect(file).not.toMatch(/(^|\/)(tests?|__tests__|routes-demo|demo|routes|bench|scripts)\//);
		}
		// npm warns every user about a dependency with install-time scripts (npm 11: "not yet
		// covered by allowScripts"), and a registry install never needs one here.
		const installScripts = ['preinstall', 'install', 'postinstall', 'prepare'].filter((name) => repoPackage.scripts?.[name]);
		expect(installScripts, 'scripts npm runs when a user installs the package').toEqual([]);
		// Every file the exports map points at is in the tarball.
		const targets: string[] = [];
		const collect = (value: unknown): void => {
			if (typeof value === 'string') targets.push(value);
			else if (value && typeof value === 'object') Object.values(value).forEach(collect);
		};
		collect(repoPackage.exports);
		expect(targets.length).toBeGreaterThan(0);
		for (const target of targets) {
			const file = target.replace(/^\.\//, '');
			if (file === 'package.json') continue;
			expect(packedFiles, `exports target ${file}`).toContain(file);
		}
	});

	// Not a step: the app below can still be built when only this fails.
	it('a Node project installs the tarball for the core alone: neither peer (svelte, @sveltejs/kit) comes with it, and the core runs', async () => {
		expect(tarball, 'the pack step did not run').toBeTruthy();
		const project = path.join(work, 'node-only');
		mkdirSync(project);
		writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'qora-node-only', private: true, type: 'module', dependencies: { qora: `file:${tarball}` } }));
		const install = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], project);
		expect(install.code, install.output).toBe(0);
		expect(readdirSync(path.join(project, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['qora']);
		const script = "const { QoraClient } = await import('qora'); const client = new QoraClient(); console.log(await client.fetchQuery({ key: ['k'], fetcher: async () => 'ok' })); client.dispose();";
		const use = await run(node, ['--input-type=module', '-e', script], project);
		expect(use.stdout.trim(), use.output).toBe('ok');
	});

	step('a scratch SvelteKit app installs the tarball', async () => {
		const pin = (name: string) => {
			const version = repoPackage.devDependencies[name];
			if (!version) throw new Error(`the repo pins no version of ${name}`);
			return version;
		};
		mkdirSync(path.join(app, 'src/routes'), { recursive: true });
		mkdirSync(path.join(app, 'src/lib'), { recursive: true });
		writeFileSync(
			path.join(app, 'package.json'),
			JSON.stringify(
				{
					name: 'qora-consumer',
					private: true,
					type: 'module',
					devDependencies: {
						'@sveltejs/adapter-node': pin('@sveltejs/adapter-node'),
						'@sveltejs/kit': pin('@sveltejs/kit'),
						'@sveltejs/vite-plugin-svelte': pin('@sveltejs/vite-plugin-svelte'),
						svelte: pin('svelte'),
						vite: pin('vite'),
						qora: `file:${tarball}`
					}
				},
				null,
				2
			)
		);
		writeApp(app);
		const result = await run(
			npm,
			['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
			app
		);
		expect(result.code, result.output).toBe(0);
		const installed = JSON.parse(readFileSync(path.join(app, 'node_modules/qora/package.json'), 'utf8'));
		expect(installed.version).toBe(repoPackage.version);
		// The app really uses the installed copy, not the repo (no symlink back into it).
		expect(existsSync(path.join(app, 'node_modules/qora/dist/index.js'))).toBe(true);
		expect(existsSync(path.join(app, 'node_modules/qora/src'))).toBe(false);
	});

	step('svelte-kit sync and a strict type check pass', async () => {
		const sync = await run(node, [path.join(app, 'node_modules/@sveltejs/kit/svelte-kit.js'), 'sync'], app);
		expect(sync.code, sync.output).toBe(0);
		// svelte-check from the repo, run against the app: it resolves `qora` the way the app does.
		const check = await run(
			node,
			[path.join(repo, 'node_modules/svelte-check/bin/svelte-check'), '--workspace', app, '--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'machine'],
			app
		);
		expect(check.code, check.output).toBe(0);
		expect(check.output).toMatch(/COMPLETED \d+ FILES 0 ERRORS 0 WARNINGS/);
	});

	step('vite build succeeds', async () => {
		const build = await run(node, [path.join(app, 'node_modules/vite/bin/vite.js'), 'build'], app);
		expect(build.code, build.output).toBe(0);
		expect(existsSync(path.join(app, 'build/index.js')), build.output).toBe(true);
	});

	step('the built server renders the page with data from createQuery', async () => {
		const port = await freePort();
		const child = spawn(node, ['build/index.js'], {
			cwd: app,
			env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: `http://127.0.0.1:${port}` },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		server = child;
		let log = '';
		child.stdout?.on('data', (chunk) => (log += chunk));
		child.stderr?.on('data', (chunk) => (log += chunk));
		const url = `http://127.0.0.1:${port}/`;
		let html = '';
		let status = 0;
		for (let attempt = 0; attempt < 100; attempt++) {
			if (child.exitCode !== null) break;
			try {
				const response = await fetch(url);
				status = response.status;
				html = await response.text();
				break;
			} catch {
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		}
		expect(status, log).toBe(200);
		expect(html).toContain('<h1 id="greeting">HELLO FROM QORA</h1>');
		expect(html).toContain('<p id="status">success</p>');
		expect(html).toContain(`<p id="kit">${hasKit ? 'sveltekit entry ok' : 'no sveltekit entry'}</p>`);
		child.kill('SIGTERM');
		await new Promise((resolve) => child.once('exit', resolve));
		server = null;
	});
});

/** The app's source: config, a page using QoraProvider, a component using createQuery, typed code. */
function writeApp(dir: string): void {
	const files: Record<string, string> = {
		'svelte.config.js': `import adapter from '@sveltejs/adapter-node';

export default { kit: { adapter: adapter() } };
`,
		'vite.config.js': `import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({ plugins: [sveltekit()] });
`,
		'tsconfig.json': JSON.stringify(
			{
				extends: './.svelte-kit/tsconfig.json',
				compilerOptions: {
					strict: true,
					noUncheckedIndexedAccess: true,
					skipLibCheck: true, // as SvelteKit's app template; qora's types are still resolved and used below
					module: 'NodeNext',
					moduleResolution: 'NodeNext',
					verbatimModuleSyntax: true
				}
			},
			null,
			2
		),
		'src/app.html': `<!doctype html>
<html lang="en">
	<head>
		<meta charset="utf-8" />
		<link rel="icon" href="data:," />
		%sveltekit.head%
	</head>
	<body>
		<div>%sveltekit.body%</div>
	</body>
</html>
`,
		'src/app.d.ts': `declare global {
	namespace App {}
}

export {};
`,
		// Typed use of the core from plain TypeScript.
		'src/lib/queries.ts': `import type { ComponentProps } from 'svelte';
import { QoraClient, QoraKey, type QoraState, type QueryConfig } from 'qora';
import { QoraProvider, createQuery } from 'qora/svelte';

export const greetingKey = QoraKey.withId('greeting', 1);

// A config's key carries its data type through the installed declarations: no type argument needed.
export const greetingQuery: QueryConfig<string> = { key: greetingKey, fetcher: async () => 'fetched' };
export const greetingLength = (client: QoraClient): number | undefined => client.getQueryData(greetingQuery.key)?.length;

export function makeClient(): QoraClient {
	const client = new QoraClient({ defaultOptions: { staleTime: 60_000 } });
	client.setQueryData<string>(greetingKey, 'hello from qora');
	return client;
}

export function describeState(state: QoraState<string>): string {
	switch (state.status) {
		case 'success':
			return state.data.toUpperCase(); // data is a string here
		case 'error':
			return state.error.message;
		case 'pending':
			return 'pending';
	}
}

// The types are real, not \`any\`: each line below must be a type error.
// @ts-expect-error unknown option
export const typoCheck = () => new QoraClient({ defaultOptions: { staleTim: 1 } });
// @ts-expect-error the provider's client must be a QoraClient (the .svelte component is typed)
export const badProps: ComponentProps<typeof QoraProvider> = { client: 42 };
// @ts-expect-error a fetcher's result must match the query's type
export const badQuery = () => createQuery<number>({ key: ['n'], fetcher: async () => 'not a number' });
// @ts-expect-error a config's key refuses data of another type
export const badWrite = (client: QoraClient) => client.setQueryData(greetingQuery.key, 42);
// @ts-expect-error nor data of a wider type (the overloads' helper types must ship in the declarations)
export const wideWrite = (client: QoraClient) => client.setQueryData(greetingQuery.key, 'hi' as string | null);
`,
		'src/lib/Greeting.svelte': `<script lang="ts">
	import { createQuery } from 'qora/svelte';
	import { describeState, greetingKey } from './queries.js';

	const greeting = createQuery<string>({
		key: greetingKey,
		fetcher: async () => 'fetched'
	});
</script>

<h1 id="greeting">{describeState($greeting)}</h1>
<p id="status">{$greeting.status}</p>
`,
		'src/routes/+page.svelte': `<script lang="ts">
	import { QoraProvider } from 'qora/svelte';
	import Greeting from '$lib/Greeting.svelte';
	import { makeClient } from '$lib/queries.js';
	import { kitStatus } from '$lib/kit.js';

	const client = makeClient();
</script>

<QoraProvider {client}>
	<Greeting />
</QoraProvider>
<p id="kit">{kitStatus}</p>
`,
		'src/lib/kit.ts': hasKit
			? `import * as kit from 'qora/sveltekit';

export const kitStatus: string = typeof kit.loadQoraClient === 'function' ? 'sveltekit entry ok' : 'sveltekit entry broken';
`
			: `export const kitStatus: string = 'no sveltekit entry';
`
	};
	for (const [name, text] of Object.entries(files)) {
		mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
		writeFileSync(path.join(dir, name), text);
	}
}
