/** `ftpsctl demo serve --json`: scripts get the port and profile as soon as the server listens. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binary, runCli } from '../helpers/run-cli';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-demo-serve-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo serve --json', () => {
  it('prints one ready line while serving, the session commands work with it, then the result when it stops', async () => {
    const served = path.join(dir, 'served');
    const child = spawn(process.execPath, [binary, 'demo', 'serve', '--json', '--dir', served, '--for', '30'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        const look = (): void => {
          const end = stdout.indexOf('\n');
          if (end >= 0) resolve(stdout.slice(0, end));
        };
        child.stdout.on('data', look);
        child.on('exit', (code) =>
          reject(new Error(`demo serve exited with ${code} before the ready line: ${stdout}`)),
        );
      });
      const ready = JSON.parse(firstLine) as { ready: boolean; port: number; profileFile: string; caFile: string };
      expect(ready).toMatchObject({ ready: true, host: '127.0.0.1', dir: served });
      expect(ready.port).toBeGreaterThan(0);
      expect(existsSync(ready.profileFile) && existsSync(ready.caFile)).toBe(true);
      const check = await runCli(['session', 'check', ready.profileFile, '--json']);
      expect(check.code).toBe(0);
      expect(JSON.parse(check.stdout)).toMatchObject({ server: { port: ready.port } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const result = JSON.parse(stdout.slice(stdout.indexOf('\n') + 1)) as Record<string, unknown>;
    expect(result).toMatchObject({ stoppedBy: 'signal', dir: served });
  });
});
