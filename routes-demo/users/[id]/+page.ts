import { error } from '@sveltejs/kit';
import { loadFetch } from '../../../src/demo/http.js';
import { HttpError, userQuery } from '../../../src/demo/queries.js';
import type { PageLoad } from './$types.js';

export const load: PageLoad = async ({ parent, params, fetch }) => {
	const id = Number(params.id);
	if (!Number.isInteger(id) || id < 1) error(404, 'No such user');
	const { qora } = await parent();
	const fetching = qora.fetchQuery(userQuery(id, loadFetch(fetch)));
	// Offline, the fetch waits for the connection: show the page (its query says "paused")
	// instead of holding the navigation until then.
	if (!qora.isOnline()) {
		fetching.catch(() => {});
		return { id };
	}
	try {
		await fetching;
	} catch (failure) {
		if (failure instanceof HttpError && failure.status === 404) error(404, 'No such user');
		// Any other failure shows as the query's error state on the page, with a retry.
	}
	return { id };
};
