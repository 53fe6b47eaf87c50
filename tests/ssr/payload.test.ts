/** The payload's embedding: nothing in the data can end the script element, and the JSON reads back unchanged. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { payloadMarkup, QORA_STATE_ELEMENT_ID, readPayload, serializeForScript } from '../../src/lib/sveltekit/payload.js';
import { pageDocument } from './page-document.js';

/** What an HTML parser takes as the element's text: everything up to the first `</script` in any case. */
function textAsParsed(markup: string): string {
	const start = markup.indexOf('>') + 1;
	const end = markup.toLowerCase().indexOf('</script', start);
	return markup.slice(start, end);
}

const hostile = {
	name: 'Mallory </script><script>alert(1)</script>',
	upper: '</SCRIPT >',
	comment: '<!--<script>',
	separators: 'a\u2028b\u2029c',
	amp: 'Tom & Jerry > "quotes"',
	['</script>']: 'even as a key'
};

describe('serializeForScript', () => {
	test('writes no <, >, &, U+2028 or U+2029 literally', () => {
		expect(serializeForScript(hostile)).not.toMatch(/[<>&\u2028\u2029]/);
	});

	test('escapes with JSON escapes, so JSON.parse gives the data back', () => {
		const text = serializeForScript(hostile);
		expect(text).toContain('\\u003c/script\\u003e');
		expect(text).toContain('\\u2028');
		expect(JSON.parse(text)).toEqual(hostile);
	});

	test('round-trips any JSON value, and the parsed element text is the whole of it', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				const text = serializeForScript(value);
				expect(text).not.toMatch(/[<>&\u2028\u2029]/);
				expect(textAsParsed(payloadMarkup(text, 0))).toBe(text);
				expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
			}),
			{ numRuns: 300 }
		);
	});

	test('rejects a value JSON cannot represent (undefined, a function) with a TypeError saying so', () => {
		for (const value of [undefined, () => {}]) {
			expect(() => serializeForScript(value)).toThrow(TypeError);
			expect(() => serializeForScript(value)).toThrow(/^serializeForScript: the value has no JSON representation$/);
		}
	});
});

describe('payloadMarkup and readPayload', () => {
	test('the element is a JSON script with the well-known id and the time the page was rendered', () => {
		expect(payloadMarkup('{}', 1234)).toBe(`<script type="application/json" id="${QORA_STATE_ELEMENT_ID}" data-rendered-at="1234">{}</script>`);
	});

	test('reading finds the JSON script element with the id, its text and render time (0 when it has none), or null', () => {
		expect(readPayload(pageDocument(payloadMarkup('{"a":1}', 1234)))).toEqual({ text: '{"a":1}', renderedAt: 1234 });
		expect(readPayload(pageDocument(`<script type="application/json" id="${QORA_STATE_ELEMENT_ID}">{"a":1}</script>`))).toEqual({ text: '{"a":1}', renderedAt: 0 });
		expect(readPayload(pageDocument(`<script type="text/plain" id="${QORA_STATE_ELEMENT_ID}">{"a":1}</script>`))).toBeNull();
		expect(readPayload(pageDocument(null))).toBeNull();
		expect(readPayload(undefined)).toBeNull();
	});
});
