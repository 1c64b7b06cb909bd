/** The test PKI for the hostile server's tests, in a temporary folder removed afterwards. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki, type TestPki } from '../../../../../src/loopback/pki';

export interface TemporaryPki {
  pki: TestPki;
  remove(): void;
}

export async function createTemporaryPki(): Promise<TemporaryPki> {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-server-pki-'));
  try {
    // EC keys: these tests only talk to Node, and P-256 keys take milliseconds.
    const pki = await createTestPki(dir, { keyType: 'ec' });
    return { pki, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
