import path from 'node:path';
import { folderLevels } from './folder-levels';

describe('folderLevels', () => {
  it('lists each folder below the root down to dir, and nothing for the root itself', () => {
    expect(folderLevels('/r', '/r/a/b')).toEqual([path.resolve('/r/a'), path.resolve('/r/a/b')]);
    expect(folderLevels('/r', '/r')).toEqual([]);
    expect(folderLevels('/r/', '/r/a/../a')).toEqual([path.resolve('/r/a')]);
  });

  it('is undefined for a folder outside the root', () => {
    expect(folderLevels('/r', '/other')).toBeUndefined();
    expect(folderLevels('/r', '/r/../x')).toBeUndefined();
    expect(folderLevels('/r/a', '/r')).toBeUndefined();
  });
});
