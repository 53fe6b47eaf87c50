/** Building the demo once and serving it with adapter-node for the e2e run. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

const root = new URL('../../../', import.meta.url).pathname;

/** `vite build` of the demo (adapter-node writes build/). */
export function buildDemo(): void {
	const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
		cwd: root,
		// Vitest sets NODE_ENV=test, which would build Svelte's and SvelteKit's development code:
		// the suite tests what a user deploys.
		env: { ...process.env, NODE_ENV: 'production' },
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe']
	});
	if (result.status !== 0) {
		throw new Error(`Building the demo failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
	}
}

async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const address = server.address();
	server.close();
	if (address === null || typeof address === 'string') throw new Error('could not find a free port');
	return address.port;
}

export interface RunningDemo {
	baseURL: string;
	process: ChildProcess;
	/** The server's output so far, for failure messages. */
	log(): string;
}

/** Starts `node build/index.js` on 127.0.0.1 and resolves once it answers. */
export async function startDemo(timeoutMs = 30_000): Promise<RunningDemo> {
	const port = await freePort();
	const child = spawn(process.execPath, ['build/index.js'], {
		cwd: root,
		env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ORIGIN: `http://127.0.0.1:${port}` },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const collect = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-20_000);
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const baseURL = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`The demo server exited with ${child.exitCode}:\n${output}`);
		try {
			const response = await fetch(`${baseURL}/api/settings`);
			if (response.ok) return { baseURL, process: child, log: () => output };
		} catch {
			// Not listening yet.
		}
		// Polling a condition (the server answering), not waiting a fixed time.
		await delay(100);
	}
	child.kill();
	throw new Error(`The demo server did not answer within ${timeoutMs} ms:\n${output}`);
}

/** Stops the server by its PID and waits for it to exit. */
export async function stopDemo(demo: RunningDemo): Promise<void> {
	if (demo.process.exitCode !== null) return;
	const exited = once(demo.process, 'exit');
	demo.process.kill('SIGTERM');
	await exited;
}
