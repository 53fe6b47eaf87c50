import { loadFetch } from '../../src/demo/http.js';
import { usersQuery } from '../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, fetch }) => {
	const { qora } = await parent();
	// Fresh data in the cache: no request. On the server, this fills the page.
	const prefetching = qora.prefetchQuery(usersQuery(loadFetch(fetch)));
	// Offline it would wait for the connection: show the page, whose query says "paused".
	if (qora.isOnline()) await prefetching;
};
