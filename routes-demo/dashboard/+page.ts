import { loadFetch } from '../../src/demo/http.js';
import { dashboardQuery } from '../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, fetch }) => {
	const { qora, demoConfig } = await parent();
	const query = dashboardQuery(demoConfig.pollMs, loadFetch(fetch));
	// It stops waiting after the first failure (the fetch goes on retrying, visibly on the
	// page) or once the fetch pauses offline (the page shows it paused).
	await qora.prefetchQuery(query);
	return { pollMs: demoConfig.pollMs };
};
