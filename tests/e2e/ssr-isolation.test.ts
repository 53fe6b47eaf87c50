/**
 * Issue 5 item 7 and issue 6 item 6: concurrent server renders for different
 * users never see each other's data, on screen or in the serialized payload.
 * Latency keeps the requests in flight together, so a cache shared between
 * requests would show up in the later pages.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { rawHtml, resetDemo, setSettings } from './support/demo-api.js';
import { emails } from './support/emails.js';
import { payloadKeys, payloadOf } from './support/payload.js';

beforeEach(resetDemo);

describe('concurrent server renders', () => {
	test('two raw responses rendered at the same time each hold only their own user', async () => {
		await setSettings({ latencyMs: 300 });
		const [first, second] = await Promise.all([rawHtml('/users/3'), rawHtml('/users/4')]);
		expect(emails(first)).toEqual(['alan@bletchley.example']);
		expect(emails(second)).toEqual(['katherine@orbit.example']);
		expect(payloadKeys(first)).toEqual(['["users",3]']);
		expect(payloadKeys(second)).toEqual(['["users",4]']);
	});

	test('200 concurrent renders of 200 different users each contain only their own user', async () => {
		await setSettings({ latencyMs: 50 });
		const ids = Array.from({ length: 200 }, (_, index) => 9 + index);
		const pages = await Promise.all(ids.map((id) => rawHtml(`/users/${id}`)));
		const leaks: string[] = [];
		pages.forEach((html, index) => {
			const id = ids[index] as number;
			const ownEmail = `member${id}@members.example`;
			const foreignNames = [...html.matchAll(/Member (\d+)/g)].filter(([, n]) => Number(n) !== id);
			const foundEmails = emails(html);
			const payload = payloadOf(html);
			if (foundEmails.length !== 1 || foundEmails[0] !== ownEmail) leaks.push(`/users/${id}: emails ${foundEmails.join(', ')}`);
			if (foreignNames.length > 0) leaks.push(`/users/${id}: names ${foreignNames.map(([name]) => name).join(', ')}`);
			if (payload.entries.length !== 1 || JSON.stringify(payload.entries[0]?.key) !== `["users",${id}]`) {
				leaks.push(`/users/${id}: payload keys ${payload.entries.map((entry) => JSON.stringify(entry.key)).join(', ')}`);
			}
		});
		expect(leaks).toEqual([]);
	});
});
