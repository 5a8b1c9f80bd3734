import { data, str } from '../formatter';
import { HIERARCHY_DELIMITER } from '../mailbox-names';
import { ok, type ImapCommand } from '../types';

/** RFC 2342 / RFC 9051 §6.3.10: one personal namespace with prefix "" and delimiter "/". */
export const namespace: ImapCommand<void> = {
  doc: {
    name: 'NAMESPACE',
    syntax: 'tag NAMESPACE',
    states: ['Authenticated', 'Selected'],
    summary:
      'Tells where mailboxes live: personal ones, other users\' and shared ones, with the prefix and hierarchy delimiter of each. Here there is only a personal namespace with no prefix and "/" as delimiter.',
    rfc: 'RFC 9051 §6.3.10',
    examples: ['a1 NAMESPACE'],
  },
  states: ['Authenticated', 'Selected'],
  reportsChanges: false,
  // Dovecot ignores arguments this command does not take (measured).
  parse() {},
  handle() {
    return ok('Namespace completed.', [data('NAMESPACE', [[str(''), str(HIERARCHY_DELIMITER)]], null, null)]);
  },
};
