import { listUsers } from '../../../src/demo/db.server.js';
import { apiRoute } from '../../../src/demo/endpoint.server.js';

export const GET = apiRoute('users', () => listUsers());
