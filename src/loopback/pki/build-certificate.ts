/** Builds and signs one X.509 v3 certificate (RFC 5280 4.1) as DER. */
import { randomBytes, type KeyObject } from 'node:crypto';
import * as der from './der';
import { encodeName, type DistinguishedName } from './distinguished-name';
import * as ext from './extensions';
import { keyIdentifier, signatureAlgorithm, signStructure, subjectPublicKeyInfo, type SigningKey } from './signing-key';

export interface CertificateRequest {
  subject: DistinguishedName;
  subjectPublicKey: KeyObject;
  /** Who signs: the issuing CA, or the subject itself for a self-signed certificate. */
  issuer: { name: DistinguishedName; key: SigningKey };
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  keyUsage: readonly ext.KeyUsageName[];
  /** Omitted on CAs. */
  extendedKeyUsage?: ReadonlyArray<'serverAuth' | 'clientAuth'>;
  /** DNS names and IP addresses. */
  subjectAltNames?: readonly string[];
}

export interface IssuedCertificate {
  der: Buffer;
  serial: Buffer;
}

/** 16 random bytes, high bit cleared so the INTEGER is positive, second-highest set so it keeps all 16 bytes. */
export function randomSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  return serial;
}

export function buildCertificate(request: CertificateRequest): IssuedCertificate {
  const serial = randomSerial();
  const extensions = [
    ext.basicConstraints(request.isCa),
    ext.keyUsage(request.keyUsage),
    ...(request.extendedKeyUsage ? [ext.extendedKeyUsage(request.extendedKeyUsage)] : []),
    ...(request.subjectAltNames ? [ext.subjectAltName(request.subjectAltNames)] : []),
    ext.subjectKeyIdentifier(keyIdentifier(request.subjectPublicKey)),
    ext.authorityKeyIdentifier(keyIdentifier(request.issuer.key.publicKey)),
  ];
  const tbsCertificate = der.sequence(
    der.explicit(0, der.integer(2)), // version v3
    der.integer(serial),
    signatureAlgorithm(request.issuer.key.privateKey),
    encodeName(request.issuer.name),
    der.sequence(der.time(request.notBefore), der.time(request.notAfter)),
    encodeName(request.subject),
    subjectPublicKeyInfo(request.subjectPublicKey),
    der.explicit(3, der.sequence(...extensions)),
  );
  return { der: signStructure(tbsCertificate, request.issuer.key.privateKey), serial };
}
