// Random sessions of the keepPrevious pager (AppPager): pages, saves (invalidateWhere), logouts
// (clear), removals, focus, connection flips and answers in any order. What shows is never an old
// user's data, data not flagged as a placeholder is the current page's, and nothing stays fetching.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import AppPager from './components/AppPager.svelte';
import Provide from './components/Provide.svelte';
import { deferred, flush, goOnline, rng, randomSession } from './helpers.js';

for (let seed = 1; seed <= Number(process.env["SEEDS"] ?? 30); seed++) {
	it(`seed ${seed}`, async () => {
		vi.useFakeTimers();
		const client = new QoraClient({ defaultOptions: { staleTime: [0, 1000, 60_000][seed % 3] } });
		const random = rng(seed);
		let user = 1;
		let version = 1;
		let online = true;
		const open: { path: string; user: number; answer: ReturnType<typeof deferred<any>> }[] = [];
		const log: string[] = [];
		const get = (path: string) => {
			const answer = deferred<any>();
			open.push({ path, user, answer });
			log.push(`GET ${path} u${user}`);
			return answer.promise;
		};
		const answer = async (i: number, ok: boolean) => {
			const [call] = open.splice(i, 1);
			if (!call) return;
			const p = Number(call.path.split('=')[1]);
			if (ok) {
				log.push(`ok ${call.path} u${call.user} v${version}`);
				call.answer.resolve({ items: [`u${call.user} p${p} v${version}`], hasMore: p < 4 });
			} else {
				log.push(`fail ${call.path}`);
				call.answer.reject(new Error('down'));
			}
			await flush();
		};
		/** Users whose data may no longer show: every one before the current. */
		render(Provide, { client, view: AppPager, viewProps: { get } });
		await flush();
		const check = (where: string) => {
			const page = Number(screen.getByTestId('page').textContent!.split(' ')[1]);
			const flags = screen.getByTestId('flags').textContent!;
			const shown = screen.queryAllByRole('listitem').map((li) => li.textContent!);
			for (const item of shown) {
				const [u, p] = item.split(' ');
				expect(u, `${where}: ${item} after logout to u${user}`).toBe(`u${user}`);
				if (flags.includes('placeholder=false')) expect(p, `${where}: ${item} on page ${page}`).toBe(`p${page}`);
			}
		};
		await randomSession(client, log, async () => {
			for (let step = 0; step < 30; step++) {
				const r = random();
				if (r < 0.2) {
					const name = random() < 0.6 ? 'Next' : 'Previous';
					const button = screen.getByRole('button', { name });
					if (!(button as HTMLButtonElement).disabled) {
						log.push(`click ${name}`);
						await fireEvent.click(button);
						await flush();
					}
				} else if (r < 0.6 && open.length > 0) {
					await answer(Math.floor(random() * open.length), random() < 0.8);
				} else if (r < 0.68) {
					version++;
					log.push(`save -> v${version}`);
					void client.invalidateWhere(['todos']);
					await flush();
				} else if (r < 0.73) {
					user++;
					log.push(`logout -> u${user}`);
					client.clear();
					await flush();
				} else if (r < 0.78) {
					online = !online;
					log.push(online ? 'online' : 'offline');
					goOnline(online);
					await flush();
				} else if (r < 0.86) {
					log.push('focus');
					window.dispatchEvent(new Event('focus'));
					await flush();
				} else if (r < 0.9) {
					log.push('remove current');
					const page = Number(screen.getByTestId('page').textContent!.split(' ')[1]);
					client.remove(['todos', { page }]);
					await flush();
				} else {
					const ms = Math.floor(random() * 3000);
					log.push(`time ${ms}`);
					await flush(ms);
				}
				check(`step ${step}`);
			}
			if (!online) {
				goOnline(true);
				await flush();
			}
			for (let n = 0; n < 60 && open.length > 0; n++) {
				await answer(Math.floor(random() * open.length), true);
				check(`drain ${n}`);
			}
			await flush(10);
			check('end');
			const flags = screen.getByTestId('flags').textContent!;
			if (open.length === 0) expect(flags, 'stuck').toContain('fetchStatus=idle');
		});
	});
}
