/**
 * A small BODYSTRUCTURE / ENVELOPE writer (RFC 9051 §7.5.2) used only by the tests to compare
 * the MIME model with what Dovecot answers for the same bytes. The IMAP server has its own.
 */
import {
  headerValue,
  parseAddressList,
  toEnvelopeAddresses,
  type Address,
  type MimeParam,
  type MimePart,
} from '../../src/mail/mime';

function str(s: string | null): string {
  if (s === null) return 'NIL';
  if (/[\r\n"\\\x80-\xff\x00]/.test(s)) return `{${s.length}}\r\n${s}`;
  return `"${s}"`;
}

function params(p: readonly MimeParam[]): string {
  return p.length ? `(${p.map((x) => `${str(x.name)} ${str(x.value)}`).join(' ')})` : 'NIL';
}

function addresses(value: string | null): string {
  if (value === null) return 'NIL';
  const list = toEnvelopeAddresses(parseAddressList(value));
  if (!list.length) return 'NIL';
  return `(${list.map((a: Address) => `(${str(a.name)} ${str(a.adl)} ${str(a.mailbox)} ${str(a.host)})`).join('')})`;
}

export function envelope(m: MimePart | null): string {
  if (!m) return '(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)';
  const h = (n: string) => {
    const v = headerValue(m, n);
    return v === null || v === '' ? null : v;
  };
  const from = addresses(h('From'));
  const sender = h('Sender') !== null ? addresses(h('Sender')) : from;
  const replyTo = h('Reply-To') !== null ? addresses(h('Reply-To')) : from;
  return `(${str(h('Date'))} ${str(h('Subject'))} ${from} ${sender} ${replyTo} ${addresses(h('To'))} ${addresses(h('Cc'))} ${addresses(h('Bcc'))} ${str(h('In-Reply-To'))} ${str(h('Message-ID'))})`;
}

function ext(p: MimePart): string {
  const d = p.contentDisposition
    ? `(${str(p.contentDisposition.type)} ${params(p.contentDisposition.params)})`
    : 'NIL';
  const lang = p.contentLanguage?.length ? `(${p.contentLanguage.map(str).join(' ')})` : 'NIL';
  return `${d} ${lang} ${str(p.contentLocation)}`;
}

export function bodystructure(p: MimePart): string {
  const ct = p.contentType;
  if (p.children.length) {
    return `(${p.children.map(bodystructure).join('')} ${str(ct.subtype)} ${params(ct.params)} ${ext(p)})`;
  }
  const size = p.bodyEnd - p.bodyStart;
  const basic = `${str(ct.type)} ${str(ct.subtype)} ${params(ct.params)} ${str(p.contentId)} ${str(p.contentDescription)} ${str(p.contentTransferEncoding)} ${size}`;
  if (ct.mediaType === 'message/rfc822') {
    const inner = p.message
      ? bodystructure(p.message)
      : '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)';
    // Dovecot writes the message/rfc822 type in lower case whatever the header said.
    const typed = basic.replace(/^"[^"]*" "[^"]*"/, '"message" "rfc822"');
    return `(${typed} ${envelope(p.message)} ${inner} ${p.bodyLines} ${str(p.contentMd5)} ${ext(p)})`;
  }
  const lines = ct.type.toLowerCase() === 'text' ? ` ${p.bodyLines}` : '';
  return `(${basic}${lines} ${str(p.contentMd5)} ${ext(p)})`;
}
