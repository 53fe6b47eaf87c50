import { error, isHttpError, isRedirect } from '@sveltejs/kit';
import { loadFetch } from '../../../src/demo/http.js';
import { unlessPaused } from '../../../src/demo/loads.js';
import { HttpError, userQuery } from '../../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, params, fetch }) => {
	const id = Number(params.id);
	if (!Number.isInteger(id) || id < 1) error(404, 'No such user');
	const { qora } = await parent();
	const query = userQuery(id, loadFetch(fetch));
	try {
		// Offline the fetch waits for the connection: then show the page (its query says
		// "paused") instead of holding the navigation until reconnect.
		// No retries here: a failure the page can show (its query retries, visibly) should
		// not first hold the navigation through a whole retry cycle of its own.
		await unlessPaused(qora, query.key, qora.fetchQuery({ ...query, options: { ...query.options, retry: 0 } }));
	} catch (failure) {
		// SvelteKit's own error() or redirect(), thrown by a fetcher, go on as they are.
		if (isHttpError(failure) || isRedirect(failure)) throw failure;
		if (failure instanceof HttpError && failure.status === 404) error(404, 'No such user');
		// Any other failure shows as the query's error state on the page, with a retry.
	}
	return { id };
};
