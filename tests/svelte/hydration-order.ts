/**
 * A page whose parent shows a query in text before a child that shows a createQueryState of the
 * same key (ParentTextChildState > KeyStateSpinner), and the markup the server renders for it
 * (checked by hydration-order-ssr.test.ts): the query fetches on mount, and the server, rendering
 * in document order, subscribes it before the child, which shows it fetching.
 */
import type { QueryConfig } from '../../src/lib/index.js';

export const config: QueryConfig<string> = { key: ['profile'], fetcher: () => new Promise<string>(() => {}) };

/** The same whether or not the parent's script reads the query first. */
export const serverMarkup =
	'<!--[--><!--[--><!--[--><p data-testid="parent">parent: fetching</p> <!--[0--><p data-testid="child">busy</p><!--]--><!----><!--]--><!--]--><!--]-->';
