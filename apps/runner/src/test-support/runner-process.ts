// Spawns worker-process.ts runners for crash tests and reads their stdout lines.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './redis';

const children: ChildProcess[] = [];

export interface RunnerProcess {
  readonly child: ChildProcess;
  lineMatching(pattern: RegExp, timeoutMs?: number): Promise<string>;
  lines(): readonly string[];
}

export function startRunnerProcess(options: object): RunnerProcess {
  const script = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  return {
    child,
    lines: () => lines,
    lineMatching: (pattern, timeoutMs = 20_000) =>
      waitFor(
        `runner ${child.pid} to print ${pattern}`,
        () => lines.find((l) => pattern.test(l)) ?? '',
        timeoutMs,
      ),
  };
}

/** SIGKILLs every runner this test file started. */
export function killRunnerProcesses(): void {
  for (const child of children.splice(0)) child.kill('SIGKILL');
}
