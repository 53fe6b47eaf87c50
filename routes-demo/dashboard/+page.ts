import { loadFetch } from '../../src/demo/http.js';
import { dashboardQuery } from '../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, fetch }) => {
	const { qora, demoConfig } = await parent();
	const query = dashboardQuery(demoConfig.pollMs, loadFetch(fetch));
	// No retries, and offline it stops waiting once the fetch pauses: the page shows the
	// failure or the pause at once, and its query retries (or resumes) there.
	await qora.prefetchQuery(query);
	return { pollMs: demoConfig.pollMs };
};
