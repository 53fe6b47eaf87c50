// The tests a mutation run reruns for the Svelte layer: the component suite under jsdom.
import { fileURLToPath } from 'node:url';
import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	root: fileURLToPath(new URL('../..', import.meta.url)),
	plugins: [sveltekit(), svelteTesting()],
	test: {
		environment: 'jsdom',
		include: ['tests/svelte/**/*.test.ts'],
		setupFiles: ['tests/svelte/setup.ts']
	}
});
