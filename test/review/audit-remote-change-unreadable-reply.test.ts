/**
 * Review (auditor's view): a remote change whose reply can't be read is audited as refused.
 * docs/audit-events.md: `failure` (refused) or `unknown` (no reply: the change may have been
 * made). A DELE answered with a reply the engine can't read (`25 deleted`: a two-digit code)
 * or with a reply that is neither a completion nor a refusal (`350`) fails with
 * FTPSCTL_ERR_PROTOCOL; the engine itself treats that as "the control channel is in an
 * unknown state" (ftps-session.ts markBrokenOn closes the connection), yet the file.delete
 * event says outcome `failure`: an auditor reads "the server refused, the file is still there"
 * when the server may well have deleted it. Nothing refused it (no 4xx/5xx).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '../../src';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';

jest.setTimeout(60_000);

const PASSWORD = 'Unreadable-Reply-51c2-secret';
let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-audit-change-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DELE answered with a reply that is not a refusal', () => {
  it.each([
    ['a two-digit code (malformed)', 'dele-two-digit', '25 deleted\r\n'],
    ['a 3xx (neither completion nor refusal)', 'dele-350', '350 deleted, more to come\r\n'],
  ])('%s: file.delete has outcome unknown, not failure (refused)', async (_what, name, raw) => {
    const audit = path.join(dir, `${name}.jsonl`);
    await withHostileProfile(
      { dir, pki, name, passwordEnv: 'UNREADABLE_REPLY_PW' },
      { replies: { DELE: { raw } } },
      async (profile) => {
        const session = await connect(profile, {
          auditLogFiles: [audit],
          secrets: { env: { UNREADABLE_REPLY_PW: PASSWORD } },
        });
        const error = await session.delete('/outbox/payroll.csv').then(
          () => undefined,
          (failure: { code?: string }) => failure,
        );
        await session.close();
        expect(error).toMatchObject({ code: 'FTPSCTL_ERR_PROTOCOL' });
      },
    );
    const events = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: { action: string; outcome: string }; file?: { path: string } });
    const deletion = events.find((e) => e.event.action === 'file.delete');
    expect(deletion?.file?.path).toBe('/outbox/payroll.csv');
    expect(deletion?.event.outcome).toBe('unknown');
  });
});
