import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  port: number;
}

/**
 * Starts the real API in a separate Node process (test/support/api-process.ts) on the test database and
 * Redis (with `env` on top of the tests' environment), and resolves with its port once it listens. The caller
 * kills it (SIGKILL to test crashes).
 */
export function startApiProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  return startListening(['-r', join(ROOT, 'test/support/swc-register.js'), join(ROOT, 'test/support/api-process.ts')], { LOG_LEVEL: 'silent', ...env });
}

/** Starts an S3-compatible server (test/support/s3-server.js) over `directory`, with `bucket` made. */
export function startS3Server(directory: string, bucket: string): Promise<ServerProcess> {
  return startListening([join(ROOT, 'test/support/s3-server.js'), directory, bucket]);
}

/** Runs node with `args` and resolves once the process prints `listening <port>`. */
function startListening(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.once('exit', (code) => reject(new Error(`${args.at(-1)} exited (${code}) before it listened: ${errors}`)));
  });
}
