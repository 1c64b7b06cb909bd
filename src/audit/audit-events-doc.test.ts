/**
 * docs/audit-events.md maps every field the audit event builders write to ECS or names it as a
 * custom ftpsctl.* field: this test builds each event with every optional part present and
 * fails on any field the document does not list.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TlsInfo, TransferResult } from '../engine/ftps-session';
import {
  sessionEndEvent,
  sessionStartEvent,
  tlsEstablishedEvent,
  transferEvent,
  type AuditContext,
} from '../session/audit-events';

const doc = readFileSync(path.resolve(__dirname, '../../docs/audit-events.md'), 'utf8');

const context: AuditContext = {
  sessionId: 's1',
  profile: 'payroll',
  resolutionSha256: 'ab'.repeat(32),
  policies: [{ name: 'corp', file: '/etc/ftpsctl/policies/corp.xml', sha256: 'cd'.repeat(32) }],
  profileFile: { path: '/home/alice/profiles/payroll.json', sha256: 'ef'.repeat(32) },
  managed: true,
  policySources: [
    { path: '/etc/ftpsctl/policies/corp.xml', scope: 'machine', source: 'machine', sha256: 'cd'.repeat(32) },
  ],
  server: { address: 'ftp.example.com', port: 21 },
  user: 'alice',
  proxy: { type: 'https-connect', address: 'proxy.corp', port: 3129, user: 'alice' },
};
const tls = {
  version: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  group: 'P-256',
  serverCertificate: {
    subject: 'CN=ftp.example.com',
    issuer: 'CN=CA',
    notAfter: '2027-01-01T00:00:00.000Z',
    sha256: 'AB:CD',
  },
  chainValidated: true,
  pinned: false,
  fips: 'off',
  protection: 'P',
  clearCommandChannel: false,
  dataConnections: 2,
  dataConnectionsResumed: 2,
} as unknown as TlsInfo;
const transfer: TransferResult = {
  direction: 'download',
  remotePath: '/a.txt',
  bytes: 10,
  offset: 0,
  sha256: 'ef'.repeat(32),
  durationMs: 5,
  verifiedBy: 'hash',
  encrypted: true,
  sessionResumed: true,
};

/** Dotted paths of every leaf (array items: the array's path plus each item key). */
function leaves(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => leaves(item, prefix));
  if (value && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) =>
      leaves(v, prefix ? `${prefix}.${key}` : key),
    );
  return [prefix];
}

test('every field of every audit event is in docs/audit-events.md (with its ECS name or as custom)', () => {
  const events = [
    sessionStartEvent(context),
    tlsEstablishedEvent(context, tls),
    transferEvent(context, transfer),
    sessionEndEvent(context, { error: { code: 'FTPSCTL_ERR_TRANSFER', message: 'x' }, tls, durationMs: 10 }),
  ];
  const fields = new Set(events.flatMap((event) => leaves(event)));
  expect(fields.size).toBeGreaterThan(40);
  // A nested field is documented by its own row or by its parent object's row (which lists its members).
  const documented = (field: string): boolean => {
    const parts = field.split('.');
    for (let n = parts.length; n > 0; n--) {
      const candidate = parts.slice(0, n).join('.');
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${candidate}\` |`));
      if (row) return n === parts.length || row.includes(`\`${parts[n]}\``);
    }
    return false;
  };
  expect([...fields].filter((field) => !documented(field))).toEqual([]);
});
