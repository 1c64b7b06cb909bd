/**
 * Makes a complete test PKI in pure Node (no openssl binary): two CAs, good and broken
 * server certificates, a client certificate, a CRL, and writes them as PEM files.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { buildCertificate, type CertificateRequest } from './build-certificate';
import { buildCrl } from './build-crl';
import type { DistinguishedName } from './distinguished-name';
import { sha256Fingerprint, toPem } from './pem';
import type { SigningKey } from './signing-key';
import type { PemPair, TestPki, TestPkiOptions } from './test-pki';

const generateKeyPairAsync = promisify(generateKeyPair);
const DAY_MS = 24 * 60 * 60 * 1000;
const LOCAL_NAMES = ['localhost', '127.0.0.1'] as const;
const ORGANIZATION = 'ftpsctl testbed';

async function newKey(keyType: 'rsa' | 'ec'): Promise<SigningKey> {
  return keyType === 'rsa'
    ? generateKeyPairAsync('rsa', { modulusLength: 2048 })
    : generateKeyPairAsync('ec', { namedCurve: 'prime256v1' });
}

function pkcs8Pem(privateKey: KeyObject): string {
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export async function createTestPki(dir: string, options: TestPkiOptions = {}): Promise<TestPki> {
  const keyType = options.keyType ?? 'rsa';
  // RSA-2048 generation costs ~100-200 ms per key on a 2-core machine, so the broken server
  // certificates share the good server's key: what makes them fail is the certificate, not the key.
  const [caKey, otherCaKey, serverKey, clientKey] = await Promise.all([
    newKey(keyType),
    newKey(keyType),
    newKey(keyType),
    newKey(keyType),
  ]);

  const now = Date.now();
  const notBefore = new Date(now - DAY_MS);
  const inOneYear = new Date(now + 365 * DAY_MS);
  const caName: DistinguishedName = { commonName: 'ftpsctl test CA', organization: ORGANIZATION };
  const otherCaName: DistinguishedName = { commonName: 'ftpsctl untrusted CA', organization: ORGANIZATION };
  const localhostName: DistinguishedName = { commonName: 'localhost', organization: ORGANIZATION };

  const caAuthority = (name: DistinguishedName, key: SigningKey): CertificateRequest => ({
    subject: name,
    subjectPublicKey: key.publicKey,
    issuer: { name, key },
    notBefore,
    notAfter: new Date(now + 10 * 365 * DAY_MS),
    isCa: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const serverLeaf = (overrides: Partial<CertificateRequest> = {}): CertificateRequest => ({
    subject: localhostName,
    subjectPublicKey: serverKey.publicKey,
    issuer: { name: caName, key: caKey },
    notBefore,
    notAfter: inOneYear,
    isCa: false,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['serverAuth'],
    subjectAltNames: LOCAL_NAMES,
    ...overrides,
  });

  const ca = buildCertificate(caAuthority(caName, caKey));
  const otherCa = buildCertificate(caAuthority(otherCaName, otherCaKey));
  const server = buildCertificate(serverLeaf());
  const expired = buildCertificate(
    serverLeaf({ notBefore: new Date(now - 30 * DAY_MS), notAfter: new Date(now - DAY_MS) }),
  );
  const wrongHost = buildCertificate(
    serverLeaf({
      subject: { commonName: 'wrong.example', organization: ORGANIZATION },
      subjectAltNames: ['wrong.example'],
    }),
  );
  // OpenSSL only treats a certificate as self-signed (DEPTH_ZERO_SELF_SIGNED_CERT) when its keyUsage allows keyCertSign.
  const selfSigned = buildCertificate(
    serverLeaf({
      issuer: { name: localhostName, key: serverKey },
      keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'],
    }),
  );
  const untrusted = buildCertificate(serverLeaf({ issuer: { name: otherCaName, key: otherCaKey } }));
  const revoked = buildCertificate(serverLeaf());
  const client = buildCertificate(
    serverLeaf({
      subject: { commonName: 'ftpsctl test client', organization: ORGANIZATION },
      subjectPublicKey: clientKey.publicKey,
      extendedKeyUsage: ['clientAuth'],
      subjectAltNames: undefined,
    }),
  );
  const crl = buildCrl({
    issuer: { name: caName, key: caKey },
    revokedSerials: [revoked.serial],
    thisUpdate: notBefore,
    nextUpdate: new Date(now + 30 * DAY_MS),
    crlNumber: 1n,
  });

  await mkdir(dir, { recursive: true });
  const file = (name: string): string => path.join(dir, name);
  const writes: Array<Promise<void>> = [];
  const write = (name: string, contents: string, secret = false): string => {
    const target = file(name);
    // writeFile's mode only applies when it creates the file: chmod too, in case dir is reused.
    writes.push(
      writeFile(target, contents, { mode: secret ? 0o600 : 0o644 }).then(() =>
        secret ? chmod(target, 0o600) : undefined,
      ),
    );
    return target;
  };
  const serverKeyPem = pkcs8Pem(serverKey.privateKey);
  const pair = (name: string, certDer: Buffer, keyPem: string): PemPair => {
    const cert = toPem('CERTIFICATE', certDer);
    return {
      certFile: write(`${name}-cert.pem`, cert),
      keyFile: write(`${name}-key.pem`, keyPem, true),
      cert,
      key: keyPem,
      sha256: sha256Fingerprint(certDer),
    };
  };

  const caPem = toPem('CERTIFICATE', ca.der);
  const otherCaPem = toPem('CERTIFICATE', otherCa.der);
  const passphrase = randomBytes(12).toString('hex');
  const serverPair = pair('server', server.der, serverKeyPem);
  const result: TestPki = {
    dir,
    caFile: write('ca-cert.pem', caPem),
    ca: caPem,
    server: serverPair,
    expired: pair('expired', expired.der, serverKeyPem),
    wrongHost: pair('wrong-host', wrongHost.der, serverKeyPem),
    selfSigned: pair('self-signed', selfSigned.der, serverKeyPem),
    untrusted: {
      ...pair('untrusted', untrusted.der, serverKeyPem),
      caFile: write('untrusted-ca-cert.pem', otherCaPem),
    },
    revoked: pair('revoked', revoked.der, serverKeyPem),
    crlFile: write('ca-crl.pem', toPem('X509 CRL', crl)),
    client: {
      ...pair('client', client.der, pkcs8Pem(clientKey.privateKey)),
      encryptedKeyFile: write(
        'client-key-encrypted.pem',
        clientKey.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString(),
        true,
      ),
      passphrase,
    },
    serverChainFile: write('server-chain.pem', serverPair.cert + caPem),
    serverBundleFile: write('server-bundle.pem', serverKeyPem + serverPair.cert + caPem, true),
  };
  await Promise.all(writes);
  return result;
}
