// The framework-agnostic core of Qora (`qora`). Re-exports only.
// Hydration first: a bundler lays the modules out in this import order, and this one gzips smaller
// (about 45 B of `npm run size`; it changes nothing else).
export { dehydrate, hydrate, DEHYDRATED_VERSION } from './core/hydration.js';
export type { DehydratedState, DehydratedEntry, DehydrateOptions } from './core/hydration.js';
export { QoraClient } from './core/client.js';
export type { DataWrite, QoraClientConfig, QoraReadable, QueryConfig, KeyPredicate } from './core/client.js';
export { QoraKey, normalizeKey, hashKey, equalsKey, keyStartsWith } from './core/key.js';
export type { DataOfKey, KeyInput, KeyData, KeyPart, KeyParts, QoraKeyOf, QueryKeyInput, TypedKey } from './core/key.js';
export type {
	QoraState,
	QoraStatus,
	QoraFetchStatus,
	QoraPendingState,
	QoraSuccessState,
	QoraErrorState,
	QoraLoadingErrorState,
	QoraRefetchErrorState
} from './core/state.js';
export type { KeepPrevious, QoraOptions, QoraSharedOptions, ResolvedOptions, RetryOption, RetryDelayOption, Uninferred } from './core/options.js';
export { defaultRetryDelay, keepPrevious } from './core/options.js';
export type { Fetcher, FetchContext } from './core/entry.js';
export { CancelledError } from './core/errors.js';
export type { Clock, FocusSource, OnlineSource, PlatformSources } from './core/platform.js';
