/** What a navigation changes besides page.data: which page components are on screen (their query keys). */
export const nav = $state<{ keys: string[][] }>({ keys: [] });
