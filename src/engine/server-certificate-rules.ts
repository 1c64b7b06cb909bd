/**
 * What a server certificate may and may not be, beyond what OpenSSL's chain check decides:
 * RFC 5280 and the CA/Browser Forum Baseline Requirements (§7.1), as a browser applies them.
 * Pure: certificates in, the first problem out (a sentence that says why and what to change).
 *
 * - the leaf names the server in subjectAltName (RFC 6125 §6.4.4: the CN is not used; Node
 *   falls back to it, browsers do not), and the name matched is a SAN entry;
 * - the leaf is not a CA (basicConstraints cA false) and, when it has an extended key usage,
 *   lists serverAuth (RFC 5280 §4.2.1.12);
 * - keys: RSA ≥ 2048 bits, EC on P-256, P-384 or P-521, no DSA (BR §6.1.5), for the leaf and
 *   every CA above it;
 * - signatures: no MD2, MD5 or SHA-1 (BR §7.1.3.2), on the leaf and every CA certificate
 *   except a self-signed root, whose self-signature nobody relies on.
 */
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { SIGNATURE_ALGORITHMS, signatureAlgorithmOid } from './certificate-der';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
const ACCEPTED_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1', 'P-256', 'P-384', 'P-521']);
const WEAK_HASHES = new Set(['md2', 'md5', 'sha1']);

export interface CertificateRuleInput {
  /** The leaf, then each issuer as the server sent or the trust store completed it. */
  chain: readonly X509Certificate[];
  /** The leaf as Node's TLS layer describes it (its subjectaltname string is what Node matches). */
  leaf: PeerCertificate;
  /** The name the certificate must carry: tls.serverName, else the host. */
  serverName: string;
  /** With chain validation off, a pin authenticates the server: only key and signature rules apply. */
  validateChain: boolean;
}

/** The first rule the certificate chain breaks, as a sentence, or undefined when it keeps them all. */
export function serverCertificateProblem(input: CertificateRuleInput): string | undefined {
  const [leaf, ...issuers] = input.chain;
  if (!leaf) return 'the server sent no certificate';
  if (input.validateChain) {
    const identity = leafIdentityProblem(leaf, input.leaf, input.serverName);
    if (identity) return identity;
  }
  const positions = [leaf, ...issuers].map((certificate, index) => ({
    certificate,
    role: index === 0 ? 'the server certificate' : `the CA certificate "${certificate.subject.replace(/\n/g, ', ')}"`,
  }));
  for (const { certificate, role } of positions) {
    const key = keyProblem(certificate);
    if (key) return `${role} ${key}`;
    const selfSignedRoot = certificate !== leaf && certificate.ca && certificate.checkIssued(certificate);
    if (!selfSignedRoot) {
      const signature = signatureProblem(certificate);
      if (signature) return `${role} ${signature}`;
    }
  }
  return undefined;
}

function leafIdentityProblem(leaf: X509Certificate, peer: PeerCertificate, serverName: string): string | undefined {
  if (!leaf.subjectAltName) {
    return `the server certificate has no subjectAltName, so it names no server (RFC 6125 and the CA/Browser Forum rules no longer accept the CN "${peer.subject?.CN ?? ''}"); the server administrator must reissue it with the server's names in subjectAltName`;
  }
  // Node matches the CN when the SAN has no DNS name; with the CN removed only SAN entries count.
  const mismatch = checkServerIdentity(serverName, { ...peer, subject: {} as PeerCertificate['subject'] });
  if (mismatch)
    return `the server certificate's subjectAltName (${leaf.subjectAltName}) does not name ${serverName}; connect with a name it lists (tls.serverName), or have the certificate reissued`;
  if (leaf.ca)
    return 'the server certificate is a CA certificate (basicConstraints cA=TRUE); a server certificate must not be able to issue certificates; the server administrator must reissue it';
  const purposes = leaf.keyUsage;
  if (
    purposes &&
    purposes.length > 0 &&
    !purposes.includes(SERVER_AUTH) &&
    !purposes.includes(ANY_EXTENDED_KEY_USAGE)
  ) {
    return `the server certificate is not for TLS servers: its extended key usage (${purposes.join(', ')}) lacks serverAuth (${SERVER_AUTH}); the server administrator must reissue it for serverAuth`;
  }
  return undefined;
}

function keyProblem(certificate: X509Certificate): string | undefined {
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return (details.modulusLength ?? 0) < 2048
        ? `has an RSA key of ${details.modulusLength ?? '?'} bits; at least 2048 are required (the key is too weak)`
        : undefined;
    case 'ec':
      return ACCEPTED_CURVES.has(details.namedCurve ?? '')
        ? undefined
        : `has an EC key on curve ${details.namedCurve ?? 'unknown'}; P-256, P-384 or P-521 is required`;
    case 'ed25519':
    case 'ed448':
      return undefined;
    default:
      return `has a ${key.asymmetricKeyType ?? 'unknown'} key, which is not accepted (RSA ≥ 2048 bits or EC P-256/P-384/P-521)`;
  }
}

function signatureProblem(certificate: X509Certificate): string | undefined {
  const oid = signatureAlgorithmOid(certificate.raw);
  const algorithm = oid ? SIGNATURE_ALGORITHMS[oid] : undefined;
  if (!algorithm) return undefined; // an algorithm OpenSSL verified and we don't know is its call
  if (WEAK_HASHES.has(algorithm.hash))
    return `is signed with ${algorithm.name}: the signature digest algorithm is too weak (${algorithm.hash.toUpperCase()} signatures can be forged); a SHA-256 or stronger signature is required`;
  return undefined;
}
