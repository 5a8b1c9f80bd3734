import { data, str } from '../formatter';
import { ImapParseError } from '../parser';
import { ok, type ImapCommand } from '../types';

/** RFC 2971: the client may say who it is; the server says who it is. */
export const id: ImapCommand<void> = {
  doc: {
    name: 'ID',
    syntax: 'tag ID (field value ...) | tag ID NIL',
    states: ['Not Authenticated', 'Authenticated', 'Selected'],
    summary:
      'Exchanges software names and versions between client and server, for logs and bug reports. It changes nothing.',
    rfc: 'RFC 2971',
    examples: ['a1 ID NIL', 'a1 ID ("name" "lab-client" "version" "1.0")'],
  },
  states: ['Not Authenticated', 'Authenticated', 'Selected'],
  reportsChanges: false,
  parse(args) {
    const t = args.next('ID parameter list or NIL');
    if (t.t === 'atom' && t.v.toUpperCase() === 'NIL') {
      args.end();
      return;
    }
    if (t.t !== 'list') throw new ImapParseError('Expected ID parameter list or NIL', t.pos);
    if (t.v.length % 2 !== 0 || t.v.length > 60) throw new ImapParseError('Invalid ID parameter list', t.pos);
    for (const [i, x] of t.v.entries()) {
      const isNil = x.t === 'atom' && x.v.toUpperCase() === 'NIL';
      if (x.t === 'list' || (x.t === 'atom' && !(isNil && i % 2 === 1)))
        throw new ImapParseError('ID fields and values must be strings', x.pos);
    }
    args.end();
  },
  handle() {
    return ok('ID completed.', [data('ID', [str('name'), str('POP vs IMAP Lab')])]);
  },
};
