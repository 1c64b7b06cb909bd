/** Builds and signs an X.509 v2 CRL (RFC 5280 5.1) as DER. */
import * as der from './der';
import { encodeName, type DistinguishedName } from './distinguished-name';
import * as ext from './extensions';
import { keyIdentifier, signatureAlgorithm, signStructure, type SigningKey } from './signing-key';

export interface CrlRequest {
  issuer: { name: DistinguishedName; key: SigningKey };
  /** Serial numbers (as encoded in the certificates) of the revoked certificates. */
  revokedSerials: readonly Buffer[];
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: bigint;
}

export function buildCrl(request: CrlRequest): Buffer {
  const revoked = request.revokedSerials.map((serial) =>
    der.sequence(der.integer(serial), der.time(request.thisUpdate)),
  );
  const tbsCertList = der.sequence(
    der.integer(1), // v2, needed because the CRL carries extensions
    signatureAlgorithm(request.issuer.key.privateKey),
    encodeName(request.issuer.name),
    der.time(request.thisUpdate),
    der.time(request.nextUpdate),
    // revokedCertificates is OPTIONAL and must be absent (not empty) when nothing is revoked.
    ...(revoked.length > 0 ? [der.sequence(...revoked)] : []),
    der.explicit(
      0,
      der.sequence(
        ext.authorityKeyIdentifier(keyIdentifier(request.issuer.key.publicKey)),
        ext.crlNumber(request.crlNumber),
      ),
    ),
  );
  return signStructure(tbsCertList, request.issuer.key.privateKey);
}
