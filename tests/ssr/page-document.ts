/**
 * The page's document as the browser code reads it (`querySelector` of the payload element), in Node:
 * built from the element's markup, as `payloadMarkup` writes it or as an app writes it itself.
 */
import { vi } from 'vitest';

/** A document holding the one element `markup` (`<script …>text</script>`), or no element for `null`. */
export function pageDocument(markup: string | null): Pick<Document, 'querySelector'> {
	const parsed = markup === null ? null : /^<script ([^>]*)>(.*)<\/script>$/s.exec(markup);
	if (markup !== null && parsed === null) throw new Error(`pageDocument: not a script element: ${markup}`);
	const attributes = new Map(Array.from((parsed?.[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g), ([, name, value]) => [name, value]));
	const element = parsed && { textContent: parsed[2], getAttribute: (name: string) => attributes.get(name) ?? null };
	return {
		querySelector: vi.fn((selector: string) => {
			if (element === null) return null;
			// Only the selector the library reads the payload with finds it.
			const wanted = `script[type="${attributes.get('type')}"][id="${attributes.get('id')}"]`;
			return (selector === wanted ? element : null) as HTMLElement | null;
		})
	};
}

/** Makes `pageDocument(markup)` the global `document`, as in a browser (undone by `vi.unstubAllGlobals()`). */
export function stubPageDocument(markup: string | null): void {
	vi.stubGlobal('document', pageDocument(markup));
}
