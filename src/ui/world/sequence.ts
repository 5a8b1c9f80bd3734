/**
 * The sequence diagram's view-model for one device: its transcript as arrows (a command from
 * the client, a reply from the server), with the session's states drawn between them. Built
 * from the device's transcript entries and the states its terminal session entered.
 */
import type { TranscriptChunk } from '../../client/types';
import type { SequenceItem, SequenceViewModel } from '../../viz/types';
import { displayBytes } from '../transcript';

/** Items drawn (the newest); a long history shows its last window. */
export const SEQUENCE_WINDOW = 200;

/** How a reply ended: POP3 +OK / -ERR (RFC 1939 §3), IMAP tagged OK / NO / BAD, "*" untagged, "+" continue. */
export function replyStatus(protocol: 'pop3' | 'imap', text: string): SequenceItem['status'] {
  const lines = text.split('\r\n');
  if (protocol === 'pop3') return lines[0].startsWith('-ERR') ? 'err' : 'ok';
  const last = lines[lines.length - 1];
  if (/^\+( |$)/.test(last)) return 'continue';
  const tagged = /^[^\s*+]+ (OK|NO|BAD)\b/.exec(last);
  if (tagged) return tagged[1] === 'OK' ? 'ok' : 'err';
  if (/^\* (NO|BAD|BYE)\b/.test(lines[0])) return 'err';
  return 'untagged';
}

export function sequenceModel(
  device: { name: string; protocol: 'pop3' | 'imap' },
  transcript: readonly TranscriptChunk[],
  states: readonly { seq: number; state: string }[],
  window = SEQUENCE_WINDOW,
): SequenceViewModel {
  const items: SequenceItem[] = [];
  let s = 0;
  transcript.forEach((c, i) => {
    while (s < states.length && c.seq !== undefined && states[s].seq <= c.seq) {
      items.push({ key: `state-${states[s].seq}`, kind: 'state', text: states[s].state });
      s++;
    }
    const key = `t-${c.seq ?? `i${i}`}`;
    if (c.dir === 'C') items.push({ key, kind: 'command', text: displayBytes(c.text) });
    else if (c.dir === 'S') {
      const lines = c.text.split('\r\n');
      items.push({
        key,
        kind: 'reply',
        text: displayBytes(lines[lines.length > 1 && device.protocol === 'imap' ? lines.length - 1 : 0]),
        status: replyStatus(device.protocol, c.text),
        lines: lines.length,
        title: lines.length > 1 ? `${lines.length} lines` : undefined,
      });
    } else items.push({ key, kind: 'note', text: c.text });
  });
  for (; s < states.length; s++)
    items.push({ key: `state-${states[s].seq}`, kind: 'state', text: states[s].state });
  return { client: device.name, server: 'Mail server', items: items.slice(-window) };
}
