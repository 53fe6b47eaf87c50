import { loadFetch } from '../../src/demo/http.js';
import { usersQuery } from '../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, fetch }) => {
	const { qora } = await parent();
	// Fresh data in the cache: no request. On the server, this fills the page.
	const query = usersQuery(loadFetch(fetch));
	// It stops waiting after the first failure (the fetch goes on retrying, visibly on the
	// page) or once the fetch pauses offline (the page shows it paused).
	await qora.prefetchQuery(query);
};
