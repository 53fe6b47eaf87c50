/** Test helper: which promise rejections Node reports as unhandled while some code runs. */

/**
 * Runs `run`, waits until Node has had its chance to report unhandled
 * rejections (it does so after the microtasks of a turn), and returns the
 * reasons it reported.
 */
export async function unhandledRejectionsDuring(run: () => unknown): Promise<unknown[]> {
	const reasons: unknown[] = [];
	const listener = (reason: unknown) => void reasons.push(reason);
	process.on('unhandledRejection', listener);
	try {
		await run();
		// Two macrotask turns: one for the rejection to settle, one for Node's report.
		await new Promise((resolve) => setTimeout(resolve, 0));
		await new Promise((resolve) => setTimeout(resolve, 0));
	} finally {
		process.off('unhandledRejection', listener);
	}
	return reasons;
}
