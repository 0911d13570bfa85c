// kpath's private folders (src/io/files.ts privateDir: the cache of listings, code and source
// mappings): made with mode 0700 when missing, and refused, with what to do, when something else is
// in their place, another user owns them or others may write in them.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { privateDir } from '../../src/io/files';
import { useLanguage } from '../../src/l10n';
import { makeTempDir, removeTempDir } from '../helpers/cli';

const root = makeTempDir('kpath-private-');
after(() => removeTempDir(root));

test('a missing folder is made, for this user only, with its parents', () => {
  const dir = path.join(root, 'a', 'kpath');
  assert.equal(privateDir(dir), dir);
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  assert.equal(privateDir(dir), dir, 'an existing private folder is taken as it is');
});

test('a file or a link in its place is refused', () => {
  const file = path.join(root, 'file');
  fs.writeFileSync(file, '');
  assert.throws(() => privateDir(file), { message: `${file} is not a folder (a link or a file is in its place); remove it and try again` });
  const target = path.join(root, 'elsewhere');
  fs.mkdirSync(target, { mode: 0o700 });
  const link = path.join(root, 'link');
  fs.symlinkSync(target, link);
  assert.throws(() => privateDir(link), /is not a folder \(a link or a file is in its place\)/);
});

test('a folder others may write in is refused, in the language kpath speaks', () => {
  const dir = path.join(root, 'open');
  fs.mkdirSync(dir);
  fs.chmodSync(dir, 0o777);
  assert.throws(() => privateDir(dir), { message: `${dir} can be written by other users (mode 777); chmod 700 it` });
  useLanguage('zh-cn');
  try {
    assert.throws(() => privateDir(dir), { message: `${dir} 可被其他用户写入（权限 777）；请对它执行 chmod 700` });
  } finally {
    useLanguage('en');
  }
});

test('a folder of another user is refused', { skip: process.getuid?.() !== 0 && 'only root can give a folder to another user' }, () => {
  const dir = path.join(root, 'theirs');
  fs.mkdirSync(dir, { mode: 0o700 });
  fs.chownSync(dir, 12345, 12345);
  assert.throws(() => privateDir(dir), { message: `${dir} belongs to another user (uid 12345); remove it or set XDG_CACHE_HOME to a folder of your own` });
});
