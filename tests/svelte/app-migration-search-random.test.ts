// Random sessions of search as you type (AppSearch: keepPrevious always, only while enabled, or
// never) with answers in any order, failures, logouts (clear), focus, invalidations and time (gc,
// staleness): results shown are never an old user's, results not flagged as a placeholder are the
// typed term's, and a term too short to search shows none when keepPrevious is only while enabled.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import AppSearch from './components/AppSearch.svelte';
import Provide from './components/Provide.svelte';
import { deferred, flush, rng, randomSession } from './helpers.js';

const terms = ['', 'a', 'ab', 'abc', 'abd', 'b', 'ba'];
for (let seed = 1; seed <= Number(process.env['SEEDS'] ?? 30); seed++) {
	it(`seed ${seed}`, async () => {
		vi.useFakeTimers();
		const client = new QoraClient({ defaultOptions: { staleTime: [0, 500, 60_000][seed % 3], gcTime: [0, 1000, 300_000][(seed >> 2) % 3] } });
		const random = rng(seed);
		const keep = (['always', 'whileEnabled', undefined] as const)[seed % 3];
		let user = 1;
		const open: { q: string; user: number; answer: ReturnType<typeof deferred<any>> }[] = [];
		const log: string[] = [`keep ${keep}`];
		const get = (path: string) => {
			const answer = deferred<any>();
			const q = path.split('=')[1]!;
			open.push({ q, user, answer });
			log.push(`GET ${q} u${user}`);
			return answer.promise;
		};
		render(Provide, { client, view: AppSearch, viewProps: { get, keep } });
		let term = '';
		const check = (where: string) => {
			const heading = screen.queryByTestId('heading')?.textContent ?? null;
			const shown = screen.queryAllByRole('listitem').map((li) => li.textContent!);
			for (const item of shown) expect(item.startsWith(`u${user} `), `${where}: ${item}`).toBe(true);
			if (heading === null) return;
			const placeholder = heading.includes('(updating)');
			if (!placeholder) for (const item of shown) expect(item, `${where}: ${heading}`).toBe(`u${user} ${term}`);
			if (keep === 'whileEnabled' && term.length < 2) expect(shown, `${where}: whileEnabled short term`).toEqual([]);
			if (keep === undefined && placeholder) throw new Error(`${where}: placeholder without keepPrevious`);
		};
		await randomSession(client, log, async () => {
			for (let step = 0; step < 40; step++) {
				const r = random();
				if (r < 0.35) {
					term = terms[Math.floor(random() * terms.length)]!;
					log.push(`type "${term}"`);
					await fireEvent.input(screen.getByRole('textbox', { name: 'Search' }), { target: { value: term } });
					await flush();
				} else if (r < 0.75 && open.length > 0) {
					const [call] = open.splice(Math.floor(random() * open.length), 1);
					if (random() < 0.8) {
						log.push(`ok ${call!.q} u${call!.user}`);
						call!.answer.resolve([{ term: call!.q, title: `u${call!.user} ${call!.q}` }]);
					} else {
						log.push(`fail ${call!.q}`);
						call!.answer.reject(new Error('down'));
					}
					await flush();
				} else if (r < 0.8) {
					user++;
					log.push(`logout u${user}`);
					client.clear();
					await flush();
				} else if (r < 0.88) {
					log.push('focus');
					window.dispatchEvent(new Event('focus'));
					await flush();
				} else if (r < 0.92) {
					log.push('invalidate all');
					void client.invalidateWhere(['search']);
					await flush();
				} else {
					const ms = Math.floor(random() * 1500);
					log.push(`time ${ms}`);
					await flush(ms);
				}
				check(`step ${step}`);
			}
			for (let n = 0; n < 50 && open.length > 0; n++) {
				const [call] = open.splice(0, 1);
				call!.answer.resolve([{ term: call!.q, title: `u${call!.user} ${call!.q}` }]);
				await flush();
				check(`drain ${n}`);
			}
		});
	});
}
