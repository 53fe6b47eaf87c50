import { setTimeout as delay } from 'node:timers/promises';
import { prefetchOnServer } from '$lib/sveltekit/index.js';
import { listPosts } from '../../../src/demo/db.server.js';
import { getSettings } from '../../../src/demo/settings.server.js';
import { postsKey } from '../../../src/demo/queries.js';
import type { PageServerLoad } from './$types.js';

// Not awaited: the page renders at once and the payload streams in after it; the
// layout's <QoraKitProvider> hydrates it when it arrives. The demo's latency setting
// delays it, as a slow database would.
export const load: PageServerLoad = () => ({
	qoraState: prefetchOnServer(async (qora) => {
		await delay(getSettings().latencyMs);
		await qora.prefetchQuery({ key: postsKey, fetcher: () => listPosts() });
	})
});
