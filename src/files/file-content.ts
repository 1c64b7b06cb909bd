/**
 * What a file a user names must hold, by its kind (pure: bytes in, a problem's words out).
 * Checked where the file is first named (`profile validate`, loading a profile or a policy)
 * so a wrong file is an input problem (exit 3) naming the setting and the file, not an
 * OpenSSL code at the handshake or a CA that silently trusts nothing.
 *
 *  - certificates (CA bundles, client certificates): at least one PEM `CERTIFICATE` block
 *    (RFC 7468 §5; OpenSSL's `TRUSTED CERTIFICATE` too), each one parsing as X.509;
 *  - privateKey: a PEM private key block (`PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, RFC 7468 §10,
 *    §11; OpenSSL's `RSA`/`EC`/`DSA PRIVATE KEY`);
 *  - crl: a PEM `X509 CRL` block (RFC 7468 §6);
 *  - secret: a first line that is not empty, and (POSIX) no access for group or others.
 */
import { X509Certificate } from 'node:crypto';
import type { UserFileKind } from './read-user-file';

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The labels of a text's PEM blocks, with their whole text. */
function pemBlocks(text: string): Array<{ label: string; pem: string }> {
  return [...text.matchAll(BLOCK)].map((m) => ({ label: m[1], pem: m[0] }));
}

/** What the bytes are instead, when they hold no PEM block of the kind wanted. */
function whatInstead(bytes: Uint8Array, blocks: Array<{ label: string }>): string {
  if (bytes.length === 0) return 'is empty';
  if (blocks.some((b) => /PRIVATE KEY$/.test(b.label))) return 'holds a private key';
  if (blocks.some((b) => b.label === 'CERTIFICATE')) return 'holds certificates';
  if (blocks.some((b) => b.label === 'X509 CRL')) return 'holds a CRL';
  if (blocks.length > 0) return `holds a PEM ${blocks[0].label} block`;
  // DER and PKCS#12 both start with an ASN.1 SEQUENCE.
  if (bytes[0] === 0x30) return 'is binary (DER or PKCS#12), not PEM text';
  return 'holds no PEM block (-----BEGIN ...-----)';
}

const DER_HINT: Partial<Record<UserFileKind, string>> = {
  certificates: 'openssl x509 -inform der -in FILE -out FILE.pem',
  privateKey: 'openssl pkey -inform der -in FILE -out FILE.pem',
  crl: 'openssl crl -inform der -in FILE -out FILE.pem',
};

/**
 * The problem with a file's content for its kind, as the words after its path ("is empty;
 * it must hold ..."), or undefined when it holds what the kind needs. `mode` and `platform`
 * are for secrets (the owner-only rule applies on POSIX).
 */
export function fileContentProblem(
  kind: UserFileKind,
  bytes: Uint8Array,
  file: string,
  mode?: number,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (kind === 'secret') return secretProblem(bytes, file, mode, platform);
  if (kind !== 'certificates' && kind !== 'privateKey' && kind !== 'crl') return undefined;
  const text = Buffer.from(bytes).toString('utf8');
  const blocks = pemBlocks(text);
  const wanted =
    kind === 'certificates'
      ? blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE')
      : kind === 'privateKey'
        ? blocks.filter((b) => /(^|[A-Z] )PRIVATE KEY$/.test(b.label))
        : blocks.filter((b) => b.label === 'X509 CRL');
  const needs =
    kind === 'certificates'
      ? 'PEM certificates (-----BEGIN CERTIFICATE-----)'
      : kind === 'privateKey'
        ? 'a PEM private key (-----BEGIN PRIVATE KEY-----)'
        : 'a PEM CRL (-----BEGIN X509 CRL-----)';
  if (wanted.length === 0) {
    const instead = whatInstead(bytes, blocks);
    const convert = bytes[0] === 0x30 && DER_HINT[kind] ? `; convert DER with: ${DER_HINT[kind]}` : '';
    return `${instead}; it must hold ${needs}${convert}`;
  }
  if (kind === 'certificates') {
    for (const [index, block] of wanted.entries()) {
      if (block.label !== 'CERTIFICATE') continue;
      try {
        new X509Certificate(block.pem);
      } catch {
        return `holds a certificate block that is not a valid X.509 certificate (block ${index + 1} of ${wanted.length}); replace it with the certificate as the CA or server gave it`;
      }
    }
  }
  return undefined;
}

function secretProblem(
  bytes: Uint8Array,
  file: string,
  mode: number | undefined,
  platform: NodeJS.Platform,
): string | undefined {
  if (platform !== 'win32' && mode !== undefined && (mode & 0o077) !== 0)
    return `can be read by others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${file}`;
  if (firstLine(bytes) === '') return 'has an empty first line; put the secret on the first line';
  return undefined;
}

/** The secret in a password or passphrase file: its first line (LF, CRLF or a lone CR ends it), without a UTF-8 BOM. */
export function firstLine(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/, 1)[0];
}
