// `npm run bench`: Qora against @tanstack/query-core, side by side, in one run.
//
// 1. bundles both libraries with esbuild into bench/.tmp/ (same settings for both);
// 2. runs every workload (bench/workloads.js) for every library in fresh child
//    processes (`node --expose-gc bench/worker.js …`), one process at a time so they
//    never compete for the CPU, the libraries alternating (see `plan`);
// 3. prints a table of medians with the ratio Qora/TanStack per row, and writes
//    bench/results.json (machine, versions, every sample).
//
// Options: --quick (fewer rounds), --only=setget,heap (workloads), --browser (also run
// TanStack in client mode, as in a browser; informational), --profile (write V8 CPU
// profiles of every worker to bench/.tmp/profiles/), --no-write (leave results.json
// alone; partial and quick runs never write it).
// Environment: QORA_BENCH_QORA_BUNDLE=<file.js> benchmarks another build of Qora (an
// experiment on a scratch copy of the core); QORA_BENCH_CLOCK=cpu times with process
// CPU time instead of wall time (steadier on a busy machine; not for published figures).
import { fork, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundles, outDir } from './build.js';
import { best, mean, median } from './workloads.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const quick = flag('quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const withBrowser = flag('browser');
const profile = flag('profile');
const write = !flag('no-write') && !only && !quick;

/**
 * Rounds per workload: `rounds` measured rounds in all, split over `repeats` fresh
 * processes per library, run alternately (Qora, TanStack, TanStack, Qora, …) so a
 * burst of load from elsewhere lands on both sides; each process first runs `warmup`
 * rounds that are thrown away. --quick: one process per library, half the rounds.
 */
const plan = {
	setget: { warmup: 2, rounds: 8, repeats: 2 }, // rounds of one process spread by up to a third here: eight samples, not four
	hotkey: { warmup: 2, rounds: 4, repeats: 2 }, // a warm-up round here is 200k reads
	fetchdedupe: { warmup: 3, rounds: 16, repeats: 2 },
	invalidate: { warmup: 3, rounds: 12, repeats: 2 },
	subscribers: { warmup: 6, rounds: 16, repeats: 2 }, // the JIT settles after about 6 rounds here
	ssr: { warmup: 2, rounds: 12, repeats: 2 },
	heap: { warmup: 1, rounds: 4, repeats: 2 }
};

// better: which direction of the metric is good. target: the advantage Qora must have
// (TanStack/Qora for lower-is-better rows, Qora/TanStack for higher-is-better ones).
const rows = [
	...['plain', 'defaults'].flatMap((variant) => {
		const note = variant === 'defaults' ? ', client defaultOptions set' : '';
		return [
			{ workload: 'setget', variant, metric: 'set', label: `1. setQueryData, 100k new keys${note}`, better: 'higher', target: 3 },
			{ workload: 'setget', variant, metric: 'overwrite', label: `1. setQueryData, overwrite 100k${note}`, better: 'higher', target: 3 },
			{ workload: 'setget', variant, metric: 'get', label: `1. getQueryData, 100k fresh equal keys${note}`, better: 'higher', target: 3 }
		];
	}),
	{ workload: 'hotkey', variant: 'plain', metric: 'read', label: '2. hot key read (1M reads, reordered key)', better: 'lower', target: 5 },
	{ workload: 'hotkey', variant: 'defaults', metric: 'read', label: '2. hot key read, client defaultOptions set', better: 'lower', target: 5 },
	{ workload: 'fetchdedupe', variant: 'plain', metric: 'total', label: '3. 10k concurrent fetchQuery, 100 keys', better: 'lower', target: null },
	{ workload: 'invalidate', variant: 'plain', metric: 'total', label: '4. invalidateWhere 10% of 100k', better: 'lower', target: 3 },
	{ workload: 'subscribers', variant: 'watch', metric: 'subscribe', label: '5. subscribe 10k (watchQuery)', better: 'lower', target: 20 },
	{ workload: 'subscribers', variant: 'watch', metric: 'notify', label: '5. deliver 1 write to 10k (watchQuery)', better: 'lower', target: 5 },
	{ workload: 'subscribers', variant: 'watch', metric: 'unsubscribe', label: '5. unsubscribe 10k (watchQuery)', better: 'lower', target: 20 },
	{ workload: 'subscribers', variant: 'observe', metric: 'subscribe', label: '5. subscribe 10k (observeQuery)', better: 'lower', target: 20 },
	{ workload: 'subscribers', variant: 'observe', metric: 'notify', label: '5. deliver 1 write to 10k (observeQuery)', better: 'lower', target: 5 },
	{ workload: 'subscribers', variant: 'observe', metric: 'unsubscribe', label: '5. unsubscribe 10k (observeQuery)', better: 'lower', target: 20 },
	{ workload: 'ssr', variant: 'plain', metric: 'dehydrate', label: '6. dehydrate 10k entries', better: 'lower', target: null },
	{ workload: 'ssr', variant: 'plain', metric: 'payload', label: '6. dehydrated payload (JSON)', better: 'lower', target: 2 },
	{ workload: 'ssr', variant: 'plain', metric: 'hydrate', label: '6. hydrate 10k into a fresh client', better: 'lower', target: 5 },
	{ workload: 'heap', variant: 'plain', metric: 'perEntry', label: '7. heap per entry at 100k entries', better: 'lower', target: 2 }
].filter((row) => !only || only.includes(row.workload));

