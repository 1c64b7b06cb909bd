/**
 * Certificates made with the openssl CLI, as a real CA (or a careless admin) makes them: the
 * shapes our own test PKI builder does not express (no SAN, RSA 1024, SHA-1, a CA as leaf,
 * clientAuth only, other curves, RSASSA-PSS keys). Files land in `dir`.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface IssuedPem {
  /** The certificate file and its PEM text. */
  file: string;
  cert: string;
  /** The private key file and its PEM text. */
  keyFile: string;
  key: string;
  certificate: X509Certificate;
}

export interface KeyAndDigest {
  /** openssl's -newkey argument: `rsa:2048` (default), `rsa:1024`, `ec:FILE.param`, `rsa-pss`. */
  key?: string;
  /** Signature digest: `sha256` (default), `sha1`, `sha384`, ... */
  digest?: string;
}

const CA_EXTENSIONS = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
const SERVER_EXTENSIONS = [
  'subjectAltName=DNS:localhost,IP:127.0.0.1',
  'extendedKeyUsage=serverAuth',
  'basicConstraints=CA:FALSE',
];

export function opensslIn(dir: string) {
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const issued = (name: string): IssuedPem => {
    const file = path.join(dir, `${name}.pem`);
    const keyFile = path.join(dir, `${name}.key`);
    const cert = readFileSync(file, 'utf8');
    return { file, cert, keyFile, key: readFileSync(keyFile, 'utf8'), certificate: new X509Certificate(cert) };
  };
  const sign = (name: string, issuer: IssuedPem, extensions: readonly string[], digest: string): void => {
    writeFileSync(path.join(dir, `${name}.ext`), `${extensions.join('\n')}\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      issuer.file,
      '-CAkey',
      issuer.keyFile,
      '-CAcreateserial',
      '-days',
      '30',
      `-${digest}`,
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    );
  };
  return {
    openssl,
    /** `ecparam` files for the named curves (prime256v1, secp384r1, ...), as `NAME.param`. */
    curve(name: string): string {
      openssl('ecparam', '-name', name, '-out', `${name}.param`);
      return `ec:${name}.param`;
    },
    /** A CA: self-signed, or issued by `issuer` (an intermediate). */
    ca(name: string, options: KeyAndDigest & { issuer?: IssuedPem } = {}): IssuedPem {
      const digest = options.digest ?? 'sha256';
      if (options.issuer) {
        openssl(
          'req',
          '-new',
          '-newkey',
          options.key ?? 'rsa:2048',
          '-nodes',
          '-keyout',
          `${name}.key`,
          '-subj',
          `/CN=${name}`,
          '-out',
          `${name}.csr`,
        );
        sign(name, options.issuer, CA_EXTENSIONS, digest);
      } else {
        openssl(
          'req',
          '-x509',
          '-newkey',
          options.key ?? 'rsa:2048',
          '-nodes',
          '-keyout',
          `${name}.key`,
          '-subj',
          `/CN=${name}`,
          '-days',
          '30',
          `-${digest}`,
          ...CA_EXTENSIONS.flatMap((e) => ['-addext', e]),
          '-out',
          `${name}.pem`,
        );
      }
      return issued(name);
    },
    /** A leaf with CN=localhost, issued by `issuer`; by default a proper server certificate. */
    leaf(name: string, issuer: IssuedPem, options: KeyAndDigest & { extensions?: readonly string[] } = {}): IssuedPem {
      openssl(
        'req',
        '-new',
        '-newkey',
        options.key ?? 'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-subj',
        '/CN=localhost',
        '-out',
        `${name}.csr`,
      );
      sign(name, issuer, options.extensions ?? SERVER_EXTENSIONS, options.digest ?? 'sha256');
      return issued(name);
    },
  };
}
