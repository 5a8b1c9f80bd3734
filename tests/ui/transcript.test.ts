import { describe, expect, it } from 'vitest';
import { Transcript, displayBytes } from '../../src/ui/transcript';
import { utf8ToByteString } from '../../src/mail/store';

describe('Transcript', () => {
  it('keeps C: lines and groups the server reply that follows them', () => {
    const t = new Transcript();
    t.server('+OK Dovecot ready.\r\n');
    t.client('LIST');
    t.server('+OK 2 messages:\r\n1 120\r\n');
    t.server('2 300\r\n.\r\n');
    expect(t.entries.map((e) => e.kind)).toEqual(['S', 'C', 'S']);
    expect(t.entries[2]).toMatchObject({ lines: ['+OK 2 messages:', '1 120', '2 300', '.'] });
  });

  it('joins a line split across chunks and accepts any chunking', () => {
    const whole = new Transcript();
    whole.server('+OK a\r\nline two\r\n.\r\n');
    const bytes = '+OK a\r\nline two\r\n.\r\n';
    for (let cut = 1; cut < bytes.length; cut++) {
      const t = new Transcript();
      t.server(bytes.slice(0, cut));
      t.server(bytes.slice(cut));
      expect(t.entries).toEqual(whole.entries);
    }
  });

  it('shows dot-stuffed lines as they crossed the wire', () => {
    const t = new Transcript();
    t.server('+OK\r\n..hidden dot\r\n.\r\n');
    expect(t.entries[0]).toMatchObject({ lines: ['+OK', '..hidden dot', '.'] });
  });

  it('keeps notes apart from protocol lines', () => {
    const t = new Transcript();
    t.note('connected');
    t.server('+OK\r\n');
    expect(t.entries).toMatchObject([
      { kind: 'note', text: 'connected' },
      { kind: 'S', lines: ['+OK'] },
    ]);
  });

  it('clear() empties the transcript', () => {
    const t = new Transcript();
    t.client('NOOP');
    t.clear();
    expect(t.entries).toEqual([]);
  });
});

describe('displayBytes', () => {
  it('decodes UTF-8 octets for reading', () => {
    expect(displayBytes(utf8ToByteString('Grüße'))).toBe('Grüße');
  });

  it('falls back to one char per octet when the bytes are not UTF-8', () => {
    expect(displayBytes('caf\xe9')).toBe('caf\xe9');
  });

  it('makes control bytes visible instead of hiding them', () => {
    expect(displayBytes('a\x00b\x1bc\x7f')).toBe('a\u2400b\u241bc\u2421');
    expect(displayBytes('tab\there')).toBe('tab\there');
  });
});
