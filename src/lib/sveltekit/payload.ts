/**
 * The server's cache, written into the HTML as a JSON script element and read
 * back by the browser. The text must be inert inside `<script>`: the HTML
 * parser ends the element at the first `</script` (in any case) and treats
 * `<!--` specially, so every `<` is written as the JSON escape `\u003c`.
 * `\u2028`/`\u2029` are escaped too, since older JavaScript parsers treat them
 * as line breaks. JSON.parse reads every escape back to the original text.
 */

/** The id of the `<script type="application/json">` element holding the server's cache. */
export const QORA_STATE_ELEMENT_ID = '__qora_state';

const unsafe = /[<>&\u2028\u2029]/g;

function escapeChar(char: string): string {
	return '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * `JSON.stringify(value)` made safe to embed as the text of a `<script>`
 * element: no `<`, `>`, `&`, U+2028 or U+2029 appears literally, so no data
 * can close the element or open a comment. `JSON.parse` of the result equals
 * `JSON.parse(JSON.stringify(value))`.
 */
export function serializeForScript(value: unknown): string {
	const json = JSON.stringify(value);
	if (json === undefined) throw new TypeError('serializeForScript: the value has no JSON representation');
	// Outside strings JSON has none of these characters, so escaping them
	// everywhere only ever touches string contents, where `\uXXXX` is valid.
	return json.replace(unsafe, escapeChar);
}

/** The attribute of the payload element holding the time (ms since the epoch, the server's clock) the page was rendered. */
const RENDERED_AT = 'data-rendered-at';

/**
 * The script element carrying `jsonText` (already made safe by {@link serializeForScript}),
 * rendered at `renderedAt`: how old the page is, which its payload's data cannot always tell
 * (it may carry none, though the page's loads fetched data the replay will answer as old).
 */
export function payloadMarkup(jsonText: string, renderedAt: number): string {
	return `<script type="application/json" id="${QORA_STATE_ELEMENT_ID}" ${RENDERED_AT}="${renderedAt}">${jsonText}</script>`;
}

/**
 * The payload element in `doc`: its text, and when it was rendered (`0` when the element does
 * not say, as one an app writes itself); `null` when the page has none (a client-rendered page, or
 * no provider on the server). Only a JSON script element counts: page content can carry the id too
 * (HTML sanitizers keep ids, and content above the provider comes first), but no sanitizer lets a
 * script through.
 */
export function readPayload(doc: Pick<Document, 'querySelector'> | undefined = globalThis.document): { text: string; renderedAt: number } | null {
	const element = doc?.querySelector(`script[type="application/json"][id="${QORA_STATE_ELEMENT_ID}"]`);
	return element ? { text: element.textContent ?? '', renderedAt: Number(element.getAttribute(RENDERED_AT)) || 0 } : null;
}
