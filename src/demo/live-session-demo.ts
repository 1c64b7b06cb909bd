/**
 * The README's main job: a managed FTPS session against the embedded loopback server. A
 * fresh test PKI, a demo profile, resolution against the policies, then check, put, ls and
 * get with verification, each as its own audited session, exactly as `ftpsctl session`
 * runs them. No root, no network beyond 127.0.0.1; the server stops whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TransferResult } from '../engine/ftps-session';
import type { ListEntry } from '../engine/parse-list';
import { loadSessionPolicies } from '../policy/policy-sources';
import type { SessionProfile } from '../settings/generated/session-profile';
import { inManagedSession, type ManagedSession } from '../session/managed-session';
import { prepareSession, type PreparedSession } from '../session/prepare-session';
import type { SessionCheckView } from '../session/render-session-check';
import { startLoopbackWorkspace } from './loopback-workspace';

export interface LiveDemoStep {
  step: 'check' | 'put' | 'ls' | 'get';
  ok: boolean;
  detail: string;
}

export interface LiveDemoResult {
  profileFile: string;
  profile: SessionProfile;
  prepared: PreparedSession;
  check?: SessionCheckView;
  upload?: TransferResult;
  listing?: ListEntry[];
  download?: TransferResult & { identical: boolean };
  auditLog: string[];
  steps: LiveDemoStep[];
  durationMs: number;
}

export interface LiveDemoOptions {
  policiesDir: string;
  /** Kept when given (for the CLI's --keep); otherwise a temp folder removed at the end. */
  workDir?: string;
  onStep?: (step: LiveDemoStep) => void;
}

export async function runLiveDemo(options: LiveDemoOptions): Promise<LiveDemoResult> {
  const started = Date.now();
  const work = options.workDir ?? (await mkdtemp(path.join(tmpdir(), 'ftpsctl-demo-')));
  const { server, profile, profileFile } = await startLoopbackWorkspace(work);
  const steps: LiveDemoStep[] = [];
  const record = (step: LiveDemoStep): void => {
    steps.push(step);
    options.onStep?.(step);
  };
  const auditLogFile = path.join(work, 'audit.jsonl');
  try {
    // A session like any other: the machine's policies apply too; the demo folder is added (issue 10).
    const prepared = await prepareSession(
      profileFile,
      await loadSessionPolicies([options.policiesDir], {
        env: { ...process.env, FTPSCTL_POLICY_DIR: '' },
        addedOrigin: "the demo's policies",
      }),
    );
    const result: LiveDemoResult = { profileFile, profile, prepared, auditLog: [], steps, durationMs: 0 };
    const sessionOptions = { secrets: { env: {} }, auditLogFiles: [auditLogFile] };
    const inSession = <T>(run: (managed: ManagedSession) => Promise<T>): Promise<T> =>
      inManagedSession(prepared, sessionOptions, run);

    result.check = await inSession((managed) => managed.check());
    record({
      step: 'check',
      ok: true,
      detail: `${result.check.tls?.version} ${result.check.tls?.cipher}, certificate ${result.check.tls?.serverCertificate.subject}, PROT ${result.check.tls?.protection}, data session resumed: ${result.check.dataChannelResumed ? 'yes' : 'no'}`,
    });

    const upload = path.join(work, 'report.bin');
    const content = randomBytes(4 * 1024 * 1024);
    await writeFile(upload, content);
    result.upload = await inSession((managed) => managed.upload(upload, 'report.bin'));
    record({
      step: 'put',
      ok: true,
      detail: `report.bin, ${result.upload.bytes} bytes, verified by ${result.upload.verifiedBy}`,
    });

    result.listing = await inSession((managed) => managed.list());
    record({
      step: 'ls',
      ok: true,
      detail: result.listing.map((e) => `${e.name} (${e.size ?? '?'} bytes)`).join(', '),
    });

    const downloaded = path.join(work, 'report.copy.bin');
    const download = await inSession((managed) => managed.download('report.bin', downloaded));
    const identical = Buffer.compare(await readFile(downloaded), content) === 0;
    result.download = { ...download, identical };
    record({
      step: 'get',
      ok: identical,
      detail: `report.bin -> report.copy.bin, verified by ${download.verifiedBy}, SHA-256 ${download.sha256}, identical: ${identical ? 'yes' : 'NO'}`,
    });

    result.auditLog = (await readFile(auditLogFile, 'utf8')).split('\n').filter(Boolean);
    result.durationMs = Date.now() - started;
    return result;
  } finally {
    await server.stop();
    if (!options.workDir) await rm(work, { recursive: true, force: true });
  }
}
