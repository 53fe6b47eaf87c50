// Prints the Markdown tables of the README's performance section:
//   node scripts/perf-tables.js            benchmark table from bench/results.json + size table (runs scripts/size.js)
//   node scripts/perf-tables.js --no-size  benchmark table only
// The prose around them (what was missed and why) is written by hand in
// the README's performance section.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = JSON.parse(readFileSync(path.join(root, 'bench/results.json'), 'utf8'));

function format(value, unit) {
	if (value == null) return '–';
	switch (unit) {
		case 'ops/s':
			return value >= 1e6 ? `${(value / 1e6).toFixed(2)} M ops/s` : `${(value / 1e3).toFixed(0)} k ops/s`;
		case 'ms':
			return value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;
		case 'ns/read':
			return value >= 1000 ? `${(value / 1000).toFixed(2)} µs` : `${value.toFixed(0)} ns`;
		case 'bytes':
			return value >= 1e6 ? `${(value / 1e6).toFixed(2)} MB` : `${(value / 1e3).toFixed(0)} kB`;
		case 'B/entry':
			return `${value.toFixed(0)} B`;
		default:
			return `${value} ${unit}`;
	}
}

const m = results.machine;
const date = results.date.slice(0, 10);
console.log(
	`Measured ${date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.platform}, Node ${m.node}; ` +
		`Qora ${m.qora.version} (${m.qora.commit}${m.qora.uncommittedSrcChanges ? ' + uncommitted changes' : ''}) vs ` +
		`${m.tanstack.package} ${m.tanstack.version}; load average ${m.loadAverageAtStart.join(' / ')} at start. ` +
		'Medians of 4–16 measured rounds per workload (heap: mean), after warm-up rounds, from two fresh processes per library ' +
		'run alternately (`npm run bench`).\n'
);
console.log('| Workload | Qora | TanStack | Qora/TanStack | Better | Qora advantage | Target | Met |');
console.log('|---|---:|---:|---:|:---:|---:|---:|:---:|');
for (const r of results.rows) {
	const ratio = r.ratio == null ? '–' : r.ratio.toFixed(3);
	const adv = r.advantage == null ? '–' : `${r.advantage.toFixed(2)}×`;
	const target = r.target == null ? '–' : `≥ ${r.target}×`;
	const met = r.met == null ? '' : r.met ? '✅' : '❌';
	console.log(
		`| ${r.label.replace(/\|/g, '\\|')} | ${format(r.qora, r.unit)} | ${format(r.tanstack, r.unit)} | ${ratio} | ${r.better === 'higher' ? 'higher' : 'lower'} | ${adv} | ${target} | ${met} |`
	);
}

if (!process.argv.includes('--no-size')) {
	let size;
	try {
		size = JSON.parse(execFileSync(process.execPath, [path.join(root, 'scripts/size.js'), '--json'], { encoding: 'utf8' }));
	} catch (error) {
		// Over the limit exits 1 but still prints the figures.
		size = JSON.parse(error.stdout);
	}
	console.log(`\nBundle sizes (\`npm run size\`, from ${size.source === 'dist' ? 'dist/' : 'src/lib'}; esbuild, minified, gzip level 9; svelte and Kit external; 1 kB = 1000 B):\n`);
	console.log('| Entry | min | min+gzip | Issue 4 target | Target met | Enforced limit |');
	console.log('|---|---:|---:|---:|:---:|---:|');
	for (const r of size.rows) {
		if (r.skipped || r.error) {
			console.log(`| ${r.name} | – | – | – | ${r.skipped ? 'skipped' : 'failed'} | – |`);
			continue;
		}
		const kB = (n) => `${(n / 1000).toFixed(2)} kB`;
		const met = r.target == null ? (r.reference ? 'reference' : '') : r.targetMet ? '✅' : `❌ (+${((r.gzip - r.target) / 1000).toFixed(2)} kB)`;
		console.log(`| \`${r.name}\` | ${kB(r.min)} | ${kB(r.gzip)} | ${r.target == null ? '–' : kB(r.target)} | ${met} | ${r.limit == null ? '–' : kB(r.limit)} |`);
	}
}
