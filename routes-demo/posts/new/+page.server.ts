import { fail, redirect } from '@sveltejs/kit';
import { createPost } from '../../../src/demo/db.server.js';
import type { Actions } from './$types.js';

// A form action instead of a mutation: it writes, then redirects to the list, whose
// server load runs again and brings the new post in its `qoraState`.
export const actions: Actions = {
	default: async ({ request }) => {
		const form = await request.formData();
		const title = String(form.get('title') ?? '').trim();
		const body = String(form.get('body') ?? '').trim();
		if (title === '' || title.length > 120) return fail(400, { title, body, message: 'A title of 1 to 120 characters is required' });
		createPost({ title, body });
		redirect(303, '/posts');
	}
};
