/** hydrateFromDocument: the payload element is read once per client (gap found by mutation testing), and tells how old the page is. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { dehydrate, QoraClient } from '../../src/lib/index.js';
import { hydrateFromDocument, hydrateOnce } from '../../src/lib/sveltekit/hydrate-once.js';
import { payloadMarkup, QORA_STATE_ELEMENT_ID, serializeForScript } from '../../src/lib/sveltekit/payload.js';
import { pageDocument } from './page-document.js';

afterEach(() => vi.restoreAllMocks());

/** A document whose payload element holds a server cache with ['posts']. */
function pageWithPayload() {
	const server = new QoraClient();
	server.setQueryData(['posts'], ['from the server']);
	const text = serializeForScript(dehydrate(server));
	server.dispose();
	return pageDocument(payloadMarkup(text, Date.now()));
}

describe('hydrateFromDocument', () => {
	test('reads the page once per client: a later call (a second provider, a layout rerun) cannot bring back what the app removed', () => {
		const doc = pageWithPayload();
		const client = new QoraClient();
		hydrateFromDocument(client, doc);
		expect(client.getQueryData(['posts'])).toEqual(['from the server']);
		client.remove(['posts']); // a deleted post, or a logout
		hydrateFromDocument(client, doc);
		expect(client.getQueryData(['posts'])).toBeUndefined();
		expect(doc.querySelector).toHaveBeenCalledTimes(1);

		// Another client (another session, in tests) reads it afresh.
		const other = new QoraClient();
		hydrateFromDocument(other, doc);
		expect(other.getQueryData(['posts'])).toEqual(['from the server']);
		client.dispose();
		other.dispose();
	});

	test('reports a payload element whose text is not JSON (a truncated page), and leaves the cache as it was', () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		client.setQueryData(['me'], 'browser data');
		hydrateFromDocument(client, pageDocument(payloadMarkup('{"version":1,"entr', Date.now())));
		expect(error).toHaveBeenCalledOnce();
		expect(String(error.mock.calls[0]?.[0])).toContain('the server payload in the page');
		expect(error.mock.calls[0]?.[1]).toBeInstanceOf(SyntaxError);
		expect(client.keys()).toEqual([['me']]);
		client.dispose();
	});

	test("returns when the server rendered the page, though the payload carries no data; for an element without that time (one an app writes itself), the payload's newest data time", () => {
		vi.useFakeTimers({ now: 1000 });
		const server = new QoraClient();
		server.setQueryData(['posts'], ['old']);
		vi.setSystemTime(2000);
		server.setQueryData(['users'], ['newer']);
		vi.setSystemTime(9000);
		const text = serializeForScript(dehydrate(server));
		server.dispose();
		const read = (markup: string) => {
			const client = new QoraClient();
			const at = hydrateFromDocument(client, pageDocument(markup));
			client.dispose();
			return at;
		};
		expect(read(payloadMarkup(text, 5000))).toBe(5000);
		expect(read(payloadMarkup('{"version":1,"entries":[]}', 5000))).toBe(5000);
		expect(read(`<script type="application/json" id="${QORA_STATE_ELEMENT_ID}">${text}</script>`)).toBe(2000);
		expect(read(`<script type="application/json" id="${QORA_STATE_ELEMENT_ID}">{"version":1,"entries":[]}</script>`)).toBe(0);
		// A payload that cannot be read still came from a page of that time (its inlined responses are as old).
		vi.spyOn(console, 'error').mockImplementation(() => {});
		expect(read(payloadMarkup('{"version":1,"entr', 5000))).toBe(5000);
		expect(read(payloadMarkup('{"version":99,"entries":[]}', 5000))).toBe(5000);
		vi.useRealTimers();
	});
});

describe('hydrateOnce', () => {
	test('reports a payload that is not an object at all (a string, a number), naming where it came from', () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		const client = new QoraClient();
		hydrateOnce(client, 'oops', 'page.data.qoraState');
		hydrateOnce(client, 42, 'page.data.qoraState');
		expect(error).toHaveBeenCalledTimes(2);
		expect(String(error.mock.calls[0]?.[0])).toContain('page.data.qoraState');
		expect(String(error.mock.calls[0]?.[1])).toContain('got string');
		expect(String(error.mock.calls[1]?.[1])).toContain('got number');
		expect(client.size).toBe(0);
		client.dispose();
	});
});
