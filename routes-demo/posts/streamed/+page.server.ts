import { prefetchOnServer } from '$lib/sveltekit/index.js';
import { listPosts } from '../../../src/demo/db.server.js';
import { postsKey } from '../../../src/demo/queries.js';
import type { PageServerLoad } from './$types.js';

// Not awaited: the page renders at once and the payload streams in after it; the
// layout's <QoraKitProvider> hydrates it when it arrives.
export const load: PageServerLoad = () => ({
	qoraState: prefetchOnServer((qora) => qora.prefetchQuery({ key: postsKey, fetcher: () => listPosts() }))
});
