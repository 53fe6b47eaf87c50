// The README's "Testing components that use Qora": from the first import to the marker, this file is the README's test
// with its imports pointed at this repository (the last test checks that they have not drifted apart).
import { render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { getUser } from './components/readme-user-api.js';
import User from './components/ReadmeUser.svelte';
import WithClient from './components/ReadmeWithClient.svelte';

vi.mock('./components/readme-user-api.js', () => ({ getUser: vi.fn() }));

let client: QoraClient;
beforeEach(() => {
	vi.useFakeTimers();
	client = new QoraClient({ defaultOptions: { retry: 0 } });
});
afterEach(() => {
	client.dispose();
	vi.useRealTimers();
});

it('shows the user once loaded', async () => {
	vi.mocked(getUser).mockResolvedValue({ id: 1, name: 'Ada' });
	render(WithClient, { client, view: User, id: 1 });
	expect(screen.getByText('Loading…')).toBeInTheDocument();
	await vi.advanceTimersByTimeAsync(0); // the fetch settles
	expect(screen.getByText('Ada')).toBeInTheDocument();
	expect(getUser).toHaveBeenCalledWith(1, expect.any(AbortSignal));
});

it('shows the error at once', async () => {
	vi.mocked(getUser).mockRejectedValue(new Error('500'));
	render(WithClient, { client, view: User, id: 1 });
	await vi.advanceTimersByTimeAsync(0);
	expect(screen.getByText('Could not load: 500')).toBeInTheDocument();
});
// README:end

it('is the README’s test, imports aside', async () => {
	const { readFileSync } = await vi.importActual<typeof import('node:fs')>('node:fs');
	const readme = readFileSync(`${process.cwd()}/README.md`, 'utf8');
	const section = readme.slice(readme.indexOf('### Testing components that use Qora'));
	const block = /```ts\n(\/\/ src\/lib\/User\.test\.ts\n)?([\s\S]*?)```/.exec(section)?.[2];
	const source = readFileSync(`${process.cwd()}/tests/svelte/readme-testing.test.ts`, 'utf8');
	const here = source.slice(source.indexOf('import { render'), source.indexOf('// README:end'));
	const asInTheReadme = here
		.replace("'../../src/lib/index.js'", "'qora'")
		.replaceAll("'./components/readme-user-api.js'", "'$lib/api'")
		.replace("'./components/ReadmeUser.svelte'", "'./User.svelte'")
		.replace("'./components/ReadmeWithClient.svelte'", "'./WithClient.svelte'");
	expect(block).toBe(asInTheReadme);
});
