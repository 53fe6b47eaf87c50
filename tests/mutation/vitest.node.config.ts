// The tests a mutation run reruns for code that runs in Node: the core and SvelteKit suites.
// The reliability suite (property and soak tests) is left out: it would multiply the run's time.
import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	plugins: [sveltekit()],
	test: {
		environment: 'node',
		include: ['tests/core/**/*.test.ts', 'tests/ssr/**/*.test.ts']
	}
});
