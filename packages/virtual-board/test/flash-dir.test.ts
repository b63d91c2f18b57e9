import * as os from 'node:os';
import * as path from 'node:path';
import { defaultFlashDir } from '../src';

describe('defaultFlashDir', () => {
  const saved = process.env.XDG_DATA_HOME;
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_DATA_HOME;
    else process.env.XDG_DATA_HOME = saved;
  });

  test('lives under XDG_DATA_HOME, else ~/.local/share, per board name', () => {
    process.env.XDG_DATA_HOME = '/data/home';
    expect(defaultFlashDir('demo')).toBe('/data/home/ide49/virtual-boards/demo');
    delete process.env.XDG_DATA_HOME;
    expect(defaultFlashDir('demo')).toBe(path.join(os.homedir(), '.local/share/ide49/virtual-boards/demo'));
  });

  test('refuses names that are not a single folder name', () => {
    expect(() => defaultFlashDir('../etc')).toThrow(/cannot name a folder/);
    expect(() => defaultFlashDir('a/b')).toThrow(/cannot name a folder/);
  });
});
