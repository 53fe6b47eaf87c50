import { dashboardStats } from '../../../src/demo/db.server.js';
import { apiRoute } from '../../../src/demo/endpoint.server.js';
import { requestCounts } from '../../../src/demo/requests.server.js';

export const GET = apiRoute('dashboard', () => dashboardStats(requestCounts().total));
