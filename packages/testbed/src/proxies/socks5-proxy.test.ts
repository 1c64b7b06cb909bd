/**
 * dante 1.4.2 (dante-server) as a SOCKS5 proxy with username/password (RFC 1929) checked by
 * a per-instance PAM service (pam_pwdfile), proven with curl 7.88. What these tests found:
 * a wrong password is refused during the RFC 1929 sub-negotiation (curl: "User was rejected
 * by the SOCKS5 server (1 1)", exit 97), a target other than 127.0.0.1 gets a SOCKS reply
 * "connection not allowed by ruleset" (curl: "(2)", exit 97); neither connects to the target.
 */
import { readdirSync } from 'node:fs';
import { assertCurlThroughProxySucceeded, curlThroughProxy } from './curl-through-proxy';
import { describeWithProxy } from './describe-with-proxy';
import { startLoopbackTarget, type LoopbackTarget } from './loopback-target';
import type { RunningProxy } from './proxy';
import { startSocks5Proxy } from './start-socks5-proxy';
import { waitForLoggedConnections } from './wait-for-logged-connections';

jest.setTimeout(30_000);

const PASSWORD = 'pw:with "quotes", \\backslash and spaces';

const ourPamServices = (): string[] =>
  readdirSync('/etc/pam.d').filter((name) => name.startsWith(`ftpsctl-danted-${process.pid}-`));

describeWithProxy('socks5', 'dante SOCKS5 proxy with username/password', () => {
  let proxy: RunningProxy;
  let target: LoopbackTarget;
  beforeAll(async () => {
    target = await startLoopbackTarget();
    proxy = await startSocks5Proxy({ user: 'bob', password: PASSWORD });
  });
  afterAll(async () => {
    await proxy?.stop();
    await target?.close();
  });

  test('curl reaches the target through SOCKS5 with username/password', async () => {
    const before = { target: target.connectionsAccepted(), proxy: proxy.connectionsSeen() };
    const result = await curlThroughProxy(proxy, { url: `http://127.0.0.1:${target.port}/` });
    assertCurlThroughProxySucceeded(result, proxy);
    expect(result.stdout).toBe(target.body);
    expect(result.verbose).toContain(`SOCKS5 connect to IPv4 127.0.0.1:${target.port}`);
    expect(target.connectionsAccepted()).toBe(before.target + 1);
    expect(await waitForLoggedConnections(proxy, before.proxy + 1)).toBe(before.proxy + 1);
    expect(proxy.log()).toMatch(/pass\(1\): tcp\/connect \]: .*pam\.username%bob@127\.0\.0\.1/);
  });

  test('curl with a wrong password is rejected and the target sees no connection', async () => {
    const before = { target: target.connectionsAccepted(), proxy: proxy.connectionsSeen() };
    const result = await curlThroughProxy(proxy, {
      url: `http://127.0.0.1:${target.port}/`,
      login: { user: 'bob', password: 'wrong' },
    });
    expect(result.exitCode).toBe(97);
    expect(result.verbose).toContain('User was rejected by the SOCKS5 server (1 1)');
    expect(target.connectionsAccepted()).toBe(before.target);
    expect(await waitForLoggedConnections(proxy, before.proxy + 1)).toBe(before.proxy + 1);
    expect(proxy.log()).toContain('pam_authenticate() for user "bob" failed');
  });

  test('curl to a target other than 127.0.0.1 is refused by the ruleset', async () => {
    const before = target.connectionsAccepted();
    // 127.0.0.2: loopback, so even a misconfigured proxy would send nothing off the machine.
    const result = await curlThroughProxy(proxy, { url: `http://127.0.0.2:${target.port}/` });
    expect(result.exitCode).toBe(97);
    expect(result.verbose).toContain("Can't complete SOCKS5 connection to 127.0.0.2. (2)");
    expect(target.connectionsAccepted()).toBe(before);
  });

  test('curl offering no credentials gets no acceptable method', async () => {
    const result = await curlThroughProxy(proxy, { url: `http://127.0.0.1:${target.port}/`, login: null });
    expect(result.exitCode).toBe(97);
    expect(result.verbose).toContain('No authentication method was acceptable.');
  });

  test('stop() ends dante and removes its PAM service', async () => {
    const other = await startSocks5Proxy();
    expect(ourPamServices()).toHaveLength(2);
    await other.stop();
    expect(ourPamServices()).toHaveLength(1);
    const result = await curlThroughProxy(other, { url: `http://127.0.0.1:${target.port}/` });
    expect(result.exitCode).toBe(7);
  });
});
