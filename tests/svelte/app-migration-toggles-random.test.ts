// Random sessions of the optimistic done toggle (MigrateTodos: cancel, snapshot, write, guarded or
// plain rollback, invalidate) with answers in any order, refusals, focus, polling and connection
// flips: whenever nothing is out and the list shows as fresh and idle, it is the server's truth.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import MigrateTodos from './components/MigrateTodos.svelte';
import Provide from './components/Provide.svelte';
import { deferred, flush, goOnline, rng, randomSession } from './helpers.js';

type Todo = { id: number; title: string; done: boolean };

for (let seed = 1; seed <= Number(process.env["SEEDS"] ?? 30); seed++) {
	it(`seed ${seed}`, async () => {
		vi.useFakeTimers();
		const client = new QoraClient({ defaultOptions: { staleTime: seed % 2 ? 0 : 60_000 } });
		const random = rng(seed);
		const server: Todo[] = [1, 2, 3].map((id) => ({ id, title: `t${id}`, done: false }));
		const open: { path: string; body?: any; answer: ReturnType<typeof deferred<any>> }[] = [];
		const log: string[] = [];
		const api = {
			get: (path: string) => {
				const answer = deferred<any>();
				open.push({ path, answer });
				log.push(`GET ${path}`);
				return answer.promise;
			},
			put: (path: string, body: unknown) => {
				const answer = deferred<any>();
				open.push({ path: `PUT ${path}`, body, answer });
				log.push(`PUT ${path} ${JSON.stringify(body)}`);
				return answer.promise;
			}
		};
		const answer = async (i: number, ok: boolean) => {
			const [call] = open.splice(i, 1);
			if (!call) return;
			if (call.path.startsWith('PUT')) {
				const id = Number(call.path.split('/').at(-1));
				if (ok) {
					const todo = server.find((t) => t.id === id)!;
					todo.done = call.body.done;
					log.push(`ok ${call.path}`);
					call.answer.resolve({ ...todo });
				} else {
					log.push(`fail ${call.path}`);
					call.answer.reject(new Error('refused'));
				}
			} else if (ok) {
				log.push(`ok GET -> ${JSON.stringify(server.map((t) => t.done))}`);
				call.answer.resolve(server.map((t) => ({ ...t })));
			} else {
				log.push('fail GET');
				call.answer.reject(new Error('down'));
			}
			await flush();
		};
		const guard = seed % 3 !== 0;
		let online = true;
		render(Provide, { client, view: MigrateTodos, viewProps: { api, guard, poll: seed % 4 === 1 ? 700 : undefined } });
		await flush();
		await randomSession(client, log, async () => {
			const check = (where: string) => {
				const meta = screen.getByTestId('todos-meta').textContent ?? '';
				if (open.length > 0 || client.isMutating() > 0 || !meta.includes('fetchStatus=idle') || !meta.includes('stale=false')) return;
				const shown = screen.queryAllByRole('listitem').map((li) => li.textContent);
				if (shown.length === 0) return;
				const truth = server.map((t) => `${t.title}${t.done ? ' ✓' : ''}`);
				expect(shown, where).toEqual(truth);
			};
			for (let step = 0; step < 25; step++) {
				check(`before step ${step}`);
				const r = random();
				const boxes = screen.queryAllByRole('checkbox');
				if (r < 0.35 && boxes.length > 0) {
					const i = Math.floor(random() * boxes.length);
					log.push(`click ${i + 1}`);
					await fireEvent.click(boxes[i]!);
					await flush();
				} else if (r < 0.8 && open.length > 0) {
					await answer(Math.floor(random() * open.length), random() < 0.75);
				} else if (r < 0.85) {
					online = !online;
					log.push(online ? 'online' : 'offline');
					goOnline(online);
					await flush();
				} else if (r < 0.9) {
					log.push('focus');
					window.dispatchEvent(new Event('focus'));
					await flush();
				} else {
					const ms = Math.floor(random() * 2000);
					log.push(`time ${ms}`);
					await flush(ms);
				}
			}
			if (!online) { online = true; log.push('online'); goOnline(true); await flush(); }
			// Drain: everything answers, GETs succeed.
			for (let n = 0; n < 100 && open.length > 0; n++) {
				const i = Math.floor(random() * open.length);
				await answer(i, open[i]!.path.startsWith('PUT') ? random() < 0.75 : true);
				if (open.length === 0) await flush(10);
			}
			await flush(10);
			expect(open).toHaveLength(0);
			const shown = screen.queryAllByRole('listitem').map((li) => li.textContent);
			const truth = server.map((t) => `${t.title}${t.done ? ' ✓' : ''}`);
			const meta = screen.getByTestId('todos-meta').textContent;
			// Shown fresh and idle: it must be the server's truth.
			if (meta?.includes('stale=false')) expect(shown).toEqual(truth);
			expect(meta).toContain('fetchStatus=idle');
			// A refetch brings the truth.
			void client.invalidate(['todos']);
			await flush();
			for (let n = 0; n < 5 && open.length > 0; n++) await answer(0, true);
			expect(screen.queryAllByRole('listitem').map((li) => li.textContent)).toEqual(truth);
		});
	});
}
