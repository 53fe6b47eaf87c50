// Watchers with enabled: false never fetch, whatever else happens (focus, reconnect, invalidation,
// invalidated payloads, writes, removal, time, options updated while staying disabled).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient, dehydrate, hydrate, type QueryConfig } from '../../src/lib/index.js';
import { advance, flush, manualFocus, manualOnline, useFakeTime, seededRandom } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('disabled watchers in random sessions', () => {
	it('never call the fetcher', async () => {
		for (let seed = 1; seed <= 150; seed++) {
			const r = seededRandom(seed);
			const pick = <T,>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
			const online = manualOnline(true);
			const focus = manualFocus();
			const client = new QoraClient({ online, focus });
			const fetcher = vi.fn(async () => 'x');
			const key = ['d'];
			const handles: { stop: () => void; update: (config: QueryConfig<string>) => void }[] = [];
			const opts = () => ({ enabled: false, staleTime: pick([0, 1000]), refetchInterval: pick([0, 200]), refetchOnFocus: true, refetchOnReconnect: true, initialData: pick([undefined, 'seed']) });
			for (let step = 0; step < 60; step++) {
				switch (Math.floor(r() * 10)) {
					case 0:
						handles.push(client._watch({ key, fetcher, options: opts() }, () => {}));
						break;
					case 1:
						if (handles.length) handles.splice(Math.floor(r() * handles.length), 1)[0]!.stop();
						break;
					case 2:
						if (handles.length) pick(handles).update({ key, fetcher, options: opts() });
						break;
					case 3:
						void client.invalidate(key);
						break;
					case 4:
						online.set(!online.isOnline());
						break;
					case 5:
						focus.focus();
						break;
					case 6: {
						const other = new QoraClient();
						other.setQueryData(key, 's' + step);
						void other.invalidate(key);
						hydrate(client, dehydrate(other));
						other.dispose();
						break;
					}
					case 7:
						if (r() < 0.5) client.remove(key);
						else client.setQueryData(key, 'w' + step);
						break;
					default:
						await advance(pick([50, 300, 2000]));
				}
				await flush();
				expect(fetcher, `seed ${seed} step ${step}`).not.toHaveBeenCalled();
			}
			client.dispose();
		}
	});
});
