// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { splitPastedLines } from '../../src/editor/paste';
import { orderLegal } from '../../src/ui/legal-order';
import { lineKinds } from '../../src/ui/transcript';
import { hangupReason } from '../../src/ui/hangup';
import { POP3_INFO } from '../../src/ui/world/engine';
import { IMAP_COMMAND_DOCS, commandsLegalIn } from '../../src/protocol/imap/registry';

describe('pasting several lines (U1)', () => {
  it('splits on CRLF, LF and CR; blank lines are dropped; the text after the last break stays', () => {
    expect(splitPastedLines('USER alice\nPASS wonderland\r\nSTAT\n')).toEqual({
      lines: ['USER alice', 'PASS wonderland', 'STAT'],
      rest: '',
    });
    expect(splitPastedLines('LIST\r\n\r\n   \rRETR 1\nDE')).toEqual({
      lines: ['LIST', 'RETR 1'],
      rest: 'DE',
    });
    expect(splitPastedLines('STAT')).toEqual({ lines: [], rest: 'STAT' });
  });
});

describe('"Legal now" order (U4)', () => {
  const docs = new Map(IMAP_COMMAND_DOCS.map((d) => [d.name, d]));
  const legalIn = (state: string) => commandsLegalIn(state).flatMap((n) => docs.get(n) ?? []);

  it('IMAP Selected lists FETCH, STORE, SEARCH, EXPUNGE first and keeps every legal command', () => {
    const legal = legalIn('Selected');
    const ordered = orderLegal(legal, 'Selected').map((c) => c.name);
    expect(ordered.slice(0, 4)).toEqual(['FETCH', 'STORE', 'SEARCH', 'EXPUNGE']);
    expect([...ordered].sort()).toEqual(legal.map((c) => c.name).sort());
    // The Authenticated-state commands come after every Selected-only one.
    expect(ordered.indexOf('SELECT')).toBeGreaterThan(ordered.indexOf('UID MOVE'));
    expect(ordered.at(-1)).not.toBe('FETCH');
  });

  it('POP3 TRANSACTION keeps its order with QUIT (legal in two states) last', () => {
    const legal = POP3_INFO.legalIn('TRANSACTION');
    const ordered = orderLegal(legal, 'TRANSACTION').map((c) => c.name);
    expect(ordered.at(-1)).toBe('QUIT');
    expect(ordered).toContain('RETR');
    expect(ordered).toHaveLength(legal.length);
  });
});

describe('reply colours (U5)', () => {
  it('IMAP NO and BAD are errors like POP3 -ERR; OK is fine; literal data is never coloured', () => {
    expect(lineKinds(['+OK ready', '-ERR no such message'])).toEqual(['ok', 'err']);
    expect(lineKinds(['a1 NO [AUTHENTICATIONFAILED] x', '* BAD junk', 'a2 BAD Error', 'a3 OK done'])).toEqual(
      ['err', 'err', 'err', 'ok'],
    );
    // "{12}" announces 12 octets: "a9 NO thanks" is the message, not a reply.
    expect(lineKinds(['* 1 FETCH (BODY[] {14}', 'a9 NO thanks', ')', 'a4 OK Fetch completed.'])).toEqual([
      '',
      '',
      '',
      'ok',
    ]);
    expect(lineKinds(['* 2 EXISTS', '* BYE Logging out'])).toEqual(['', '']);
  });
});

describe('why the server hung up (U2)', () => {
  it('other endings in plain words', () => {
    expect(hangupReason('imap', 'timeout', '').why).toMatch(/RFC 9051 §5\.4/);
    expect(hangupReason('pop3', 'bad-input', '-ERR Input line too long.').what).toMatch(/line was too long/);
    expect(hangupReason('imap', null, '* BYE Shutting down').what).toBe(
      'The server said BYE (Shutting down) and closed the connection.',
    );
  });
});
