import { loadFetch } from '../../src/demo/http.js';
import { unlessPaused } from '../../src/demo/loads.js';
import { usersQuery } from '../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, fetch }) => {
	const { qora } = await parent();
	// Fresh data in the cache: no request. On the server, this fills the page.
	const query = usersQuery(loadFetch(fetch));
	// Offline it would wait for the connection: then show the page, whose query says "paused".
	await unlessPaused(qora, query.key, qora.prefetchQuery(query));
};
