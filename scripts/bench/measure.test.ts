import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ServerCpuWatch } from './measure';

/** A shell (the "server") that runs one child using `ms` of CPU and waits for it (reaping it), then idles until killed. */
function serverWithShortSession(ms: number) {
  // CPU time, not wall time: under load a wall-clock loop gets less CPU than it lasts.
  const busy = `const t = process.cpuUsage(); for (;;) { const u = process.cpuUsage(t); if ((u.user + u.system) / 1000 >= ${ms}) break; }`;
  const shell = spawn('sh', ['-c', `"$0" -e "$1"; echo done; exec sleep 30`, process.execPath, busy], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const sessionDone = once(shell.stdout, 'data');
  return { pid: shell.pid!, sessionDone, stop: () => shell.kill('SIGKILL') };
}

describe('ServerCpuWatch', () => {
  it('counts a session process it never saw alive, from its parent reaping it (cutime/cstime)', async () => {
    const server = serverWithShortSession(400);
    try {
      // Polls far apart: only the first and the last look happen, as with a transfer shorter than the interval.
      const watch = new ServerCpuWatch(server.pid, 60_000);
      await server.sessionDone;
      const { total, busiest } = watch.stop();
      expect(total).toBeGreaterThanOrEqual(0.3);
      expect(busiest).toBeGreaterThanOrEqual(0.3);
      expect(busiest).toBeLessThanOrEqual(total);
    } finally {
      server.stop();
    }
  });

  it('counts a session it saw alive once, not twice', async () => {
    const server = serverWithShortSession(600);
    try {
      const watch = new ServerCpuWatch(server.pid, 50);
      await server.sessionDone;
      const { total, busiest } = watch.stop();
      expect(total).toBeGreaterThanOrEqual(0.5);
      // Node start-up and the shell add a little; twice the session would be >= 1.0.
      expect(total).toBeLessThan(0.95);
      expect(busiest).toBeGreaterThanOrEqual(0.5);
    } finally {
      server.stop();
    }
  });
});
