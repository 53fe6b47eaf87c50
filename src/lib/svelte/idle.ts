/** The state of a key nothing is known about yet. */
import { initialEntryState, toQoraState, type QoraState } from '../core/state.js';

/** What a store holds before its first subscription: pending, not fetching. */
export const idleState: QoraState<never> = toQoraState(initialEntryState, true);
