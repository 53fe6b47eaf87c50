import { loadFetch } from '../../src/demo/http.js';
import { unlessPaused } from '../../src/demo/loads.js';
import { dashboardQuery } from '../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, fetch }) => {
	const { qora, demoConfig } = await parent();
	const query = dashboardQuery(demoConfig.pollMs, loadFetch(fetch));
	// Offline it would wait for the connection: then show the page, whose query says "paused".
	await unlessPaused(qora, query.key, qora.prefetchQuery(query));
	return { pollMs: demoConfig.pollMs };
};