// TanStack has no observe-only store: its side of the observeQuery rows is the same QueryObserver run.
const tanstackVariant = (row) => (row.workload === 'subscribers' ? 'watch' : row.variant);

function jobsFor() {
	const jobs = new Map();
	const add = (workload, library, variant) => jobs.set(`${workload}/${library}/${variant}`, { workload, library, variant });
	const tanstacks = withBrowser ? ['tanstack', 'tanstack-browser'] : ['tanstack'];
	for (const row of rows) {
		add(row.workload, 'qora', row.variant);
		for (const t of tanstacks) add(row.workload, t, tanstackVariant(row));
	}
	return [...jobs.values()];
}

function runJob(job, repeat) {
	const { warmup, rounds, repeats } = plan[job.workload];
	const w = quick ? Math.max(1, warmup >> 1) : warmup;
	const r = quick ? Math.max(3, rounds >> 1) : Math.ceil(rounds / repeats);
	const execArgv = ['--expose-gc'];
	if (profile) {
		const dir = path.join(outDir, 'profiles');
		mkdirSync(dir, { recursive: true });
		execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${job.workload}-${job.library}-${job.variant}-${repeat}.cpuprofile`);
	}
	return new Promise((resolve) => {
		let message = null;
		const child = fork(
			path.join(here, 'worker.js'),
			[job.workload, job.library, job.variant, String(w), String(r), quick ? 'quick' : 'full'],
			{ execArgv, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }
		);
		child.on('message', (m) => (message = m));
		child.on('exit', (code, signal) => {
			if (message) resolve(message);
			else resolve({ ok: false, error: `worker exited with ${signal ?? code} before reporting` });
		});
	});
}

function machine() {
	const cpus = os.cpus();
	let commit = null;
	let dirty = null;
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
		dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim() !== '';
	} catch {}
	const tanstack = JSON.parse(readFileSync(path.join(root, 'node_modules/@tanstack/query-core/package.json'), 'utf8'));
	const qora = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
	return {
		cpu: cpus[0]?.model ?? 'unknown',
		cores: cpus.length,
		memoryGB: Math.round(os.totalmem() / 2 ** 30),
		platform: `${os.type()} ${os.release()} ${os.arch()}`,
		node: process.version,
		v8: process.versions.v8,
		loadAverageAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
		qora: { version: qora.version, commit, uncommittedSrcChanges: dirty },
		tanstack: { package: '@tanstack/query-core', version: tanstack.version }
	};
}

function format(value, unit) {
	if (value == null || Number.isNaN(value)) return '–';
	switch (unit) {
		case 'ops/s':
			return value >= 1e6 ? `${(value / 1e6).toFixed(2)}M/s` : `${(value / 1e3).toFixed(1)}k/s`;
		case 'ms':
			return value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
		case 'ns/read':
			return value >= 1000 ? `${(value / 1000).toFixed(2)} µs` : `${value.toFixed(0)} ns`;
		case 'bytes':
			return value >= 1e6 ? `${(value / 1e6).toFixed(2)} MB` : `${(value / 1e3).toFixed(1)} kB`;
		case 'B/entry':
			return `${value.toFixed(0)} B`;
		default:
			return `${value} ${unit}`;
	}
}

function table(header, body) {
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
	const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Pools the samples of another process of the same job, and recomputes each figure. */
function merge(previous, next) {
	if (!previous) return next;
	const metrics = {};
	for (const [name, m] of Object.entries(next.metrics)) {
		const samples = [...previous.metrics[name].samples, ...m.samples];
		const value = m.aggregate === 'mean' ? mean(samples) : median(samples);
		const extra = m.mitataP50ns != null ? { mitataP50ns: median([previous.metrics[name].mitataP50ns, m.mitataP50ns]) } : {};
		metrics[name] = { ...m, ...extra, samples, value };
	}
	return { ok: true, metrics, seconds: previous.seconds + next.seconds };
}

async function main() {
	const started = Date.now();
	const info = machine();
	console.log(`Qora bench on ${info.cpu} (${info.cores} cores), Node ${info.node}${quick ? ' [quick]' : ''}`);
	if (info.loadAverageAtStart[0] > info.cores * 0.5) {
		console.log(`warning: load average ${info.loadAverageAtStart.join(' ')}: other processes are running, figures will be noisy`);
	}
	process.stdout.write('building bundles… ');
	await buildBundles();
	console.log('done');

	const results = {};
	let failed = 0;
	const jobs = jobsFor();
	const workloadsInOrder = [...new Set(jobs.map((j) => j.workload))];
	for (const workload of workloadsInOrder) {
		const group = jobs.filter((j) => j.workload === workload);
		const repeats = quick ? 1 : plan[workload].repeats;
		for (let repeat = 0; repeat < repeats; repeat++) {
			// Alternate the order, so neither library always runs first.
			for (const job of repeat % 2 === 0 ? group : [...group].reverse()) {
				const id = `${job.workload}/${job.library}/${job.variant}`;
				if (results[id] && !results[id].ok) continue;
				process.stdout.write(`  ${`${id} (${repeat + 1}/${repeats})`.padEnd(46)}`);
				const result = await runJob(job, repeat);
				if (!result.ok) {
					failed++;
					results[id] = result;
					console.log('FAILED');
					console.error(result.error);
					continue;
				}
				console.log(`${result.seconds.toFixed(1)} s`);
				results[id] = merge(results[id], result);
			}
		}
	}

	const metric = (workload, library, variant, name) => {
		const r = results[`${workload}/${library}/${variant}`];
		return r?.ok ? r.metrics[name] : undefined;
	};
	const out = rows.map((row) => {
		const q = metric(row.workload, 'qora', row.variant, row.metric);
		const t = metric(row.workload, 'tanstack', tanstackVariant(row), row.metric);
		const tb = withBrowser ? metric(row.workload, 'tanstack-browser', tanstackVariant(row), row.metric) : undefined;
		const ratio = q && t ? q.value / t.value : null;
		const advantage = ratio == null ? null : row.better === 'higher' ? ratio : 1 / ratio;
		return {
			label: row.label,
			workload: row.workload,
			variant: row.variant,
			metric: row.metric,
			unit: q?.unit ?? t?.unit,
			better: row.better,
			qora: q?.value ?? null,
			tanstack: t?.value ?? null,
			...(withBrowser ? { tanstackBrowserMode: tb?.value ?? null } : {}),
			ratio,
			advantage,
			target: row.target,
			met: row.target == null || advantage == null ? null : advantage >= row.target,
			// The best round of each side, for reference: less sensitive to other load on the machine than the median.
			best: q && t ? { qora: best(q.unit, q.samples), tanstack: best(t.unit, t.samples) } : null,
			samples: { qora: q?.samples ?? [], tanstack: t?.samples ?? [] },
			...(q?.mitataP50ns != null ? { mitataP50ns: { qora: q.mitataP50ns, tanstack: t?.mitataP50ns ?? null } } : {})
		};
	});

	const header = ['workload', 'Qora', 'TanStack', ...(withBrowser ? ['TanStack (browser mode)'] : []), 'Qora/TanStack', 'better', 'Qora advantage', 'target', 'met'];
	const body = out.map((r) => [
		r.label,
		format(r.qora, r.unit),
		format(r.tanstack, r.unit),
		...(withBrowser ? [format(r.tanstackBrowserMode, r.unit)] : []),
		r.ratio == null ? '–' : r.ratio.toFixed(3),
		r.better === 'higher' ? 'higher ↑' : 'lower ↓',
		r.advantage == null ? '–' : `${r.advantage.toFixed(2)}×`,
		r.target == null ? '–' : `≥ ${r.target}×`,
		r.met == null ? '' : r.met ? 'yes' : 'NO'
	]);
	console.log('\nMedians (heap: average of rounds). Qora/TanStack is the ratio of the figures; "better" says which');
	console.log('direction of that figure is good; "Qora advantage" is how many times better Qora is (< 1× = worse).\n');
	console.log(table(header, body));
	const missed = out.filter((r) => r.met === false);
	const seconds = Math.round((Date.now() - started) / 1000);
	console.log(`\n${out.filter((r) => r.met).length} targets met, ${missed.length} missed${failed ? `, ${failed} workloads FAILED` : ''}; ${seconds} s in all`);

	if (write && failed === 0) {
		const file = path.join(here, 'results.json');
		const json = {
			generatedBy: 'npm run bench (bench/run.js)',
			date: new Date().toISOString(),
			machine: { ...info, loadAverageAtEnd: os.loadavg().map((n) => Math.round(n * 100) / 100) },
			method:
				'Each workload x library in fresh `node --expose-gc` processes, one at a time, the libraries alternating; both ' +
				'bundled by esbuild (ESM, node20, NODE_ENV=production). Figures are medians of the measured rounds of all processes ' +
				'of a job, after warm-up rounds (heap: average). ' +
				'TanStack runs in its default Node configuration (server mode: no gc or staleness timers) with notifyManager ' +
				'flushing on a microtask; both choices favour it.',
			rounds: plan,
			seconds,
			rows: out
		};
		writeFileSync(file, JSON.stringify(json, null, '\t') + '\n');
		console.log(`wrote ${path.relative(root, file)}`);
	} else if (!write) {
		console.log('(bench/results.json not written: partial or quick run)');
	}
	if (failed) process.exitCode = 1;
}

await main();
