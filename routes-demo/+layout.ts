import { loadQoraClient } from '$lib/sveltekit/index.js';
import { createDemoClient } from '../src/demo/client.js';
import type { LayoutLoad } from './$types.js';

// Server: a new client per request. Browser: one client for the session,
// already holding the server's data; a rerun (invalidateAll) returns the same one.
export const load: LayoutLoad = ({ data }) => ({
	...data,
	qora: loadQoraClient(() => createDemoClient(data.demoConfig))
});
