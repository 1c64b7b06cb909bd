import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { startLoopbackWorkspace } from '../../demo/loopback-workspace';
import { errnoInWords, UsageError } from '../../errors';

export interface ServeResult {
  host: string;
  port: number;
  profileFile: string;
  dir: string;
  stoppedBy: 'signal' | 'timeout';
}

export default class DemoServe extends FtpsctlCommand<ServeResult> {
  static override summary =
    'Start the embedded loopback FTPS server by hand, with a ready profile, to try ftpsctl session commands.';
  static override description =
    'Creates a test PKI, a served folder and a session profile (demo-loopback.json) in --dir (default: a temporary folder, removed at the end), starts the embedded FTPS server on 127.0.0.1 and waits until Ctrl-C, SIGTERM or --for seconds. With --json, one line {"ready": true, "host", "port", "profileFile", "dir", "caFile"} is printed as soon as the server listens, and the result when it stops. The server is for trying ftpsctl, not for serving files: it listens on loopback only, and its CA is a throwaway.';
  static override examples = [
    '<%= config.bin %> demo serve --dir ./loopback',
    '<%= config.bin %> session ls ./loopback/demo-loopback.json',
  ];
  static override flags = {
    dir: Flags.string({
      description: 'folder for the PKI, the served files and the profile (created; must be empty); kept afterwards',
    }),
    port: Flags.integer({ description: 'control port on 127.0.0.1 (default: a free port)', min: 1, max: 65535 }),
    for: Flags.integer({ description: 'stop by itself after this many seconds', min: 1 }),
  };

  async run(): Promise<ServeResult> {
    const { flags } = await this.parse(DemoServe);
    const dir = flags.dir ? path.resolve(flags.dir) : await mkdtemp(path.join(tmpdir(), 'ftpsctl-loopback-'));
    if (flags.dir) await requireEmptyFolder(dir);
    let workspace;
    try {
      workspace = await startLoopbackWorkspace(dir, flags.port ? { port: flags.port } : {});
    } catch (error) {
      // Nothing is left behind: the temp folder holds a private key and the password.
      if (!flags.dir) await rm(dir, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES')
        throw new UsageError(
          `--port ${flags.port}: ${code === 'EADDRINUSE' ? 'the port is in use' : 'not allowed to listen there'} on 127.0.0.1; pick another port, or leave --port out to get a free one`,
          { cause: error },
        );
      throw error;
    }
    const { server, profileFile } = workspace;
    if (this.jsonEnabled()) {
      // A long-running command: scripts need the port and profile now, not when it stops. One line
      // here; the usual --json result (the same fields and stoppedBy) follows when it stops.
      process.stdout.write(
        `${JSON.stringify({ ready: true, host: '127.0.0.1', port: server.port, profileFile, dir, caFile: path.join(dir, 'pki', 'ca-cert.pem') })}\n`,
      );
    } else {
      const relative = path.relative(process.cwd(), profileFile);
      const shown = relative && !relative.startsWith('..') ? relative : profileFile;
      this.log(
        `Embedded FTPS server on 127.0.0.1:${server.port} (explicit FTPS, AUTH TLS; test CA ${path.join(dir, 'pki', 'ca-cert.pem')})`,
      );
      this.log(`Served folder: ${workspace.serverRoot}`);
      this.log(`Profile: ${profileFile}`);
      this.log(
        `\nTry, in another terminal:\n  ${this.config.bin} session check ${shown}\n  ${this.config.bin} session put ${shown} README.md\n  ${this.config.bin} session ls ${shown}\n`,
      );
      this.log(flags.for ? `Stops by itself in ${flags.for} s, or on Ctrl-C.` : 'Stop it with Ctrl-C.');
    }
    const stoppedBy = await waitForStop(flags.for);
    await server.stop();
    if (!flags.dir) await rm(dir, { recursive: true, force: true });
    return { host: '127.0.0.1', port: server.port, profileFile, dir, stoppedBy };
  }
}

async function requireEmptyFolder(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UsageError(`--dir ${dir} cannot be used: ${errnoInWords(error)}`, {
      cause: error,
    });
  }
  if (entries.length > 0)
    throw new UsageError(
      `--dir ${dir} is not empty; name a new or empty folder (demo serve writes a PKI and a profile there)`,
      { code: 'FTPSCTL_ERR_FILE_EXISTS' },
    );
}

/** Every signal that ends the server ends it cleanly: the temp folder with its key and password is removed. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function waitForStop(seconds: number | undefined): Promise<'signal' | 'timeout'> {
  return new Promise((resolve) => {
    const finish = (by: 'signal' | 'timeout'): void => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      if (timer) clearTimeout(timer);
      resolve(by);
    };
    const onSignal = (): void => finish('signal');
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    const timer = seconds ? setTimeout(() => finish('timeout'), seconds * 1000) : undefined;
  });
}
