import { getSettings } from '../src/demo/settings.server.js';
import type { DemoConfig } from '../src/demo/types.js';
import type { LayoutServerLoad } from './$types.js';

// The browser creates its client from these once per session (see +layout.ts).
export const load: LayoutServerLoad = () => {
	const { staleTimeMs, pollMs } = getSettings();
	const demoConfig: DemoConfig = { staleTimeMs, pollMs };
	return { demoConfig };
};
