import { prefetchOnServer } from '$lib/sveltekit/index.js';
import { listPosts } from '../../src/demo/db.server.js';
import { postsKey } from '../../src/demo/queries.js';
import type { PageServerLoad } from './$types.js';

// Prefetched in a server load, straight from the database; the layout's
// <QoraKitProvider> hydrates `qoraState` into the app's client.
export const load: PageServerLoad = async () => ({
	qoraState: await prefetchOnServer((qora) => qora.prefetchQuery({ key: postsKey, fetcher: () => listPosts() }))
});
