import { likePost } from '../../../../../src/demo/db.server.js';
import { ApiError, apiRoute, idParam } from '../../../../../src/demo/endpoint.server.js';

export const POST = apiRoute('likePost', ({ params }) => {
	const post = likePost(idParam(params['id'], 'post'));
	if (!post) throw new ApiError(404, 'No such post');
	return post;
});
