// The tests a mutation run reruns for the Svelte layer: the component suite under jsdom.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
	root,
	plugins: [sveltekit(), svelteTesting()],
	// Stryker runs this from a sandbox whose node_modules links to the real one, outside the
	// sandbox's root: svelteTesting's setup file lives there, and Vite refuses to serve it unless
	// allowed (every component test file then fails to load, and only ssr.test.ts runs).
	server: { fs: { allow: [root, realpathSync(`${root}node_modules`)] } },
	test: {
		environment: 'jsdom',
		include: ['tests/svelte/**/*.test.ts'],
		setupFiles: ['tests/svelte/setup.ts']
	}
});
