/**
 * IDLE with Dovecot's notify delay (the TCP server's setting): changes are reported 0.5 s
 * after the first one, as one batch, and DONE does not look at the mailbox again. Measured
 * against dovecot-imapd; see tests/transcripts/imap/idle-push.txt for the lab's at-once mode.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DOVECOT_IDLE_NOTIFY_DELAY_MS } from '../../src/server/imap/session';
import { loggedIn, setup } from './harness';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function twoSessions() {
  const { open } = setup({ imap: { idleNotifyDelayMs: DOVECOT_IDLE_NOTIFY_DELAY_MS } });
  const a = loggedIn(() => open(), 'INBOX');
  const b = loggedIn(() => open(), 'INBOX');
  return { a, b };
}

describe('IDLE with a notify delay', () => {
  it('reports a change after the delay, not before', () => {
    const { a, b } = twoSessions();
    expect(a.cmd('i IDLE')).toBe('+ idling\r\n');
    b.cmd('s STORE 2 +FLAGS (\\Seen)');
    expect(a.take()).toBe('');
    vi.advanceTimersByTime(DOVECOT_IDLE_NOTIFY_DELAY_MS - 1);
    expect(a.take()).toBe('');
    vi.advanceTimersByTime(1);
    expect(a.take()).toBe('* 2 FETCH (FLAGS (\\Seen \\Recent))\r\n');
  });

  it('a message flagged and expunged within the delay gets only its EXPUNGE', () => {
    const { a, b } = twoSessions();
    a.cmd('i IDLE');
    b.cmd('s STORE 3 +FLAGS (\\Deleted)');
    b.cmd('e EXPUNGE');
    vi.advanceTimersByTime(DOVECOT_IDLE_NOTIFY_DELAY_MS);
    expect(a.take()).toBe('* 3 EXPUNGE\r\n* 5 RECENT\r\n');
  });

  it('two changes to one message within the delay make one FETCH', () => {
    const { a, b } = twoSessions();
    a.cmd('i IDLE');
    b.cmd('s STORE 1 +FLAGS (\\Flagged)');
    b.cmd('t STORE 1 -FLAGS (\\Flagged)');
    vi.advanceTimersByTime(DOVECOT_IDLE_NOTIFY_DELAY_MS);
    expect(a.take()).toBe('* 1 FETCH (FLAGS (\\Recent))\r\n');
  });

  it('DONE inside the delay reports nothing; the next command does', () => {
    const { a, b } = twoSessions();
    a.cmd('i IDLE');
    b.cmd('s STORE 2 +FLAGS (\\Seen)');
    expect(a.cmd('DONE')).toBe('i OK Idle completed.\r\n');
    vi.advanceTimersByTime(DOVECOT_IDLE_NOTIFY_DELAY_MS);
    expect(a.take()).toBe('');
    expect(a.cmd('n NOOP')).toBe('* 2 FETCH (FLAGS (\\Seen \\Recent))\r\nn OK NOOP completed.\r\n');
  });

  it('changes waiting when IDLE starts are reported at once', () => {
    const { a, b } = twoSessions();
    b.cmd('s STORE 2 +FLAGS (\\Seen)');
    expect(a.cmd('i IDLE')).toBe('+ idling\r\n* 2 FETCH (FLAGS (\\Seen \\Recent))\r\n');
  });

  it('a session that ends while a report is pending writes nothing more', () => {
    const { a, b } = twoSessions();
    a.cmd('i IDLE');
    b.cmd('s STORE 2 +FLAGS (\\Seen)');
    a.conn.close();
    vi.advanceTimersByTime(DOVECOT_IDLE_NOTIFY_DELAY_MS);
    expect(a.take()).toBe('');
  });
});
