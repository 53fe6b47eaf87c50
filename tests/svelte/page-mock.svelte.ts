/** A stand-in for SvelteKit's `$app/state` in jsdom tests: a reactive `page` whose `data` a test sets, as navigation does. */
export const page = $state<{ data: Record<string, unknown> }>({ data: {} });
