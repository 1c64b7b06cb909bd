/**
 * Issue 11: the listings, replies and failures of servers in the field, each fault as the
 * input that was reported plus variants of its kind, against the scriptable hostile server.
 * The hostile server records every byte it received, so a test proves what was sent.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import {
  DEFAULT_DOWNLOAD,
  DEFAULT_FEATURES,
  startHostileServer,
  type HostileScript,
  type HostileServer,
} from '../../packages/testbed/src/hostile-server';
import { openSession, type FtpsSession } from '../../src/engine';
import { exitCodeFor } from '../../src/errors';
import { timersLeftBy } from '../helpers/armed-timers';
import { engineSettingsFor, type ProfileOverrides } from '../helpers/engine-settings';

const PASSWORD = 'real-world-test-secret-3c9a';
const WITH_MLST = [...DEFAULT_FEATURES, 'MLST type*;size*;modify*;'];
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-real-world-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withSession<T>(
  script: HostileScript,
  run: (session: FtpsSession, server: HostileServer) => Promise<T>,
  overrides: ProfileOverrides = {},
): Promise<T> {
  const server = await startHostileServer(script, { pki: { cert: pki.server.cert, key: pki.server.key } });
  let session: FtpsSession | undefined;
  try {
    session = await openSession(engineSettingsFor(server.port, pki.caFile, overrides), { password: PASSWORD });
    return await run(session, server);
  } finally {
    await session?.close();
    await server.stop();
  }
}

const commandsOf = (server: HostileServer): string[] => server.commandLog().map((c) => c.line);
const sink = (): PassThrough => new PassThrough().resume() as PassThrough;

describe('fault 1: names keep every byte', () => {
  it('IIS: a name that starts with a space is listed with it, and RETR sends it back as it was (the reported input)', async () => {
    const listing = '05-22-22  08:43AM                   31  leading.txt\r\n';
    await withSession({ payloads: { listing, download: 'x'.repeat(31) } }, async (session, server) => {
      const entries = await session.list();
      expect(entries.map((e) => e.name)).toEqual([' leading.txt']);
      const result = await session.get(entries[0].name, sink());
      expect(result.bytes).toBe(31);
      expect(commandsOf(server)).toContain('RETR  leading.txt');
    });
  });

  it.each([
    [
      'IIS <DIR> with exactly ten spaces, then a name with two leading spaces',
      '12-05-96  05:03PM       <DIR>            two spaces\r\n',
      '  two spaces',
    ],
    ['Unix: trailing spaces stay', '-rw-r--r--   1 ftp ftp   3 Nov 20  2021 trailing  \r\n', 'trailing  '],
    [
      'Unix: leading spaces stay (one space after the year is the separator)',
      '-rw-r--r--   1 ftp ftp   3 Nov 20  2021   two leading\r\n',
      '  two leading',
    ],
  ])('%s', async (_name, listing, expected) => {
    await withSession({ payloads: { listing } }, async (session) => {
      expect((await session.list()).map((e) => e.name)).toEqual([expected]);
    });
  });
});

describe('fault 2: a listing line no format fits is reported, never dropped', () => {
  it('keeps the unreadable line next to the entries it could read', async () => {
    const listing = '-rw-r--r-- 1 ftp ftp 3 Nov 20  2021 good.txt\r\nthis is no listing line\r\n';
    await withSession({ payloads: { listing } }, async (session) => {
      const result = await session.listing();
      expect(result.entries.map((e) => e.name)).toEqual(['good.txt']);
      expect(result.unparsed).toEqual(['this is no listing line']);
      const entries = await session.list();
      expect(entries.unparsed).toEqual(['this is no listing line']);
    });
  });
});

describe('fault 3: a reply whose last line carries another code', () => {
  it('glftpd STOR: 553- lines ending in 150 are the 150; the upload goes through at once (the reported input)', async () => {
    const script: HostileScript = {
      upload: {
        preliminary: {
          raw: '553-\r\n553- Directory excluded (precheck).\r\n150 Opening BINARY mode data connection\r\n',
        },
      },
    };
    await withSession(
      script,
      async (session, server) => {
        const result = await session.put(Readable.from([Buffer.from('glftpd upload')]), 'up.txt', { verify: 'none' });
        expect(result.bytes).toBe(13);
        expect(Buffer.concat(server.dataReceived().map((d) => d.bytes)).toString()).toBe('glftpd upload');
      },
      // A long idle timeout: were the reply not taken, the test would hit jest's limit, not pass.
      { network: { idleTimeoutMs: 600_000 } },
    );
  });

  it('names the partial reply instead of saying the server did not answer', async () => {
    await withSession(
      { replies: { CWD: { raw: '250-first line of a reply that never ends\r\n' } } },
      async (session) => {
        const error = await session.cwd('x').catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'FTPSCTL_ERR_TIMEOUT' });
        expect((error as Error).message).toContain('began a reply to CWD and did not finish it');
        expect((error as Error).message).toContain('250-first line of a reply that never ends');
        expect((error as Error).message).not.toContain('did not answer');
      },
      { network: { idleTimeoutMs: 300 } },
    );
  });
});

describe('fault 4: a data connection that fails is explained by the control reply; a hang-up is a network failure', () => {
  const timeout421 = '421 Timeout (30 seconds): closing control connection.';

  it.each(['replies-first', 'close-first'] as const)(
    'RETR answered 421 and both connections closed (%s): exit 6, the 421 named (the reported input)',
    async (order) => {
      const script: HostileScript = {
        dataTls: 'withheld',
        download: { closeDataBeforeTls: { replies: [timeout421], closeControl: true, order } },
      };
      await withSession(script, async (session) => {
        const error = (await session.get('payload.bin', sink()).catch((e: unknown) => e)) as {
          code: string;
          message: string;
        };
        expect(error.code).toBe('FTPSCTL_ERR_CLOSED');
        expect(exitCodeFor(error.code)).toBe(6);
        expect(error.message).toContain(timeout421.slice(4));
        expect(error.message).not.toMatch(/did not answer/);
      });
    },
  );

  it('a data hang-up with no reply at all is a network failure that says no reply came', async () => {
    const script: HostileScript = {
      dataTls: 'withheld',
      download: { closeDataBeforeTls: { replies: [], closeControl: true } },
    };
    await withSession(script, async (session) => {
      const error = (await session.get('payload.bin', sink()).catch((e: unknown) => e)) as {
        code: string;
        message: string;
      };
      expect(exitCodeFor(error.code)).toBe(6);
      expect(error.code).toBe('FTPSCTL_ERR_CLOSED');
    });
  });

  it('a 425 after the data connection closed names the 425 and keeps the session usable', async () => {
    const script: HostileScript = {
      dataTls: 'withheld',
      download: { closeDataBeforeTls: { replies: ["425 Can't open data connection."] } },
    };
    await withSession(script, async (session) => {
      await expect(session.get('payload.bin', sink())).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_COMMAND_FAILED',
        reply: { code: 425 },
      });
      await expect(session.pwd()).resolves.toBe('/');
    });
  });

  it('a 421 to a plain command ends the session as a network failure', async () => {
    await withSession({ replies: { CWD: timeout421 } }, async (session) => {
      await expect(session.cwd('x')).rejects.toMatchObject({ code: 'FTPSCTL_ERR_CLOSED', reply: { code: 421 } });
      await expect(session.pwd()).rejects.toMatchObject({ code: 'FTPSCTL_ERR_CLOSED' });
    });
  });

  describe('data connection closed before any TLS, then 226 (ftpserverlib): decided as empty', () => {
    const closedThen226: HostileScript['download'] = {
      closeDataBeforeTls: {
        replies: ['150 Opening data connection', '226 Closing data connection'],
        order: 'close-first',
      },
    };

    it('an empty listing', async () => {
      await withSession({ dataTls: 'withheld', listing: closedThen226 }, async (session) => {
        expect(await session.list()).toEqual([]);
      });
    });

    it('an empty file when SIZE says 0', async () => {
      await withSession(
        { dataTls: 'withheld', payloads: { download: '' }, download: closedThen226 },
        async (session) => {
          await expect(session.get('empty.bin', sink())).resolves.toMatchObject({ bytes: 0 });
        },
      );
    });

    it('an incomplete download when SIZE says more (exit 6, not a security failure)', async () => {
      await withSession({ dataTls: 'withheld', download: closedThen226 }, async (session) => {
        const error = (await session.get('payload.bin', sink()).catch((e: unknown) => e)) as {
          code: string;
          message: string;
        };
        expect(error.code).toBe('FTPSCTL_ERR_VERIFY');
        expect(error.message).toContain(`0 of ${DEFAULT_DOWNLOAD.length} bytes`);
      });
    });

    it('a failed upload: nothing was sent', async () => {
      await withSession(
        {
          dataTls: 'withheld',
          upload: { closeDataBeforeTls: { replies: ['150 Ok', '226 Done'], order: 'close-first' } },
        },
        async (session) => {
          const error = (await session
            .put(Readable.from([Buffer.from('data')]), 'u.bin', { verify: 'none' })
            .catch((e: unknown) => e)) as { code: string; message: string };
          expect(error.code).toBe('FTPSCTL_ERR_TRANSFER');
          expect(error.message).toContain('nothing was uploaded');
        },
      );
    });
  });
});

describe('fault 5: MLST advertised, MLSD refused', () => {
  const listing = '-rw-r--r-- 1 ftp ftp 3 Nov 20  2021 a.txt\r\n';

  it('falls back to LIST for the rest of the session (the reported input: 500 command not understood)', async () => {
    await withSession({ features: WITH_MLST, payloads: { listing } }, async (session, server) => {
      expect((await session.list()).map((e) => e.name)).toEqual(['a.txt']);
      expect((await session.list()).map((e) => e.name)).toEqual(['a.txt']);
      expect(commandsOf(server).filter((c) => c === 'MLSD' || c === 'LIST')).toEqual(['MLSD', 'LIST', 'LIST']);
    });
  });

  it.each([502, 504])('also after %i', async (code) => {
    await withSession(
      { features: WITH_MLST, payloads: { listing }, replies: { MLSD: `${code} not here` } },
      async (session) => {
        expect((await session.listing()).command).toBe('LIST');
      },
    );
  });

  it('transfer.listing mlsd: the refusal is an error naming the setting', async () => {
    await withSession(
      { features: WITH_MLST, payloads: { listing } },
      async (session) => {
        await expect(session.list()).rejects.toMatchObject({
          code: 'FTPSCTL_ERR_COMMAND_FAILED',
          message: expect.stringContaining('transfer.listing is mlsd'),
        });
      },
      { transfer: { listing: 'mlsd' } },
    );
  });

  it('transfer.listing list: MLSD is never sent', async () => {
    await withSession(
      { features: WITH_MLST, payloads: { listing, mlsd: 'type=file;size=1; m.txt\r\n' } },
      async (session, server) => {
        expect((await session.list()).map((e) => e.name)).toEqual(['a.txt']);
        expect(commandsOf(server)).not.toContain('MLSD');
      },
      { transfer: { listing: 'list' } },
    );
  });

  it('stat(): 550 is "does not exist", 500 falls back to SIZE/MDTM, another 5xx is an error', async () => {
    await withSession({ features: WITH_MLST, replies: { MLST: '550 No such file' } }, async (session) => {
      await expect(session.stat('missing')).resolves.toBeUndefined();
    });
    await withSession(
      { features: WITH_MLST, replies: { MLST: "500 'MLST': command not understood." } },
      async (session, server) => {
        await expect(session.stat('payload.bin')).resolves.toMatchObject({ size: DEFAULT_DOWNLOAD.length });
        await session.stat('payload.bin');
        expect(commandsOf(server).filter((c) => c.startsWith('MLST'))).toHaveLength(1);
      },
    );
    await withSession({ features: WITH_MLST, replies: { MLST: '530 Not logged in' } }, async (session) => {
      await expect(session.stat('x')).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_COMMAND_FAILED',
        reply: { code: 530 },
      });
    });
  });
});

describe('fault 6: names that are not UTF-8 round-trip byte for byte', () => {
  const latin1Name = Buffer.from('caf\u00e9.txt', 'latin1');
  const listing = Buffer.concat([Buffer.from('-rw-r--r-- 1 ftp ftp 3 Nov 20  2021 '), latin1Name, Buffer.from('\r\n')]);
  const noUtf8 = DEFAULT_FEATURES.filter((f) => f !== 'UTF8');

  it('auto (no UTF8 in FEAT): the name keeps its byte and RETR sends it back unchanged (the reported input)', async () => {
    await withSession({ features: noUtf8, payloads: { listing, download: 'abc' } }, async (session, server) => {
      const [entry] = await session.list();
      expect(entry.name).toBe('caf\udce9.txt');
      await session.get(entry.name, sink());
      expect(
        server.controlBytes().includes(Buffer.concat([Buffer.from('RETR '), latin1Name, Buffer.from('\r\n')])),
      ).toBe(true);
      expect(commandsOf(server)).not.toContain('OPTS UTF8 ON');
    });
  });

  it('latin1: the name reads as text and goes back as the same byte', async () => {
    await withSession(
      { features: noUtf8, payloads: { listing, download: 'abc' } },
      async (session, server) => {
        const [entry] = await session.list();
        expect(entry.name).toBe('café.txt');
        await session.get(entry.name, sink());
        expect(
          server.controlBytes().includes(Buffer.concat([Buffer.from('RETR '), latin1Name, Buffer.from('\r\n')])),
        ).toBe(true);
      },
      { network: { encoding: 'latin1' } },
    );
  });

  it('latin1: a name with a character ISO-8859-1 lacks is refused before anything is sent', async () => {
    await withSession(
      {},
      async (session, server) => {
        await expect(session.get('€.txt', sink())).rejects.toMatchObject({
          code: 'FTPSCTL_ERR_USAGE',
          message: expect.stringContaining('network.encoding latin1'),
        });
        expect(commandsOf(server).some((c) => c.includes('.txt'))).toBe(false);
      },
      { network: { encoding: 'latin1' } },
    );
  });

  it('utf8: OPTS UTF8 ON is sent even when FEAT does not list UTF8', async () => {
    await withSession(
      { features: noUtf8 },
      async (_session, server) => {
        expect(commandsOf(server)).toContain('OPTS UTF8 ON');
      },
      { network: { encoding: 'utf8' } },
    );
  });
});

describe('fault 7: MLSD times with any number of fraction digits', () => {
  it('reads modify=20261120101500.1234 (the reported input), and warns about a time it cannot read', async () => {
    const mlsd =
      'type=file;size=3;modify=20261120101500.1234; a.txt\r\ntype=file;size=3;modify=2026112010150; b.txt\r\n';
    await withSession({ features: WITH_MLST, payloads: { mlsd } }, async (session) => {
      const result = await session.listing();
      expect(result.entries[0].modifiedAt).toEqual(new Date(Date.UTC(2026, 10, 20, 10, 15, 0, 123)));
      expect(result.entries[1]).toMatchObject({ name: 'b.txt', timeProblem: '2026112010150' });
      expect(result.entries[1].modifiedAt).toBeUndefined();
      expect(result.warnings).toEqual([
        'the time of "b.txt" could not be read ("2026112010150"); it is listed without one',
      ]);
    });
  });
});

describe('fault 8: repeated preliminary replies', () => {
  it('RETR answered 150, then 125, the data, then 226 (the reported input)', async () => {
    await withSession(
      { download: { preliminaries: ['150 Opening BINARY mode data connection', '125 Data connection already open'] } },
      async (session) => {
        await expect(session.get('payload.bin', sink())).resolves.toMatchObject({ bytes: DEFAULT_DOWNLOAD.length });
      },
    );
  });

  it('LIST answered 125 then 150', async () => {
    await withSession(
      { listing: { preliminaries: ['125 Data connection already open', '150 Here it comes'] } },
      async (session) => {
        expect(await session.list()).toHaveLength(1);
      },
    );
  });

  it('a positive reply is never called a refusal: RMD answered 200 succeeds, RNFR answered 200 is out of protocol', async () => {
    await withSession({ replies: { RMD: '200 Directory removed', RNFR: '200 OK' } }, async (session) => {
      await expect(session.rmdir('d')).resolves.toBeUndefined();
      const error = (await session.rename('a', 'b').catch((e: unknown) => e)) as { code: string; message: string };
      expect(error.code).toBe('FTPSCTL_ERR_PROTOCOL');
      expect(error.message).toBe('127.0.0.1 answered RNFR a with 200 OK, not 350');
    });
  });

  it('greeting: 120 twice, then 220', async () => {
    await withSession(
      { greeting: { raw: '120 Service ready in 1 minute\r\n120 Still starting\r\n220 Ready\r\n' } },
      async (session) => {
        expect(session.info().greeting).toBe('Ready');
      },
    );
  });
});

describe('fault 9: a 229 that cannot be parsed', () => {
  const malformed = '229 Entering Extended Passive Mode (||6446|)';

  it('auto: falls back to PASV for the rest of the session (the reported input: one delimiter missing)', async () => {
    await withSession({ replies: { EPSV: malformed } }, async (session, server) => {
      expect(await session.list()).toHaveLength(1);
      expect(await session.list()).toHaveLength(1);
      expect(commandsOf(server).filter((c) => c === 'EPSV' || c === 'PASV')).toEqual(['EPSV', 'PASV', 'PASV']);
    });
  });

  it('epsv: no fallback, the error names the setting', async () => {
    await withSession(
      { replies: { EPSV: malformed } },
      async (session, server) => {
        await expect(session.list()).rejects.toMatchObject({
          code: 'FTPSCTL_ERR_PROTOCOL',
          message: expect.stringContaining('network.passiveMode is epsv'),
        });
        expect(commandsOf(server)).not.toContain('PASV');
      },
      { network: { passiveMode: 'epsv' } },
    );
  });

  it('pasv: EPSV is never sent', async () => {
    await withSession(
      {},
      async (session, server) => {
        expect(await session.list()).toHaveLength(1);
        expect(commandsOf(server)).not.toContain('EPSV');
      },
      { network: { passiveMode: 'pasv' } },
    );
  });
});

describe('fault 10: every socket and timer ends with the work', () => {
  it('a refused RETR whose data handshake never started leaves no timer armed (the reported input)', async () => {
    const left = await timersLeftBy(() =>
      withSession(
        { dataTls: 'withheld', replies: { RETR: '550 No such file' } },
        async (session) => {
          await expect(session.get('missing.bin', sink())).rejects.toMatchObject({
            code: 'FTPSCTL_ERR_COMMAND_FAILED',
            reply: { code: 550 },
          });
        },
        { network: { connectTimeoutMs: 600_000 } },
      ),
    );
    // The leak this guards against is the 600 s connect timer of the data handshake.
    expect(left.filter((ms) => ms >= 1000)).toEqual([]);
  });
});

describe('resumed downloads hash only what moved, and say so', () => {
  it('sha256Range covers the bytes of this transfer; the part on disk is not read', async () => {
    const file = path.join(dir, 'resume.bin');
    const head = DEFAULT_DOWNLOAD.subarray(0, 1000);
    writeFileSync(file, head);
    const tail = DEFAULT_DOWNLOAD.subarray(1000);
    await withSession(
      { replies: { REST: '350 Restarting at 1000' }, payloads: { download: tail } },
      async (session, server) => {
        const result = await session.get('payload.bin', file, {
          offset: 1000,
          sha256: true,
          verify: 'size',
          remoteSize: DEFAULT_DOWNLOAD.length,
        });
        expect(commandsOf(server)).toContain('REST 1000');
        expect(readFileSync(file).equals(DEFAULT_DOWNLOAD)).toBe(true);
        expect(result).toMatchObject({
          offset: 1000,
          bytes: tail.length,
          verifiedBy: 'size',
          sha256Range: { start: 1000, end: DEFAULT_DOWNLOAD.length },
        });
        expect(result.sha256).toBe(createHash('sha256').update(tail).digest('hex'));
      },
    );
  });
});
