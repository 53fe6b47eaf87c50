/**
 * Issue 6 item 5 (SSR part): data containing `</script>`, `<!--` and
 * U+2028/U+2029 renders as text, cannot end the payload element or run a
 * script, and the payload still parses to the original data.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { openPage, quietPeriod, useBrowser } from './support/browser.js';
import { rawHtml, requestCount, resetDemo, resetRequestCounts } from './support/demo-api.js';
import { payloadOf, payloadText } from './support/payload.js';

useBrowser();
beforeEach(resetDemo);

const hostileName = 'Mallory </script><script>window.__qoraInjected = true</script>';

describe('hostile user data', () => {
	test('is escaped in the served HTML: the payload element holds all of it and parses back to it', async () => {
		const html = await rawHtml('/users/7');
		const text = payloadText(html);
		expect(text).not.toMatch(/[<>\u2028\u2029]/);
		const user = payloadOf(html).entries[0]?.data as { name: string; city: string; motto: string };
		expect(user.name).toBe(hostileName);
		expect(user.city).toBe('Line\u2028Separator\u2029City');
		expect(user.motto).toBe('Comments <!-- and <script> are just text to me.');
		// Nowhere in the page does the data appear as markup.
		expect(html).not.toContain('</script><script>window.__qoraInjected');
		expect(html).not.toContain('<img src=x');
	});

	test('renders as text in Chromium, runs no script, and hydrates without a refetch', async () => {
		await resetRequestCounts();
		const { page, errors } = await openPage('/users/7');
		await expect.poll(() => page.getByTestId('user-name').textContent()).toBe(hostileName);
		expect(await page.getByTestId('user-city').textContent()).toBe('Line\u2028Separator\u2029City');
		expect(await page.evaluate(() => window.__qoraInjected)).toBeUndefined();
		const parsed = await page.evaluate(() => {
			const element = document.getElementById('__qora_state');
			return element ? (JSON.parse(element.textContent ?? '') as { entries: { data: { name: string } }[] }) : null;
		});
		expect(parsed?.entries[0]?.data.name).toBe(hostileName);
		await quietPeriod(page);
		// Only the server's own fetch: the browser took the data from the payload.
		expect(await requestCount('GET /api/users/7')).toBe(1);
		expect(errors).toEqual([]);
	});
});
