/** The FEAT reply's feature lines (RFC 2389, RFC 3659, RFC 4217, draft-bryan-ftpext-hash). Pure. */

export const HASH_ALGORITHMS = ['SHA-256', 'SHA-1'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export function featureLines(options: { allowCcc: boolean; hashAlgorithm: HashAlgorithm }): string[] {
  const hash = HASH_ALGORITHMS.map((name) => (name === options.hashAlgorithm ? `${name}*` : name)).join(';');
  return [
    'AUTH TLS',
    'PBSZ',
    'PROT',
    ...(options.allowCcc ? ['CCC'] : []),
    'EPSV',
    'PASV',
    'MLST type*;size*;modify*;',
    'MLSD',
    'SIZE',
    'MDTM',
    'REST STREAM',
    'UTF8',
    `HASH ${hash}`,
  ];
}

/** `sha-256`, `SHA256` and `SHA-256` all name SHA-256; undefined for anything unsupported. */
export function parseHashAlgorithm(text: string): HashAlgorithm | undefined {
  const wanted = text.trim().toUpperCase().replace(/-/g, '');
  return HASH_ALGORITHMS.find((name) => name.replace(/-/g, '') === wanted);
}

/** node:crypto's name for an algorithm. */
export function nodeHashName(algorithm: HashAlgorithm): 'sha256' | 'sha1' {
  return algorithm === 'SHA-256' ? 'sha256' : 'sha1';
}
