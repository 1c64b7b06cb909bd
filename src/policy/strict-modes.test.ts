import { folderStrictModesProblem, modeProblem, type StrictModesIo, type StrictStat } from './strict-modes';

function io(
  tree: Record<string, { uid: number; mode: number }>,
  uid = 1000,
  platform: NodeJS.Platform = 'linux',
): StrictModesIo {
  return {
    uid,
    platform,
    realpath: async (file) => file,
    stat: async (file): Promise<StrictStat> => {
      const node = tree[file];
      if (!node) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return { uid: node.uid, mode: node.mode, isDirectory: () => true };
    },
  };
}

const sane = {
  '/': { uid: 0, mode: 0o40755 },
  '/etc': { uid: 0, mode: 0o40755 },
  '/etc/ftpsctl': { uid: 0, mode: 0o40755 },
  '/etc/ftpsctl/policies': { uid: 0, mode: 0o40755 },
};

describe('StrictModes on machine policy folders', () => {
  it('accepts a root-owned folder with root-owned, non-writable parents', async () => {
    expect(await folderStrictModesProblem('/etc/ftpsctl/policies', 'root', io(sane))).toBeUndefined();
  });

  it.each([
    [
      '/etc/ftpsctl/policies',
      { uid: 1000, mode: 0o40755 },
      '/etc/ftpsctl/policies is owned by uid 1000, not root; run: chown root /etc/ftpsctl/policies',
    ],
    [
      '/etc/ftpsctl/policies',
      { uid: 0, mode: 0o40775 },
      '/etc/ftpsctl/policies is writable by its group; run: chmod go-w /etc/ftpsctl/policies',
    ],
    [
      '/etc/ftpsctl',
      { uid: 0, mode: 0o40757 },
      '/etc/ftpsctl is writable by every user; run: chmod go-w /etc/ftpsctl (a folder above the policy folder /etc/ftpsctl/policies)',
    ],
    [
      '/etc',
      { uid: 1000, mode: 0o40755 },
      '/etc is owned by uid 1000, not root; run: chown root /etc (a folder above the policy folder /etc/ftpsctl/policies)',
    ],
  ])('refuses when %s is %j', async (where, node, problem) => {
    expect(await folderStrictModesProblem('/etc/ftpsctl/policies', 'root', io({ ...sane, [where]: node }))).toBe(
      problem,
    );
  });

  it('the test override accepts the current user and a sticky /tmp above it; the real folder does not', async () => {
    const tree = {
      '/': { uid: 0, mode: 0o40755 },
      '/tmp': { uid: 0, mode: 0o41777 },
      '/tmp/m': { uid: 1000, mode: 0o40755 },
    };
    expect(await folderStrictModesProblem('/tmp/m', 'root-or-self', io(tree))).toBeUndefined();
    expect(await folderStrictModesProblem('/tmp/m', 'root', io(tree))).toBe(
      '/tmp/m is owned by uid 1000, not root; run: chown root /tmp/m',
    );
    expect(
      await folderStrictModesProblem('/tmp/m', 'root-or-self', io({ ...tree, '/tmp/m': { uid: 1001, mode: 0o40755 } })),
    ).toBe('/tmp/m is owned by uid 1001, not root or uid 1000; run: chown root /tmp/m');
  });

  it('checks files the same way, and says on Windows that there is no uid check here', () => {
    const file = (mode: number): StrictStat => ({ uid: 0, mode, isDirectory: () => false });
    expect(modeProblem('/p/a.xml', file(0o100644), 'root', io(sane))).toBeUndefined();
    expect(modeProblem('/p/a.xml', file(0o100666), 'root', io(sane))).toBe(
      '/p/a.xml is writable by its group and every user; run: chmod go-w /p/a.xml',
    );
    expect(modeProblem('C:\\p\\a.xml', file(0o100666), 'root', io(sane, 1000, 'win32'))).toBeUndefined();
  });
});
