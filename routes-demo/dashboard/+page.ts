import { loadFetch } from '../../src/demo/http.js';
import { dashboardQuery } from '../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, fetch }) => {
	const { qora, demoConfig } = await parent();
	await qora.prefetchQuery(dashboardQuery(demoConfig.pollMs, loadFetch(fetch)));
	return { pollMs: demoConfig.pollMs };
};
