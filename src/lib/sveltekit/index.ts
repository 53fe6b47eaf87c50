// SvelteKit helpers of Qora (`qora/sveltekit`). Re-exports only.
export { loadQoraClient } from './load-client.js';
export { prefetchOnServer } from './prefetch-on-server.js';
export { streamSettled } from './stream-settled.svelte.js';
export { default as QoraKitProvider } from './QoraKitProvider.svelte';
export { QORA_STATE_ELEMENT_ID, serializeForScript } from './payload.js';
