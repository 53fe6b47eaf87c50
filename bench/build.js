// Bundles Qora (from src, TypeScript loader) and @tanstack/query-core into bench/.tmp/
// with identical esbuild settings, so both are measured as a production bundle ships them.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
export const outDir = path.join(here, '.tmp');

export async function buildBundles() {
	mkdirSync(outDir, { recursive: true });
	const common = {
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		minify: false, // readable CPU profiles; V8 does not care
		sourcemap: 'linked',
		logLevel: 'warning',
		define: { 'process.env.NODE_ENV': '"production"' },
		absWorkingDir: root
	};
	await Promise.all([
		build({ ...common, entryPoints: [path.join(root, 'src/lib/index.ts')], outfile: path.join(outDir, 'qora.js') }),
		build({
			...common,
			stdin: { contents: "export * from '@tanstack/query-core';", resolveDir: root, loader: 'js' },
			outfile: path.join(outDir, 'tanstack.js')
		})
	]);
	return outDir;
}
