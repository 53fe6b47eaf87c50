/**
 * Shallow equality of plain objects: every field `Object.is`-equal, a missing
 * field counting as `undefined`. Stores use it so that a snapshot rebuilt with
 * the same values (the core drops a snapshot when its last watcher leaves) is
 * not emitted as news.
 */
export function sameFields(a: object | undefined, b: object | undefined): boolean {
	if (a === b) return true;
	const left = (a ?? {}) as Record<string, unknown>;
	const right = (b ?? {}) as Record<string, unknown>;
	for (const name in left) if (!Object.is(left[name], right[name])) return false;
	for (const name in right) if (!(name in left) && right[name] !== undefined) return false;
	return true;
}
