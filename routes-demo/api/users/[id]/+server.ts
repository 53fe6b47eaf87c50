import { readUser } from '../../../../src/demo/db.server.js';
import { ApiError, apiRoute, idParam } from '../../../../src/demo/endpoint.server.js';

export const GET = apiRoute('user', ({ params }) => {
	const user = readUser(idParam(params['id'], 'user'));
	if (!user) throw new ApiError(404, 'No such user');
	return user;
});
