/**
 * Review (auditor's view): docs/audit-events.md against what the builders write.
 *
 * src/audit/audit-events-doc.test.ts builds one event of each of four kinds with a fresh,
 * whole-file download and a session without failed transfers. Built with the parts a real run
 * produces (a resumed download, a failed file, a mirror's unreadable listing line, a session
 * with failed transfers, a refusal naming a policy line, `rm`/`mv`/`mkdir`/`rmdir`), events
 * carry fields and actions the document does not list, and the document says ftpsctl never
 * writes `event.category` / `event.type` while the remote-change events do. (README's prose
 * mentions the remote-change events; the field reference `audit sessions --help` points to is
 * docs/audit-events.md, and a Filebeat/ECS mapping is made from it.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TransferResult } from '../../src/engine/ftps-session';
import {
  AUDIT_ACTIONS,
  remoteChangeEvent,
  sessionEndEvent,
  sessionRefusedEvent,
  transferEvent,
  transferFailureEvent,
  type AuditContext,
} from '../../src/session/audit-events';

const doc = readFileSync(path.resolve(__dirname, '../../docs/audit-events.md'), 'utf8');
const rows = doc.split('\n').filter((line) => line.startsWith('| `'));

const context: AuditContext = {
  sessionId: 's1',
  profile: 'payroll',
  resolutionSha256: 'ab'.repeat(32),
  policies: [],
  managed: true,
  server: { address: 'ftp.example.com', port: 21 },
  user: 'alice',
};

/** Dotted paths of every leaf. */
function leaves(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => leaves(item, prefix));
  if (value && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) =>
      leaves(v, prefix ? `${prefix}.${key}` : key),
    );
  return [prefix];
}

/** As in src/audit/audit-events-doc.test.ts: a field's own row, or its parent's row naming it. */
function documented(field: string): boolean {
  const parts = field.split('.');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('.');
    const row = rows.find((line) => line.startsWith(`| \`${candidate}\` |`));
    if (row) return n === parts.length || row.includes(`\`${parts[n]}\``);
  }
  return false;
}

const resumed: TransferResult = {
  direction: 'download',
  remotePath: '/a.txt',
  bytes: 10,
  offset: 5,
  sha256: 'ef'.repeat(32),
  sha256Range: { start: 5, end: 15 },
  durationMs: 5,
  verifiedBy: 'size',
  encrypted: true,
  sessionResumed: true,
};

it('every field of a resumed transfer, a failed file, a failed session, a refusal and a remote change is documented', () => {
  const events = [
    transferEvent(context, resumed),
    transferFailureEvent(context, {
      direction: 'download',
      remotePath: 'in',
      error: { code: 'FTPSCTL_ERR_PROTOCOL', message: 'unreadable line' },
      listingLine: 'garbage',
      durationMs: 1,
    }),
    sessionEndEvent(context, { durationMs: 10, failedTransfers: { count: 2, firstCode: 'FTPSCTL_ERR_LOCAL_FILE' } }),
    sessionRefusedEvent(context, {
      reason: 'host denied',
      error: { code: 'FTPSCTL_ERR_REFUSED_BY_POLICY', message: 'refused' },
      refusedBy: { policy: 'corp', file: '/etc/ftpsctl/policies/corp.xml', line: 4 },
    }),
    remoteChangeEvent(context, {
      action: 'file.rename',
      path: '/new',
      from: '/old',
      durationMs: 1,
      fileType: 'dir',
      error: { code: 'FTPSCTL_ERR_COMMAND_FAILED', message: '550' },
      outcome: 'unknown',
    }),
  ];
  const fields = new Set(events.flatMap((event) => leaves(event)));
  expect([...fields].filter((field) => !documented(field)).sort()).toEqual([]);
});

it('every event.action ftpsctl writes (and audit sessions accepts) is in the events table', () => {
  const missing = AUDIT_ACTIONS.filter((action) => !rows.some((line) => line.startsWith(`| \`${action}\` |`)));
  expect(missing).toEqual([]);
});

it('the document does not say event.category / event.type are never written while remote-change events write them', () => {
  const change = remoteChangeEvent(context, { action: 'file.delete', path: '/x', durationMs: 1 });
  expect(change.event).toHaveProperty('category');
  const saysNeverWritten = /`event\.category: network`, `event\.type`:[^]*?are not written by ftpsctl/.test(doc);
  expect({ writesCategory: true, docSaysNeverWritten: saysNeverWritten }).toEqual({
    writesCategory: true,
    docSaysNeverWritten: false,
  });
});
