import { loadFetch } from '../../src/demo/http.js';
import { usersQuery } from '../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, fetch }) => {
	const { qora } = await parent();
	// Fresh data in the cache: no request. On the server, this fills the page.
	const query = usersQuery(loadFetch(fetch));
	// No retries, and offline it stops waiting once the fetch pauses: the page shows the
	// failure or the pause at once, and its query retries (or resumes) there.
	await qora.prefetchQuery(query);
};
