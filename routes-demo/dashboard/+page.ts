import { loadFetch } from '../../src/demo/http.js';
import { dashboardQuery } from '../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, fetch }) => {
	const { qora, demoConfig } = await parent();
	const prefetching = qora.prefetchQuery(dashboardQuery(demoConfig.pollMs, loadFetch(fetch)));
	// Offline it would wait for the connection: show the page, whose query says "paused".
	if (qora.isOnline()) await prefetching;
	return { pollMs: demoConfig.pollMs };
};
