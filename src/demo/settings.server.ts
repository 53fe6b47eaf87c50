/**
 * The demo server's knobs: latency, failure injection, the browser's stale
 * time and the dashboard's polling period. Defaults come from environment
 * variables read when the server starts (QORA_DEMO_LATENCY_MS,
 * QORA_DEMO_STALE_TIME_MS, QORA_DEMO_POLL_MS); `/api/settings` changes them
 * at run time.
 */
import { env } from '$env/dynamic/private';
import { ROUTE_NAMES, type DemoSettings, type RouteName } from './types.js';

function fromEnv(name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of milliseconds >= 0, got "${raw}"`);
	return value;
}

function defaults(): DemoSettings {
	return {
		latencyMs: fromEnv('QORA_DEMO_LATENCY_MS', 0),
		failRoutes: [],
		staleTimeMs: fromEnv('QORA_DEMO_STALE_TIME_MS', 60_000),
		pollMs: fromEnv('QORA_DEMO_POLL_MS', 5_000)
	};
}

// Read lazily: the adapter fills $env/dynamic/private when the server starts.
let current: DemoSettings | undefined;

export function getSettings(): DemoSettings {
	return (current ??= defaults());
}

const durations = ['latencyMs', 'staleTimeMs', 'pollMs'] as const;

/**
 * Applies a partial update after checking every field.
 * @throws TypeError naming the bad field; nothing is applied then.
 */
export function updateSettings(patch: unknown): DemoSettings {
	if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new TypeError('expected a JSON object');
	const next: DemoSettings = { ...getSettings() };
	for (const [name, value] of Object.entries(patch)) {
		if ((durations as readonly string[]).includes(name)) {
			if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
				throw new TypeError(`"${name}" must be a number of milliseconds >= 0`);
			}
			next[name as (typeof durations)[number]] = value;
		} else if (name === 'failRoutes') {
			if (!Array.isArray(value) || !value.every((route) => (ROUTE_NAMES as readonly unknown[]).includes(route))) {
				throw new TypeError(`"failRoutes" must list route names among ${ROUTE_NAMES.join(', ')}`);
			}
			next.failRoutes = [...(value as RouteName[])];
		} else {
			throw new TypeError(`unknown setting "${name}"`);
		}
	}
	current = next;
	return next;
}

export function resetSettings(): DemoSettings {
	current = defaults();
	return current;
}
