/**
 * What the library's front-door tests share: the embedded loopback server with a test PKI, profile
 * folders whose CA and password file sit beside the profile (named by relative paths), policy
 * folders with the modes StrictModes accepts, and the audit log read back as `action:outcome`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/loopback/server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { policyDocument, writePolicyFolder } from './policy-folder';

export interface LibraryWorkspace {
  dir: string;
  /** The served folder. */
  root: string;
  pki: TestPki;
  server: EmbeddedServer;
  /** Writes `<dir>/<name>/profile.json` (with ca.pem and password.txt beside it); returns its path. */
  profileFolder(name: string, extra?: Record<string, unknown>): string;
  /** Writes policy files into `<dir>/<name>` (0755 folder, 0644 files); returns the folder. */
  policyFolder(name: string, files: Record<string, string>): string;
  stop(): Promise<void>;
}

export async function startLibraryWorkspace(password: string): Promise<LibraryWorkspace> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-library-'));
  const pki = await createTestPki(path.join(dir, 'pki'));
  const root = mkdtempSync(path.join(dir, 'root-'));
  const server = await startEmbeddedServer({
    root,
    users: [{ user: 'alice', password }],
    pki: { cert: pki.server.cert, key: pki.server.key },
  });
  return {
    dir,
    root,
    pki,
    server,
    profileFolder(name, extra = {}) {
      const folder = path.join(dir, name);
      mkdirSync(folder, { recursive: true });
      copyFileSync(pki.caFile, path.join(folder, 'ca.pem'));
      writeFileSync(path.join(folder, 'password.txt'), `${password}\n`, { mode: 0o600 });
      const file = path.join(folder, 'profile.json');
      const profile = {
        name,
        host: '127.0.0.1',
        port: server.port,
        user: 'alice',
        password: { file: 'password.txt' },
        tls: { serverName: 'localhost', pki: { caFile: 'ca.pem', useSystemTrustStore: false } },
        ...extra,
      };
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
    policyFolder: (name, files) => writePolicyFolder(dir, name, files),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A policy document of machine scope, priority 100, with `body` as its settings. */
export const machinePolicy = (name: string, body: string): string => policyDocument(name, body);

/** An audit log's events as `action` or `action:outcome`, in order. */
export function auditActions(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: { action: string; outcome?: string } })
    .map((e) => `${e.event.action}${e.event.outcome ? `:${e.event.outcome}` : ''}`);
}
