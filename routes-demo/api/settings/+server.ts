/** GET the demo's settings, PATCH some of them (JSON), DELETE to restore the defaults. Not counted. */
import { json, type RequestHandler } from '@sveltejs/kit';
import { getSettings, resetSettings, updateSettings } from '../../../src/demo/settings.server.js';

const noStore = { 'cache-control': 'no-store' };

export const GET: RequestHandler = () => json(getSettings(), { headers: noStore });

export const PATCH: RequestHandler = async ({ request }) => {
	try {
		return json(updateSettings(await request.json()), { headers: noStore });
	} catch (error) {
		return json({ message: (error as Error).message }, { status: 400, headers: noStore });
	}
};

export const DELETE: RequestHandler = () => json(resetSettings(), { headers: noStore });
