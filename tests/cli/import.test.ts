import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareLfToCrlf, importEmlDir, importMbox, parseFromLineDate, parseMbox } from '../../src/cli/import';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('importEmlDir', () => {
  it('loads every .eml file in file-name order, bytes exact except bare LF, dated by mtime', async () => {
    const d = join(dir, 'eml');
    await mkdir(d);
    await mkdir(join(d, 'folder.eml'));
    const files: Record<string, Buffer> = {
      '10.eml': Buffer.from('Subject: ten\r\n\r\nten\r\n'),
      '02.eml': Buffer.from('Subject: two\n\nbare LF\nlone CR\rkept\n'),
      '01.eml': Buffer.from([0x53, 0x3a, 0x20, 0xff, 0x00, 0xe9, 0x0d, 0x0a, 0x0d, 0x0a, 0x80]),
      'B.EML': Buffer.from('Subject: upper\r\n\r\nx'),
      'notes.txt': Buffer.from('not a message'),
    };
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(d, name), bytes);
    await utimes(join(d, '02.eml'), 1700000000, 1700000000.5);
    const list = await importEmlDir(d);
    expect(list.map((m) => m.raw)).toEqual([
      'S: \xff\x00\xe9\r\n\r\n\x80',
      'Subject: two\r\n\r\nbare LF\r\nlone CR\rkept\r\n',
      'Subject: ten\r\n\r\nten\r\n',
      'Subject: upper\r\n\r\nx',
    ]);
    expect(list[1].internalDate).toBe(1700000000000);
  });

  it('fails clearly when the folder does not exist', async () => {
    await expect(importEmlDir(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});

describe('mbox', () => {
  it('splits at From lines after an empty line and unquotes mboxrd >From lines', () => {
    const mbox = [
      'From alice@x Mon Mar  3 08:01:57 2025',
      'Subject: one',
      '',
      '>From the start',
      '>>From two levels',
      'From here on, an unquoted line inside a body does not split',
      '',
      'From bob@y Tue Mar  4 09:00:00 2025',
      'Subject: two',
      '',
      'last line',
      '',
      '',
    ].join('\n');
    const list = parseMbox(mbox);
    expect(list.map((m) => m.raw)).toEqual([
      'Subject: one\r\n\r\nFrom the start\r\n>From two levels\r\nFrom here on, an unquoted line inside a body does not split\r\n',
      'Subject: two\r\n\r\nlast line\r\n',
    ]);
    expect(list.map((m) => m.internalDate)).toEqual([
      Date.UTC(2025, 2, 3, 8, 1, 57),
      Date.UTC(2025, 2, 4, 9),
    ]);
  });

  it('keeps a message body that ends with empty lines, a file without final newline, and mboxo quoting', () => {
    expect(parseMbox('From a Mon Jan  1 00:00:00 2024\nS: x\n\nbody\n\n\n').map((m) => m.raw)).toEqual([
      'S: x\r\n\r\nbody\r\n\r\n',
    ]);
    expect(parseMbox('From a Mon Jan  1 00:00:00 2024\r\nS: x\r\n\r\nend').map((m) => m.raw)).toEqual([
      'S: x\r\n\r\nend',
    ]);
    expect(parseMbox('From a\n\n>From x\n>>From y\n', { format: 'mboxo' }, 7)).toEqual([
      { raw: '\r\nFrom x\r\n>>From y\r\n', internalDate: 7 },
    ]);
    expect(parseMbox('')).toEqual([]);
    expect(parseMbox('no From line at all\n')).toEqual([]);
  });

  it('reads From-line dates in their common shapes', () => {
    expect(parseFromLineDate('From a@b Sat Jan  3 01:05:34 1996')).toBe(Date.UTC(1996, 0, 3, 1, 5, 34));
    expect(parseFromLineDate('From a@b Sat Jan 3 01:05 +0100 1996')).toBe(Date.UTC(1996, 0, 3, 0, 5));
    expect(parseFromLineDate('From MAILER-DAEMON')).toBeNull();
  });

  it('imports an mbox file, dating undated messages by the file mtime', async () => {
    const f = join(dir, 'box.mbox');
    await writeFile(
      f,
      'From someone\nSubject: a\n\nA\n\nFrom other Wed Mar  5 10:00:00 2025\nSubject: b\n\nB\n',
    );
    await utimes(f, 1600000000, 1600000000);
    const list = await importMbox(f);
    expect(list).toEqual([
      { raw: 'Subject: a\r\n\r\nA\r\n', internalDate: 1600000000000 },
      { raw: 'Subject: b\r\n\r\nB\r\n', internalDate: Date.UTC(2025, 2, 5, 10) },
    ]);
  });

  it('turns only bare LF into CRLF', () => {
    expect(bareLfToCrlf('a\nb\r\nc\rd')).toBe('a\r\nb\r\nc\rd');
  });
});
