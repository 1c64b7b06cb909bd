import { ruleCovers, ruleMatchesValue, rulesIntersect } from './list-rules';

describe('list rules by setting', () => {
  it('ports: ranges match, intersect and cover by the ports they hold', () => {
    expect(ruleMatchesValue('port', '1000-2000', 1500)).toBe(true);
    expect(ruleMatchesValue('port', '1000-2000', 2001)).toBe(false);
    expect(rulesIntersect('port', '1000-2000', '1500')).toBe(true);
    expect(rulesIntersect('port', '1000-2000', '2001-3000')).toBe(false);
    expect(rulesIntersect('proxy.port', '*', '8080')).toBe(true);
    expect(ruleCovers('port', '1-100', '21')).toBe(true);
    expect(ruleCovers('port', '1-100', '90-110')).toBe(false);
  });

  it('hosts: address blocks by their prefixes, globs by their names, a glob and a block as possibly overlapping', () => {
    expect(rulesIntersect('host', '10.0.0.0/8', '10.1.0.0/16')).toBe(true);
    expect(rulesIntersect('host', '10.0.0.0/8', '192.168.0.0/16')).toBe(false);
    expect(rulesIntersect('host', '*.corp.example', '*.bank.example')).toBe(false);
    expect(rulesIntersect('host', '*.corp.example', '10.0.0.0/8')).toBe(true);
    expect(rulesIntersect('host', '10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(ruleCovers('host', '10.0.0.0/8', '10.1.0.0/16')).toBe(true);
    expect(ruleCovers('host', '10.1.0.0/16', '10.0.0.0/8')).toBe(false);
    expect(ruleCovers('host', '*.example', 'ftp.corp.example')).toBe(true);
    expect(ruleCovers('host', '*.example', '10.0.0.0/8')).toBe(false);
    expect(ruleMatchesValue('host', '10.0.0.0/8', '10.1.2.3')).toBe(true);
    expect(ruleMatchesValue('host', '*.corp.example', 'FTP.Corp.Example.')).toBe(true);
  });

  it('pins exactly, fingerprints in either spelling, user names and paths as globs', () => {
    const pin = `sha256//${'A'.repeat(43)}=`;
    expect(ruleMatchesValue('tls.pki.pinnedPublicKeySha256', pin, pin)).toBe(true);
    expect(ruleMatchesValue('tls.pki.pinnedPublicKeySha256', pin.toLowerCase(), pin)).toBe(false);
    const hex = 'ab'.repeat(32);
    expect(ruleMatchesValue('tls.pki.pinnedSha256', hex.toUpperCase().match(/../g)!.join(':'), hex)).toBe(true);
    expect(ruleMatchesValue('user', 'svc-*', 'svc-ftp')).toBe(true);
    expect(ruleMatchesValue('tls.pki.caFile', '/etc/ssl/corp/*.pem', '/etc/ssl/corp/root.pem')).toBe(true);
  });
});
