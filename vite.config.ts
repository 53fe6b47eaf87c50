import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		// Any unhandled rejection fails the run: a cache must never leak one.
		dangerouslyIgnoreUnhandledErrors: false,
		projects: [
			{
				extends: true,
				test: {
					name: 'core',
					environment: 'node',
					include: ['tests/core/**/*.test.ts', 'tests/types/**/*.test.ts', 'tests/ssr/**/*.test.ts'],
					typecheck: { enabled: false }
				}
			},
			{
				extends: true,
				plugins: [svelteTesting()],
				test: {
					name: 'svelte',
					environment: 'jsdom',
					include: ['tests/svelte/**/*.test.ts'],
					setupFiles: ['tests/svelte/setup.ts']
				}
			}
		]
	}
});
