/** GET the API request counts, DELETE to reset them. Not counted itself. */
import { json, type RequestHandler } from '@sveltejs/kit';
import { requestCounts, resetRequestCounts } from '../../../src/demo/requests.server.js';

const noStore = { 'cache-control': 'no-store' };

export const GET: RequestHandler = () => json(requestCounts(), { headers: noStore });

export const DELETE: RequestHandler = () => {
	resetRequestCounts();
	return json(requestCounts(), { headers: noStore });
};
