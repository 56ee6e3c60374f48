import { ChildProcess, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

/** Child processes of the benches: the API, workers and load generators each in their own process, as deployed. */

/** Node on a source file: compiled JavaScript under `npm run bench`, TypeScript through swc otherwise. */
export function startNode(path: string[], args: string[], env: Record<string, string>): ChildProcess {
  const compiled = __filename.endsWith('.js');
  const root = join(__dirname, '..');
  const file = join(root, ...path.slice(0, -1), `${path.at(-1)}.${compiled ? 'js' : 'ts'}`);
  const node = compiled ? [file] : ['-r', join(root, 'test/support/swc-register.js'), file];
  return spawn(process.execPath, [...node, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Resolves with the first line of the child's output matching `pattern`; rejects if it exits first. */
export function lineFrom(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.at(-1)} exited (${code}): ${errors}`)));
  });
}

/** SIGTERM, and what the process printed after it; SIGKILL if it has not exited 20 s later. */
export async function stop(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) return '';
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
  return out;
}

/** A port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Calls `onLine` with each whole line the child prints. */
export function eachLine(child: ChildProcess, onLine: (line: string) => void): void {
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) onLine(line);
  });
}

/** A bench certificate worker (bench/certificate-worker) and what it reported: PDFs rendered, jobs completed by name. */
export interface CertificateWorker {
  child: ChildProcess;
  rendered: number;
  completed: Map<string, number>;
}

/** Starts a certificate worker process and resolves once it is ready. */
export async function startCertificateWorker(env: Record<string, string> = {}): Promise<CertificateWorker> {
  const child = startNode(['bench', 'certificate-worker'], [], env);
  const worker: CertificateWorker = { child, rendered: 0, completed: new Map() };
  const ready = lineFrom(child, /^ready$/m);
  eachLine(child, (line) => {
    const rendered = /^rendered (\d+)$/.exec(line);
    if (rendered) worker.rendered += Number(rendered[1]);
    const completed = /^completed (\S+)$/.exec(line);
    if (completed) worker.completed.set(completed[1], (worker.completed.get(completed[1]) ?? 0) + 1);
  });
  await ready;
  return worker;
}
