import Ajv2020 from 'ajv/dist/2020';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { listSettings } from './settings-catalog';
import { profileSchema, profileValidator } from './profile-schema';
import { registerAnnotationKeywords } from './schema-validators';
import { validateProfileText } from '../profile/validate-profile';

describe('the profile schema', () => {
  it('compiles in strict mode with our annotation keywords', () => {
    expect(typeof profileValidator()).toBe('function');
  });

  it('rejects a malformed x-policy annotation (the keyword is checked, not ignored)', () => {
    const ajv = registerAnnotationKeywords(new Ajv2020({ strict: true }));
    expect(() => ajv.compile({ type: 'boolean', 'x-policy': { enforce: ['floorz'] } })).toThrow(
      'keyword "x-policy" value is invalid at path "#": data/enforce/0 must be equal to one of the allowed values',
    );
    expect(() => ajv.compile({ type: 'boolean', 'x-unknown': 1 })).toThrow(/unknown keyword/);
  });

  it('describes every setting and gives an order to every ordered policy kind', () => {
    for (const setting of listSettings()) {
      expect({ path: setting.path, described: Boolean(setting.schema.description) }).toEqual({
        path: setting.path,
        described: true,
      });
      const policy = setting.schema['x-policy'];
      if (policy && (policy.enforce.includes('floor') || policy.enforce.includes('ceiling'))) {
        expect({ path: setting.path, order: policy.order !== undefined }).toEqual({ path: setting.path, order: true });
      }
      if (policy && Array.isArray(policy.order) && setting.schema.enum) {
        expect(new Set(policy.order)).toEqual(new Set(setting.schema.enum));
      }
    }
  });

  it('lets policies manage the settings DESIGN.md names', () => {
    const managed = listSettings()
      .filter((s) => s.schema['x-policy'])
      .map((s) => s.path);
    expect(managed).toEqual(
      expect.arrayContaining([
        'host',
        'tls.fipsMode',
        'tls.minVersion',
        'tls.validateCertificateChain',
        'tls.encryptDataChannel',
        'tls.clearCommandChannel',
        'proxy.enabled',
        'audit.logFile',
      ]),
    );
  });

  it('uses additionalProperties: false on every object', () => {
    const walk = (node: unknown, where: string): void => {
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.type === 'object' && record.properties && !where.includes('/allOf/'))
        expect({ where, closed: record.additionalProperties }).toEqual({ where, closed: false });
      for (const [key, value] of Object.entries(record)) walk(value, `${where}/${key}`);
    };
    walk(profileSchema, '#');
  });
});

describe('example profiles', () => {
  const dir = path.join(__dirname, '../../examples/profiles');

  it('are all valid, and cover every deployment the docs promise', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    const profiles = await Promise.all(
      files.map(async (f) => {
        const result = validateProfileText(await readFile(path.join(dir, f), 'utf8'));
        expect({ file: f, problems: result.problems }).toEqual({ file: f, problems: [] });
        return result.valid ? result.profile : undefined;
      }),
    );
    const has = (predicate: (p: NonNullable<(typeof profiles)[number]>) => boolean): boolean =>
      profiles.some((p) => p !== undefined && predicate(p));
    expect({
      explicit: has((p) => p.tls?.implicit !== true),
      implicit: has((p) => p.tls?.implicit === true),
      fips: has((p) => p.tls?.fipsMode === true),
      clientCertificate: has((p) => p.tls?.pki?.clientCertificate !== undefined),
      pinnedWithoutValidation: has(
        (p) => p.tls?.validateCertificateChain === false && (p.tls.pki?.pinnedSha256?.length ?? 0) > 0,
      ),
      nat: has((p) => p.network?.nat === true),
      proxy: has((p) => p.proxy?.enabled === true),
    }).toEqual({
      explicit: true,
      implicit: true,
      fips: true,
      clientCertificate: true,
      pinnedWithoutValidation: true,
      nat: true,
      proxy: true,
    });
  });
});
