import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The built command line, as users run it: the test run builds it first (see global-setup.ts). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type CliProcess = ChildProcess & { output: { stdout: string; stderr: string }; exited: Promise<number | null> };

/** Starts `node dist/cli.js …` as its own process, with its output collected; `input`, when given, is all its stdin holds. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT, input?: string): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  // A process that exits without reading its input closes the pipe under the write.
  child.stdin?.on('error', () => {});
  child.stdin?.end(input);
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (output.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return Object.assign(child, { output, exited });
}

/** Resolves once the process has written `text` to stderr. */
export function stderrReaches(child: CliProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!child.output.stderr.includes(text)) return;
      child.stderr!.off('data', check);
      child.off('close', gone);
      resolve();
    };
    const gone = () => reject(new Error(`exited before printing ${JSON.stringify(text)}; stderr:\n${child.output.stderr}`));
    child.stderr!.on('data', check);
    child.once('close', gone);
    check();
  });
}

/** A run's report (its stderr) without its times, to compare with another run's. */
export const reportWithoutTimes = (cli: CliProcess): string => cli.output.stderr.replace(/\d+\.\d\ds/g, 'T');
