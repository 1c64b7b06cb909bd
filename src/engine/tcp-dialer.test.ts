import { PassThrough } from 'node:stream';
import { SessionError } from '../errors';
import { checkedDialer, checkedProxyTargets, type Dialer, type DialTarget } from './tcp-dialer';

function recordingDialer(peerAddress?: string): { dialer: Dialer; dialed: DialTarget[]; destroyed: () => boolean } {
  const dialed: DialTarget[] = [];
  const socket = new PassThrough();
  return {
    dialed,
    destroyed: () => socket.destroyed,
    dialer: async (target) => {
      dialed.push(target);
      return { socket, ...(peerAddress ? { peerAddress } : {}) };
    },
  };
}

const denyLoopback = (address: string): void => {
  if (address.startsWith('127.')) throw new Error(`denied ${address}`);
};

describe('checkedDialer: the address checked is the address dialed', () => {
  it('resolves a name, checks every address, and dials the first by number', async () => {
    const base = recordingDialer('192.0.2.7');
    const seen: string[] = [];
    const dial = checkedDialer(
      base.dialer,
      (a) => void seen.push(a),
      async () => ['192.0.2.7', '2001:db8::7'],
    );
    await dial({ host: 'files.example', port: 21, purpose: 'control' }, 1000);
    expect(seen).toEqual(['192.0.2.7', '2001:db8::7', '192.0.2.7']);
    expect(base.dialed).toEqual([{ host: 'files.example', port: 21, purpose: 'control', address: '192.0.2.7' }]);
  });

  it('dials the next address when one refuses (a name whose first address is ::1, a server on 127.0.0.1), not after a timeout', async () => {
    const dialed: string[] = [];
    const socket = new PassThrough();
    const base: Dialer = async (target) => {
      dialed.push(target.address ?? '');
      if (target.address === '::1') throw new SessionError('FTPSCTL_ERR_CONNECT', 'refused');
      if (target.address === '192.0.2.9') throw new SessionError('FTPSCTL_ERR_TIMEOUT', 'took too long');
      return { socket, peerAddress: target.address ?? '' };
    };
    const dial = checkedDialer(
      base,
      () => undefined,
      async () => ['::1', '127.0.0.1'],
    );
    await expect(dial({ host: 'localhost', port: 21, purpose: 'control' }, 1000)).resolves.toMatchObject({
      peerAddress: '127.0.0.1',
    });
    expect(dialed).toEqual(['::1', '127.0.0.1']);
    const everyRefused = checkedDialer(
      base,
      () => undefined,
      async () => ['::1', '::1'],
    );
    await expect(everyRefused({ host: 'h', port: 21, purpose: 'control' }, 1000)).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_CONNECT',
    });
    const timedOut = checkedDialer(
      base,
      () => undefined,
      async () => ['192.0.2.9', '127.0.0.1'],
    );
    await expect(timedOut({ host: 'h', port: 21, purpose: 'control' }, 1000)).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_TIMEOUT',
    });
  });

  it('refuses before dialing when any resolved address is denied', async () => {
    const base = recordingDialer();
    const dial = checkedDialer(base.dialer, denyLoopback, async () => ['192.0.2.7', '127.0.0.1']);
    await expect(dial({ host: 'sneaky.example', port: 21, purpose: 'data' }, 1000)).rejects.toThrow('denied 127.0.0.1');
    expect(base.dialed).toEqual([]);
  });

  it('checks an IP host as given (IPv4-mapped as IPv4), and the peer once connected', async () => {
    const base = recordingDialer('::ffff:127.0.0.1');
    const dial = checkedDialer(base.dialer, denyLoopback, async () => {
      throw new Error('no DNS for IP literals');
    });
    await expect(dial({ host: '::ffff:127.0.0.1', port: 21, purpose: 'control' }, 1000)).rejects.toThrow(
      'denied 127.0.0.1',
    );
    const allowing = checkedDialer(base.dialer, denyLoopback, async () => ['192.0.2.1']);
    await expect(allowing({ host: 'rebinds.example', port: 21, purpose: 'control' }, 1000)).rejects.toThrow(
      'denied 127.0.0.1',
    );
    expect(base.destroyed()).toBe(true);
  });

  it('a name that does not resolve is a connect error naming the host', async () => {
    const dial = checkedDialer(
      recordingDialer().dialer,
      () => undefined,
      async () => {
        throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
      },
    );
    await expect(dial({ host: 'nowhere.invalid', port: 21, purpose: 'control' }, 1000)).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_CONNECT',
      message: expect.stringContaining(
        'nowhere.invalid:21 (control connection): the host name does not resolve (ENOTFOUND)',
      ),
    });
  });

  it('through a proxy, the name the proxy is asked to reach is checked', async () => {
    const base = recordingDialer();
    const seen: Array<[string, string, string]> = [];
    const dial = checkedProxyTargets(base.dialer, (a, purpose, via) => void seen.push([a, purpose, via]));
    await dial({ host: 'files.example', port: 21, purpose: 'control' }, 1000);
    expect(seen).toEqual([['files.example', 'control', 'proxy']]);
  });
});
