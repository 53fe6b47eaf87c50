// Random sessions of dependent queries (AppDependent: the projects' key needs the user's org) with
// user switches, answers in any order, failures, users moving org (invalidation), clear, focus and
// time: the projects on screen are always those of the org the user on screen belongs to.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import AppDependentHost from './components/AppDependentHost.svelte';
import Provide from './components/Provide.svelte';
import { deferred, flush, rng, randomSession } from './helpers.js';

for (let seed = 1; seed <= Number(process.env['SEEDS'] ?? 30); seed++) {
	it(`seed ${seed}`, async () => {
		vi.useFakeTimers();
		const client = new QoraClient({ defaultOptions: { staleTime: [0, 500, 60_000][seed % 3] } });
		const random = rng(seed);
		const orgs: Record<number, number> = { 1: 10, 2: 20 };
		const open: { path: string; answer: ReturnType<typeof deferred<any>> }[] = [];
		const log: string[] = [];
		const get = (path: string) => {
			const answer = deferred<any>();
			open.push({ path, answer });
			log.push(`GET ${path}`);
			return answer.promise;
		};
		render(Provide, { client, view: AppDependentHost, viewProps: { get } });
		await flush();
		const check = (where: string) => {
			const heading = screen.getByRole('heading').textContent!;
			const shown = screen.queryAllByRole('listitem').map((li) => li.textContent!);
			if (shown.length === 0) return;
			const org = heading.split('@')[1];
			for (const item of shown) expect(item, `${where}: ${heading}`).toBe(`org${org}`);
		};
		await randomSession(client, log, async () => {
			for (let step = 0; step < 40; step++) {
				const r = random();
				if (r < 0.2) {
					log.push('switch');
					await fireEvent.click(screen.getByRole('button', { name: 'Switch user' }));
					await flush();
				} else if (r < 0.6 && open.length > 0) {
					const [call] = open.splice(Math.floor(random() * open.length), 1);
					const ok = random() < 0.85;
					if (!ok) {
						log.push(`fail ${call!.path}`);
						call!.answer.reject(new Error('down'));
					} else if (call!.path.startsWith('/users/')) {
						const id = Number(call!.path.split('/')[2]);
						log.push(`ok ${call!.path} org${orgs[id]}`);
						call!.answer.resolve({ id, name: `u${id}@${orgs[id]}`, orgId: orgs[id] });
					} else {
						const org = call!.path.split('/')[2];
						log.push(`ok ${call!.path}`);
						call!.answer.resolve([`org${org}`]);
					}
					await flush();
				} else if (r < 0.7) {
					const id = random() < 0.5 ? 1 : 2;
					orgs[id] = orgs[id]! + 1;
					log.push(`user ${id} moves to org${orgs[id]}`);
					void client.invalidateWhere(['user']);
					await flush();
				} else if (r < 0.75) {
					log.push('clear');
					client.clear();
					await flush();
				} else if (r < 0.85) {
					log.push('focus');
					window.dispatchEvent(new Event('focus'));
					await flush();
				} else {
					const ms = Math.floor(random() * 1500);
					log.push(`time ${ms}`);
					await flush(ms);
				}
				check(`step ${step}`);
			}
		});
	});
}
