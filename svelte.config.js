import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	vitePlugin: {
		// Probe components of the async-mode tests compile with Svelte's experimental.async (`await` in components).
		dynamicCompileOptions({ filename }) {
			if (filename.includes('/tests/svelte/components/async/')) return { experimental: { async: true } };
		}
	},
	kit: {
		adapter: adapter(),
		typescript: {
			// svelte-check compiles without experimental.async (the library must not need it), so it skips
			// the async-mode tests and their components, which vitest compiles with it (dynamicCompileOptions above).
			config(tsconfig) {
				tsconfig.exclude.push('../tests/svelte/components/async/**', '../tests/svelte/async-mode-*.test.ts');
			}
		},
		files: {
			// The demo app's routes live beside the library, not under src/.
			routes: 'routes-demo'
		}
	}
};

export default config;
