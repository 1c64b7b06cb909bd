/** X.501 Names for the test PKI: one RDN per attribute, UTF8String values. Pure. */
import * as der from './der';
import { OID } from './oids';

export interface DistinguishedName {
  commonName: string;
  organization?: string;
}

export function encodeName(name: DistinguishedName): Buffer {
  const rdns: Buffer[] = [];
  // Order as written in text form reversed: most significant (O) first, CN last, as openssl prints it.
  if (name.organization !== undefined)
    rdns.push(der.set(der.sequence(der.oid(OID.organizationName), der.utf8String(name.organization))));
  rdns.push(der.set(der.sequence(der.oid(OID.commonName), der.utf8String(name.commonName))));
  return der.sequence(...rdns);
}
