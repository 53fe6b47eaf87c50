// The README's `$lib/api` for the testing recipe: the fetcher a component imports, and a test mocks.
export type User = { id: number; name: string };

export async function getUser(id: number, signal?: AbortSignal): Promise<User> {
	const response = await fetch(`/api/users/${id}`, { signal });
	if (!response.ok) throw new Error(`${response.status}`);
	return (await response.json()) as User;
}
