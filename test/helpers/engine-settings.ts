/** EngineSettings for tests: a profile for 127.0.0.1 with every default applied, then overrides. */
import { applyDefaults } from '../../src/settings/apply-defaults';
import type { SessionProfile } from '../../src/settings/generated/session-profile';
import type { EngineSettings } from '../../src/engine/engine-settings';

export type ProfileOverrides = Partial<Omit<SessionProfile, 'tls' | 'network' | 'transfer'>> & {
  tls?: Partial<Omit<NonNullable<SessionProfile['tls']>, 'pki'>> & {
    pki?: NonNullable<NonNullable<SessionProfile['tls']>['pki']>;
  };
  network?: NonNullable<SessionProfile['network']>;
  transfer?: NonNullable<SessionProfile['transfer']>;
};

export function engineSettingsFor(port: number, caFile: string, overrides: ProfileOverrides = {}): EngineSettings {
  const { tls, network, transfer, ...top } = overrides;
  const profile: SessionProfile = {
    name: 'test',
    host: '127.0.0.1',
    port,
    user: 'alice',
    password: { env: 'FTPSCTL_TEST_PASSWORD' },
    ...top,
    tls: { ...tls, pki: { caFile, useSystemTrustStore: false, ...tls?.pki } },
    network: { connectTimeoutMs: 5000, idleTimeoutMs: 10000, ...network },
    ...(transfer ? { transfer } : {}),
  } as SessionProfile;
  return applyDefaults(profile);
}
