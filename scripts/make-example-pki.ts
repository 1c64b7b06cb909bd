/**
 * Writes the certificate, key, CRL and password files that the example profiles name
 * (examples/pki/, examples/secrets/), so the shipped examples validate wherever the package
 * is installed. Throwaway material from the test PKI: nothing here is trusted by anything.
 * Run: npm run build:dist && node dist/scripts/make-example-pki.js
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki } from '../src/loopback/pki';

async function main(): Promise<void> {
  const examples = path.resolve(__dirname, '../../examples');
  const pkiDir = path.join(examples, 'pki');
  const secretsDir = path.join(examples, 'secrets');
  mkdirSync(pkiDir, { recursive: true });
  mkdirSync(secretsDir, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), 'ftpsctl-example-pki-'));
  try {
    const [corp, partner, agency, proxy] = await Promise.all(
      ['corp', 'partner', 'agency', 'proxy'].map((name) => createTestPki(path.join(work, name), { keyType: 'ec' })),
    );
    if (!corp || !partner || !agency || !proxy) throw new Error('test PKI not created');
    copyFileSync(corp.caFile, path.join(pkiDir, 'corp-ca.pem'));
    copyFileSync(partner.caFile, path.join(pkiDir, 'partner-ca.pem'));
    copyFileSync(agency.caFile, path.join(pkiDir, 'agency-ca.pem'));
    copyFileSync(agency.crlFile, path.join(pkiDir, 'agency-ca.crl'));
    copyFileSync(proxy.caFile, path.join(pkiDir, 'proxy-ca.pem'));
    copyFileSync(partner.client.certFile, path.join(pkiDir, 'corp-client.pem'));
    copyFileSync(partner.client.keyFile, path.join(pkiDir, 'corp-client.key'));
    for (const name of ['vendor-ftps', 'vendor-drop'])
      writeFileSync(path.join(secretsDir, `${name}.password`), 'example-only-not-a-real-password\n', { mode: 0o600 });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`make-example-pki failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
