import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		// `.ci/run` reads the totals of every suite from this file.
		reporters: ['default', 'json'],
		outputFile: { json: '.vitest-results.json' },
		projects: [
			{
				extends: true,
				test: {
					name: 'core',
					environment: 'node',
					include: ['tests/core/**/*.test.ts', 'tests/types/**/*.test.ts', 'tests/ssr/**/*.test.ts'],
					setupFiles: ['tests/setup/strict-throw.ts']
				}
			},
			{
				extends: true,
				plugins: [svelteTesting()],
				test: {
					name: 'svelte',
					environment: 'jsdom',
					include: ['tests/svelte/**/*.test.ts'],
					setupFiles: ['tests/setup/strict-throw.ts', 'tests/svelte/setup.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'reliability',
					environment: 'node',
					include: ['tests/reliability/**/*.test.ts'],
					setupFiles: ['tests/setup/strict-throw.ts'],
					testTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					environment: 'node',
					include: ['tests/e2e/**/*.test.ts'],
					globalSetup: ['tests/e2e/global-setup.ts'],
					fileParallelism: false,
					testTimeout: 60_000,
					hookTimeout: 240_000
				}
			},
			{
				extends: true,
				test: {
					name: 'package',
					environment: 'node',
					include: ['tests/package/**/*.test.ts'],
					testTimeout: 300_000,
					hookTimeout: 300_000
				}
			}
		]
	}
});
