/**
 * Review (uploads, the audit of an upload the server never answered): README "A change the
 * server never answered (a timeout, a dropped connection) has outcome `unknown`, not `failure`:
 * it may have happened" (session.ts NO_REPLY_CODES, for DELE, RNFR/RNTO, MKD, RMD). An upload is
 * the change that matters most, and it gets no such care: every byte went over the data
 * connection, the server took them, the 226 never came (FTPSCTL_ERR_TIMEOUT), and the transfer
 * event says outcome `failure`, as if the remote file (and the version it replaced) were
 * untouched. Against the hostile server: STOR answered with 150 and nothing more.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, isFtpsctlError } from '../../src';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startHostileServer } from '../../packages/testbed/src/hostile-server';

jest.setTimeout(60_000);

const PASSWORD = 'review-upload-no-reply-3e9d';
let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-upload-no-reply-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('an upload whose data all went and whose final reply never came is recorded with outcome unknown', async () => {
  const local = path.join(dir, 'payroll.csv');
  writeFileSync(local, 'employee,amount\n1,100\n');
  const log = path.join(dir, 'audit.jsonl');
  const server = await startHostileServer(
    { replies: { STOR: '150 Ok to send data' } },
    { pki: { cert: pki.server.cert, key: pki.server.key } },
  );
  let code: string;
  let received: string;
  try {
    const profile = path.join(dir, 'no-final-reply.json');
    writeFileSync(
      profile,
      JSON.stringify({
        name: 'no-final-reply',
        host: '127.0.0.1',
        port: server.port,
        user: 'alice',
        password: { env: 'REVIEW_NO_REPLY_PW' },
        tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
        transfer: { verify: 'size' },
        network: { idleTimeoutMs: 1500 },
      }),
    );
    const session = await connect(profile, {
      auditLogFiles: [log],
      secrets: { env: { REVIEW_NO_REPLY_PW: PASSWORD } },
    });
    code = await session.upload(local, 'payroll.csv').then(
      () => 'success',
      (error: unknown) => (isFtpsctlError(error) ? error.code : String(error)),
    );
    await session.close();
    received = Buffer.concat(server.dataReceived().map((d) => d.bytes)).toString();
  } finally {
    await server.stop();
  }
  const transfer = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: { action: string; outcome: string } })
    .find((e) => e.event.action === 'transfer');
  // The server has every byte of the file.
  expect({ code, received }).toEqual({ code: 'FTPSCTL_ERR_TIMEOUT', received: readFileSync(local, 'utf8') });
  // Found: outcome 'failure'.
  expect(transfer?.event.outcome).toBe('unknown');
});
