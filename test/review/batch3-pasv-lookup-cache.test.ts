/**
 * Review (batch 3, data-connection.ts resolveHere): "the local look-up behind a proxy's PASV is
 * remembered for a minute". Through a proxy, network.nat false compares the PASV address with
 * what the control host's name resolves to here; the answer is now cached per name for 60 s,
 * whatever it was and whatever the DNS TTL says.
 *
 * Found:
 *  - A transient resolver failure (EAI_AGAIN, a 2 s timeout under load) is cached as "does not
 *    resolve here" for a minute: every PASV in that minute (a mirror, a library user's next
 *    sessions) skips the network.nat false check, although the resolver answers again: a PASV
 *    naming a third host is no longer refused (fail-open for a minute, not for one look-up).
 *  - An answer is kept for a minute regardless of its TTL: after a fail-over moves the name to
 *    another address (and the server there names its own address in PASV), sessions in the same
 *    process are refused with FTPSCTL_ERR_PASV_ADDRESS ("set network.nat to true") until the
 *    minute is over.
 *
 * The look-up is module-level (no injection point): the test replaces node:dns/promises' lookup.
 */
import dns from 'node:dns/promises';
import type { ControlConnection } from '../../src/engine/control-connection';
import { passiveEndpoint } from '../../src/engine/data-connection';
import type { FtpReply } from '../../src/engine/parse-reply';

/** A control connection that answers PASV with `address`:40001 (through a proxy: no peer address). */
function pasvControl(address: string): ControlConnection {
  return {
    request: async (): Promise<FtpReply> => {
      const text = `227 Entering Passive Mode (${address.split('.').join(',')},156,65)`;
      return { code: 227, lines: [text], message: text.slice(4) };
    },
  } as unknown as ControlConnection;
}

let answers: Array<() => Promise<Array<{ address: string; family: number }>>>;
beforeEach(() => {
  answers = [];
  jest.spyOn(dns, 'lookup').mockImplementation((async () => {
    const next = answers.shift();
    if (!next) throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    return next();
  }) as unknown as typeof dns.lookup);
});
afterEach(() => jest.restoreAllMocks());

it('a transient look-up failure does not switch off the network.nat false check for the next minute', async () => {
  const host = 'ftp-transient.corp.example';
  answers.push(async () => {
    throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
  });
  answers.push(async () => [{ address: '192.0.2.10', family: 4 }]);
  // First PASV: the resolver failed, nothing to compare: the control host is used (documented).
  await expect(
    passiveEndpoint(pasvControl('192.0.2.10'), { epsv: false }, { host, nat: false }),
  ).resolves.toMatchObject({ port: 40001 });
  // The resolver answers again: a PASV naming a third host is refused, as network.nat false says.
  await expect(
    passiveEndpoint(pasvControl('203.0.113.9'), { epsv: false }, { host, nat: false }),
  ).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PASV_ADDRESS' });
});

it('after the name moves to another address, a server naming its own new address is not refused for a minute', async () => {
  const host = 'ftp-failover.corp.example';
  answers.push(async () => [{ address: '192.0.2.10', family: 4 }]);
  answers.push(async () => [{ address: '198.51.100.7', family: 4 }]);
  await expect(
    passiveEndpoint(pasvControl('192.0.2.10'), { epsv: false }, { host, nat: false }),
  ).resolves.toMatchObject({ natRewritten: false });
  // Fail-over: the name now resolves to 198.51.100.7, whose server names itself in PASV.
  await expect(
    passiveEndpoint(pasvControl('198.51.100.7'), { epsv: false }, { host, nat: false }),
  ).resolves.toMatchObject({ port: 40001 });
});
