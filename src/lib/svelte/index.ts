// The Svelte layer of Qora (`qora/svelte`). Re-exports only.
export { setQoraClient, getQoraClient } from './context.svelte.js';
export { default as QoraProvider } from './QoraProvider.svelte';
export { browserFocusSource, browserOnlineSource } from './browser.js';
export { createQuery } from './create-query.js';
export type { CreateQueryConfig, CreateQueryOptions } from './create-query.js';
export { keepPrevious } from '../core/options.js';
export type { KeepPrevious } from '../core/options.js';
export { createQueryState } from './create-query-state.js';
export { createIsFetching, createIsMutating } from './create-activity.js';
export { createMutation } from './create-mutation.js';
export type { MutateArgs, MutationOptions, MutationStore } from './create-mutation.js';
export type {
	MutationState,
	MutationStatus,
	MutationIdleState,
	MutationPendingState,
	MutationSuccessState,
	MutationErrorState
} from './mutation-state.js';
