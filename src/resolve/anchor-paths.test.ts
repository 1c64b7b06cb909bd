import path from 'node:path';
import { applyDefaults } from '../settings/apply-defaults';
import { anchorProfilePaths } from './anchor-paths';
import type { Resolution, ResolvedSetting } from './resolution';

const profile = applyDefaults({
  name: 'p',
  host: 'h',
  user: 'u',
  password: { file: 'pw.txt' },
  tls: { pki: { caFile: 'ca.pem', clientCertificate: { certFile: 'c.pem', keyFile: '/abs/k.pem' } } },
  audit: { logFile: 'audit/a.jsonl' },
});

const setting = (source: ResolvedSetting['source'], file?: string): ResolvedSetting => ({
  value: 'x',
  source,
  status: source === 'policy' ? 'applied' : 'profile',
  ...(file ? { file } : {}),
});

describe('anchorProfilePaths', () => {
  it("resolves a profile's relative paths from the profile's folder and keeps absolute ones", () => {
    const anchored = anchorProfilePaths(profile, '/home/alice/profiles/p.json');
    expect(anchored.password).toEqual({ file: '/home/alice/profiles/pw.txt' });
    expect(anchored.tls.pki.caFile).toBe('/home/alice/profiles/ca.pem');
    expect(anchored.tls.pki.clientCertificate).toMatchObject({
      certFile: '/home/alice/profiles/c.pem',
      keyFile: '/abs/k.pem',
    });
    expect(anchored.audit?.logFile).toBe('/home/alice/profiles/audit/a.jsonl');
  });

  it("resolves a policy's relative paths from the policy file's folder, never the user's", () => {
    const resolution = {
      settings: {
        'tls.pki.caFile': setting('policy', '/etc/ftpsctl/policies/10-corp.xml'),
        'audit.logFile': setting('policy', '/etc/ftpsctl/policies/10-corp.xml'),
        password: setting('profile'),
      },
    } as unknown as Resolution;
    const anchored = anchorProfilePaths(profile, '/home/alice/profiles/p.json', resolution);
    expect(anchored.tls.pki.caFile).toBe(path.resolve('/etc/ftpsctl/policies/ca.pem'));
    expect(anchored.audit?.logFile).toBe('/etc/ftpsctl/policies/audit/a.jsonl');
    expect(anchored.password).toEqual({ file: '/home/alice/profiles/pw.txt' });
  });
});
