/**
 * Fixed (found by review; the text tells the bug as it was): a poll skipped in the background sets `missedPoll`, and only a focus in the
 * foreground clears it. A poll that does run afterwards (a watcher with refetchIntervalInBackground
 * joined, or the focus source was detached) leaves it set, so the next focus fetches again "to make
 * up" for a poll that already ran: an extra request, even with refetchOnFocus: false and data a
 * moment old. Code: the poll task in QoraClient#startWatching (src/lib/core/client.ts) fetches
 * without clearing `missedPoll`; #refetchStaleWatched then trusts it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QoraClient } from '../../src/lib/index.js';
import { advance, counter, flush, manualVisibility, record, useFakeTime } from './helpers.js';

beforeEach(useFakeTime);
afterEach(() => vi.useRealTimers());

describe('a poll skipped in the background, then a poll that ran', () => {
	it('a background poller joining: the focus after its poll makes up for nothing', async () => {
		const focus = manualVisibility();
		const client = new QoraClient({ focus, defaultOptions: { refetchOnFocus: false } });
		const fetcher = counter();
		const page = record(client.watchQuery({ key: ['feed'], fetcher, options: { refetchInterval: 5000 } }));
		await flush();
		focus.hide();
		await advance(5000); // skipped
		expect(fetcher).toHaveBeenCalledTimes(1);
		// A widget that polls in the background joins (fresh by its staleTime: no fetch on join).
		const widget = record(
			client.watchQuery({ key: ['feed'], fetcher, options: { staleTime: Infinity, refetchInterval: 5000, refetchIntervalInBackground: true } })
		);
		await advance(5000); // polls, in the background
		expect(fetcher).toHaveBeenCalledTimes(2);
		widget.stop();
		focus.show(); // the data is a moment old, and a poll ran since the skipped one
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		page.stop();
		client.dispose();
	});

	it('the focus source detached while hidden: polls run again, and a later focus makes up for nothing', async () => {
		const focus = manualVisibility();
		const client = new QoraClient({ defaultOptions: { refetchOnFocus: false } });
		const detach = client.mount({ focus });
		const fetcher = counter();
		const page = record(client.watchQuery({ key: ['feed'], fetcher, options: { refetchInterval: 5000 } }));
		await flush();
		focus.hide();
		await advance(5000); // skipped
		detach();
		await advance(5000); // polls
		expect(fetcher).toHaveBeenCalledTimes(2);
		client.mount({ focus });
		focus.show();
		await flush();
		expect(fetcher).toHaveBeenCalledTimes(2);
		page.stop();
		client.dispose();
	});
});
