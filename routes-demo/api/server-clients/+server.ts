/** GET `{ live }`: request clients the server has not disposed (0 between requests). Not counted. */
import { json, type RequestHandler } from '@sveltejs/kit';
import { liveServerClients } from '../../../src/demo/server-clients.js';

export const GET: RequestHandler = () => json({ live: liveServerClients() }, { headers: { 'cache-control': 'no-store' } });
