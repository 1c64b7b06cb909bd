/**
 * One `tls.SecureContext` per TLS configuration, shared by every connection that uses it: the
 * control connection, each data connection, each proxy leg and every mirror worker's session.
 * Building a context parses the whole CA list (the system store has ~140 roots, ~27 ms on a
 * 2-vCPU machine); doing it per data connection was 5.5 of 7.2 CPU-seconds of a 200-file
 * mirror. A context holds only trust, identity and the offer (versions, suites, groups,
 * signature algorithms); every per-connection check (chain verdict, hostname, pins, negotiated
 * strength) still runs on each connection.
 *
 * Keyed by the SHA-256 of everything that goes into the context, passphrase included, so no
 * PEM text or secret is held as a key. At most MAX_CONTEXTS are kept (oldest dropped first).
 */
import { createHash } from 'node:crypto';
import { createSecureContext, rootCertificates, type SecureContext, type SecureContextOptions } from 'node:tls';
import { FtpsctlError } from '../errors';
import type { TlsOffer } from './tls-profile';

export interface SecureContextInputs {
  offer: TlsOffer;
  /**
   * Also trust the system roots: Node's default root store (its bundled Mozilla roots, or
   * OpenSSL's store under --use-openssl-ca, plus NODE_EXTRA_CA_CERTS), as every Node.js TLS
   * client does by default.
   */
  useSystemTrustStore: boolean;
  /** Extra CA certificates (PEM), e.g. `tls.pki.caFile` or `proxy.caFile`. */
  caPems: readonly string[];
  crlPems?: readonly string[];
  clientCertPem?: string;
  clientKeyPem?: string;
  clientKeyPassphrase?: string;
  /** Names the settings a bad PEM comes from, for the error message (e.g. "tls.pki"). */
  settingsName: string;
}

const MAX_CONTEXTS = 16;
const contexts = new Map<string, SecureContext>();
let built = 0;

function cacheKey(inputs: SecureContextInputs): string {
  const hash = createHash('sha256');
  const field = (value: string | undefined): void => {
    // Length-prefixed, so no two different inputs hash the same sequence of bytes.
    const text = value ?? '\u0000undefined';
    hash.update(`${Buffer.byteLength(text)}:`);
    hash.update(text);
  };
  const o = inputs.offer;
  for (const value of [
    o.minVersion,
    o.maxVersion,
    o.ciphers,
    o.ecdhCurve,
    o.sigalgs,
    String(inputs.useSystemTrustStore),
    String(inputs.caPems.length),
    ...inputs.caPems,
  ])
    field(value);
  field(String(inputs.crlPems?.length ?? 0));
  for (const crl of inputs.crlPems ?? []) field(crl);
  for (const value of [inputs.clientCertPem, inputs.clientKeyPem, inputs.clientKeyPassphrase]) field(value);
  return hash.digest('hex');
}

/**
 * The shared context for these inputs, built on first use.
 * @throws FtpsctlError FTPSCTL_ERR_PROFILE_INVALID when OpenSSL refuses a CA, CRL, certificate or key
 *   (the message names `settingsName` and OpenSSL's reason, never the PEM text or the passphrase).
 */
export function sharedSecureContext(inputs: SecureContextInputs): SecureContext {
  const key = cacheKey(inputs);
  const cached = contexts.get(key);
  if (cached) return cached;
  const options: SecureContextOptions = {
    minVersion: inputs.offer.minVersion,
    maxVersion: inputs.offer.maxVersion,
    ciphers: inputs.offer.ciphers,
    ecdhCurve: inputs.offer.ecdhCurve,
  };
  // Without the system store an explicit list replaces Node's default roots (an empty list trusts nothing).
  if (!inputs.useSystemTrustStore) options.ca = [...inputs.caPems];
  if (inputs.offer.sigalgs) options.sigalgs = inputs.offer.sigalgs;
  if (inputs.crlPems && inputs.crlPems.length > 0) options.crl = [...inputs.crlPems];
  if (inputs.clientCertPem && inputs.clientKeyPem) {
    options.cert = inputs.clientCertPem;
    options.key = inputs.clientKeyPem;
    if (inputs.clientKeyPassphrase !== undefined) options.passphrase = inputs.clientKeyPassphrase;
  }
  let context: SecureContext;
  try {
    context = createSecureContext(options);
    if (inputs.useSystemTrustStore && !addToSystemStore(context, inputs.caPems))
      context = createSecureContext({ ...options, ca: [...rootCertificates, ...inputs.caPems] });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new FtpsctlError(
      'FTPSCTL_ERR_PROFILE_INVALID',
      `${inputs.settingsName}: OpenSSL cannot use the TLS settings (${reason}); check the CA, CRL, client certificate and key files named there, and that the key belongs to the certificate`,
      { cause: error },
    );
  }
  built += 1;
  if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value as string);
  contexts.set(key, context);
  return context;
}

/**
 * With the system store, the context starts from Node's default root store (parsed once per
 * process and shared, ~1.7 ms) and the extra CAs are added to the context's own copy of it;
 * handing all ~140 roots over as PEM text instead costs ~28 ms of CPU per context. Node
 * copies the shared store before the first addition, so other contexts never see these CAs.
 * Where the native handle lacks addCACert, the context is rebuilt from the full list.
 */
function addToSystemStore(context: SecureContext, caPems: readonly string[]): boolean {
  if (caPems.length === 0) return true;
  const native = (context as SecureContext & { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert !== 'function') return false;
  for (const pem of caPems) native.addCACert(pem);
  return true;
}

/** How many contexts this process has built so far (tests and benchmarks check reuse with it). */
export function secureContextsBuilt(): number {
  return built;
}
