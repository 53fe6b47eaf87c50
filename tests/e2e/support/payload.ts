/** Reading the Qora payload out of raw server HTML, the way the HTML parser would. */
import type { DehydratedState } from '../../../src/lib/index.js';
import { QORA_STATE_ELEMENT_ID } from '../../../src/lib/sveltekit/payload.js';

/** The element's start tag up to its attributes after the id (the time the page was rendered). */
const opening = `<script type="application/json" id="${QORA_STATE_ELEMENT_ID}"`;

/** The text of the payload element: everything up to the first `</script`, as a browser would cut it. */
export function payloadText(html: string): string {
	const start = html.indexOf(opening);
	if (start === -1) throw new Error('the page has no Qora payload element');
	const from = html.indexOf('>', start) + 1;
	const end = html.toLowerCase().indexOf('</script', from);
	if (end === -1) throw new Error('the payload element is never closed');
	return html.slice(from, end);
}

export function payloadOf(html: string): DehydratedState {
	return JSON.parse(payloadText(html)) as DehydratedState;
}

/** The keys of every entry of the page's payload, as JSON text. */
export function payloadKeys(html: string): string[] {
	return payloadOf(html).entries.map((entry) => JSON.stringify(entry.key));
}
