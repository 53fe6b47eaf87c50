import { createPost, listPosts } from '../../../src/demo/db.server.js';
import { ApiError, apiRoute, readJson } from '../../../src/demo/endpoint.server.js';

export const GET = apiRoute('posts', () => listPosts());

export const POST = apiRoute('createPost', async (event) => {
	const body = (await readJson(event)) as { title?: unknown; body?: unknown } | null;
	const title = typeof body?.title === 'string' ? body.title.trim() : '';
	const text = typeof body?.body === 'string' ? body.body.trim() : '';
	if (title === '' || title.length > 120) throw new ApiError(400, 'A title of 1 to 120 characters is required');
	if (text.length > 2_000) throw new ApiError(400, 'The text is longer than 2000 characters');
	return createPost({ title, body: text });
});
