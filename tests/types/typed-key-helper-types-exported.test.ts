// Found by review: the types in setQueryData's and getQueryData's declarations must be exported
// from the package entry. Otherwise a consumer library that emits declarations for a wrapper
// (`export const write = client.setQueryData.bind(client)`, or a helper generic over typed keys)
// gets `import("../node_modules/qora/dist/core/key.js")…` in its .d.ts, a deep path into the
// installed package, and users cannot name them. Checked by `npm run check`.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, expectTypeOf, it } from 'vitest';
import type { DataOfKey, DataWrite, QueryConfig } from '../../src/lib/index.js';

it('the types in the key-typed signatures are exported from the package entry', () => {
	expectTypeOf<DataOfKey<QueryConfig<number>['key']>>().toEqualTypeOf<number>();
	expectTypeOf<DataOfKey<QueryConfig<number>['key'] | QueryConfig<string>['key']>>().toEqualTypeOf<number | string>();
	expectTypeOf<DataOfKey<string[]>>().toEqualTypeOf<unknown>();
	expectTypeOf<DataWrite<number>>().toEqualTypeOf<number | undefined | ((previous: number | undefined) => number | undefined)>();
});

// Found by review (types3): the 5.3-safe `Uninferred` that replaced NoInfer in setQueryData's and
// restoreQueryData's declarations, and the `ResolvedOptions` of `client.defaultOptions`, were not
// exported, so the wrapper above failed again: a library (svelte-package, tsc with
// `declaration`) that exports `client.setQueryData.bind(client)` stopped with TS2883 "The inferred
// type of 'write' cannot be named without a reference to 'Uninferred' from
// '../node_modules/qora/…/core/options'. This is likely not portable". Likewise a helper generic over
// keys that returns `QoraKey.from(key)`: TS2527, its return type (written out in the declaration)
// "references an inaccessible 'unique symbol' type". Compiled here as an app compiles it: `qora`
// installed as a package whose exports map reaches only its entry points.
it('keeps bound client methods, the resolved defaults and QoraKey.from nameable in a library’s declarations', () => {
	const lib = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/lib');
	const work = mkdtempSync(path.join(os.tmpdir(), 'qora-declarations-'));
	try {
		mkdirSync(path.join(work, 'node_modules/qora'), { recursive: true });
		mkdirSync(path.join(work, 'src'));
		symlinkSync(lib, path.join(work, 'node_modules/qora/lib'), 'dir');
		writeFileSync(path.join(work, 'package.json'), JSON.stringify({ type: 'module' }));
		writeFileSync(
			path.join(work, 'node_modules/qora/package.json'),
			JSON.stringify({ name: 'qora', type: 'module', exports: { '.': { types: './lib/index.ts' } } })
		);
		const entry = path.join(work, 'src/client.ts');
		writeFileSync(
			entry,
			[
				"import { QoraClient, QoraKey, type QueryKeyInput } from 'qora';",
				'const client = new QoraClient();',
				'export const write = client.setQueryData.bind(client);',
				'export const restore = client.restoreQueryData.bind(client);',
				'export const read = client.getQueryData.bind(client);',
				'export const defaults = client.defaultOptions;',
				'export const hotKey = <K extends QueryKeyInput>(key: K) => QoraKey.from(key);'
			].join('\n')
		);
		const program = ts.createProgram([entry], {
			strict: true,
			declaration: true,
			emitDeclarationOnly: true,
			outDir: path.join(work, 'out'),
			rootDir: path.join(work, 'src'),
			module: ts.ModuleKind.ESNext,
			moduleResolution: ts.ModuleResolutionKind.Bundler,
			target: ts.ScriptTarget.ESNext,
			lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'],
			skipLibCheck: true,
			types: []
		});
		const emitted: Record<string, string> = {};
		const result = program.emit(undefined, (file, text) => (emitted[path.basename(file)] = text));
		const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
		const problems = [...new Set(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')))];
		expect(problems).toEqual([]);
		expect(emitted['client.d.ts']).not.toMatch(/node_modules/);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}, 60_000);
