/**
 * What the server announces (RFC 9051 §6.1.1, §7.2.2). Before login the list is short and
 * carries the AUTH= mechanisms; after login it lists the extensions, as Dovecot does.
 */
import type { ImapState } from './types';

export const PRE_AUTH_CAPABILITIES = [
  'IMAP4rev1',
  'IMAP4rev2',
  'SASL-IR',
  'ID',
  'ENABLE',
  'IDLE',
  'LITERAL+',
  'AUTH=PLAIN',
  'AUTH=LOGIN',
];

export const CAPABILITIES = [
  'IMAP4rev1',
  'IMAP4rev2',
  'SASL-IR',
  'ID',
  'ENABLE',
  'IDLE',
  'UNSELECT',
  'CHILDREN',
  'NAMESPACE',
  'UIDPLUS',
  'LIST-EXTENDED',
  'ESEARCH',
  'LIST-STATUS',
  'BINARY',
  'MOVE',
  'STATUS=SIZE',
  'LITERAL+',
  'SPECIAL-USE',
  'CONDSTORE',
];

export function capabilitiesFor(state: ImapState): string[] {
  return state === 'Not Authenticated' ? PRE_AUTH_CAPABILITIES : CAPABILITIES;
}

/** Extensions a client may turn on with ENABLE (RFC 5161). */
export const ENABLEABLE = ['IMAP4REV2', 'CONDSTORE'];
