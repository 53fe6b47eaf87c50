// Runs one workload on one library in this (fresh) process and reports to run.js.
//   node --expose-gc bench/worker.js <workload> <library> <variant> <warmup> <rounds> [quick]
import { loadAdapter } from './adapters.js';
import { keepAppStateAlive, workloads } from './workloads.js';

const [workload, library, variant, warmup, rounds, quick] = process.argv.slice(2);

function report(message) {
	if (!process.send) {
		console.log(JSON.stringify(message, null, 2));
		return Promise.resolve();
	}
	return new Promise((resolve) => process.send(message, () => resolve()));
}

try {
	const run = workloads[workload];
	if (!run) throw new Error(`unknown workload "${workload}"`);
	const lib = await loadAdapter(library);
	keepAppStateAlive(lib);
	const started = performance.now();
	const metrics = await run(lib, {
		variant,
		warmup: Number(warmup),
		rounds: Number(rounds),
		quick: quick === 'quick'
	});
	await report({ ok: true, metrics, seconds: (performance.now() - started) / 1000 });
} catch (error) {
	await report({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
	process.exitCode = 1;
}
// TanStack leaves gc timers behind; nothing here needs to outlive the report.
process.exit();
