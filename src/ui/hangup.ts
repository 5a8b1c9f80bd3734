/**
 * Why the connection ended, in plain words for the learner. The server tells the bridge how
 * the session ended (`connection.closed` with a reason); the last line it wrote tells the rest
 * (which limit, what the BYE said).
 */
import type { Protocol } from '../server/types';

export type CloseReason = 'quit' | 'logout' | 'dropped' | 'timeout' | 'bad-input';

export interface Hangup {
  /** One sentence: what happened (shown next to the transcript with Reconnect). */
  what: string;
  /** Why a real server does that (added to the transcript's note); may be empty. */
  why: string;
}

/** `lastLine` is the server's last reply line (CRLF removed), or '' if there was none. */
export function hangupReason(protocol: Protocol, reason: CloseReason | null, lastLine: string): Hangup {
  const line = lastLine.trim();
  if (reason === 'quit')
    return {
      what: 'You sent QUIT: the server went through UPDATE and closed the connection.',
      why: 'Messages marked with DELE are now gone from the server (RFC 1939 §6).',
    };
  if (reason === 'logout')
    return {
      what: 'You sent LOGOUT: the server said BYE and closed the connection.',
      why: 'Nothing is deleted at logout; IMAP changes happen on the server as you make them.',
    };
  if (reason === 'timeout')
    return {
      what: 'The server hung up because the session was idle too long.',
      why:
        protocol === 'imap'
          ? 'IMAP servers run an autologout timer (RFC 9051 §5.4).'
          : 'POP3 servers run an autologout timer (RFC 1939 §3).',
    };
  if (reason === 'bad-input') {
    if (/too many/i.test(line))
      return {
        what: 'The server hung up after too many bad commands in a row.',
        why: `Dovecot allows 3 before login and ${protocol === 'imap' ? 20 : 21} after: it slows down password guessing and stops broken clients from looping.`,
      };
    if (/too long|buffer full/i.test(line))
      return {
        what: 'The server hung up because a line was too long.',
        why: 'Servers limit line length so one client cannot fill their memory.',
      };
    return { what: 'The server hung up on input it could not accept.', why: '' };
  }
  const bye = /^\* BYE\s*(?:\[[^\]]*\]\s*)?(.*)$/i.exec(line);
  if (bye)
    return {
      what: `The server said BYE (${bye[1] || 'no reason given'}) and closed the connection.`,
      why: '',
    };
  return { what: 'The server closed the connection.', why: '' };
}
