/**
 * What the certificate and CRL builders need from a key pair: its SubjectPublicKeyInfo,
 * its key identifier, and a signer that says which AlgorithmIdentifier it produces.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import * as der from './der';
import { readDerElements } from './der-read';
import { OID } from './oids';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** DER SubjectPublicKeyInfo, ready to drop into a TBSCertificate. */
export function subjectPublicKeyInfo(publicKey: KeyObject): Buffer {
  return publicKey.export({ type: 'spki', format: 'der' });
}

/**
 * RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bits, the value
 * openssl computes too, so SKI/AKI match what other tools expect.
 */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const [spki] = readDerElements(subjectPublicKeyInfo(publicKey));
  const bitString = spki && readDerElements(spki.contents)[1];
  if (!bitString || bitString.tag !== 0x03) throw new Error('SubjectPublicKeyInfo without a BIT STRING');
  return createHash('sha1').update(bitString.contents.subarray(1)).digest();
}

/** The AlgorithmIdentifier of a SHA-256 signature made with this key. */
export function signatureAlgorithm(privateKey: KeyObject): Buffer {
  switch (privateKey.asymmetricKeyType) {
    case 'rsa':
      // RFC 4055: parameters are an explicit NULL for sha256WithRSAEncryption.
      return der.sequence(der.oid(OID.sha256WithRsaEncryption), der.nullValue());
    case 'ec':
      // RFC 5758: parameters absent for ecdsa-with-SHA256.
      return der.sequence(der.oid(OID.ecdsaWithSha256));
    default:
      throw new Error(`unsupported signing key type ${String(privateKey.asymmetricKeyType)}`);
  }
}

/** Signs a to-be-signed structure and wraps it as Certificate / CertificateList: SEQUENCE { tbs, alg, BIT STRING sig }. */
export function signStructure(tbs: Buffer, privateKey: KeyObject): Buffer {
  // node:crypto emits ECDSA signatures DER-encoded (dsaEncoding 'der'), which is what X.509 wants.
  const signature = sign('sha256', tbs, privateKey);
  return der.sequence(tbs, signatureAlgorithm(privateKey), der.bitString(signature));
}
