/**
 * What the engine needs from a resolved profile, and the secrets it needs at run time.
 * The engine never reads a policy or a profile: the session layer hands it settings that
 * already passed resolution, and secrets it fetched from their sources.
 */
import type { EffectiveProfile } from '../settings/generated/effective-profile';

export type EngineSettings = Pick<
  EffectiveProfile,
  'host' | 'port' | 'user' | 'tls' | 'network' | 'transfer' | 'proxy'
>;

/** Secrets, in memory only; never logged, never in an error or an audit event. */
export interface Credentials {
  password: string;
  /** Passphrase of an encrypted client-certificate key. */
  clientKeyPassphrase?: string;
  /** Password at the proxy (proxy.authorization). */
  proxyPassword?: string;
}

/** How the FIPS promise of a session was kept (DESIGN.md: say honestly which one). */
export type FipsState = 'off' | 'validated-module' | 'approved-algorithms-only';
