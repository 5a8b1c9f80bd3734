import { describe, expect, it } from 'vitest';
import { LabSession } from '../../src/ui/lab.svelte';
import { realEngine } from '../../src/ui/real-engine';

const sLines = (l: LabSession) => l.transcript.flatMap((e) => (e.kind === 'S' ? e.lines : []));
const cLines = (l: LabSession) => l.transcript.flatMap((e) => (e.kind === 'C' ? [e.text] : []));
const notes = (l: LabSession) => l.transcript.flatMap((e) => (e.kind === 'note' ? [e.text] : []));
const lastReply = (l: LabSession) => sLines(l).at(-1) ?? '';

async function imapLab() {
  const l = new LabSession(realEngine);
  await l.switchProtocol('imap');
  return l;
}

describe('LabSession under IMAP', () => {
  it('switching drops the POP3 connection, says so, and greets over IMAP', async () => {
    const l = new LabSession(realEngine);
    l.send('USER alice');
    await l.switchProtocol('imap');
    expect(l.protocol).toBe('imap');
    expect(notes(l).some((n) => /dropped its POP3 connection/.test(n))).toBe(true);
    expect(lastReply(l)).toMatch(/^\* OK \[CAPABILITY /);
    expect(l.state).toBe('Not Authenticated');
    expect(l.legal.map((d) => d.name)).toContain('LOGIN');
    expect(l.legal.map((d) => d.name)).not.toContain('FETCH');
    expect(l.diagram.states.filter((s) => !s.parent).map((s) => s.id)).toEqual([
      'Not Authenticated',
      'Authenticated',
      'Selected',
      'Logout',
    ]);
  });

  it('adds a tag to an untagged command and says so; continues after the learner’s own tags', async () => {
    const l = await imapLab();
    l.send('LOGIN alice wonderland');
    expect(cLines(l)).toEqual(['a1 LOGIN alice wonderland']);
    expect(notes(l).some((n) => /added the tag a1/.test(n))).toBe(true);
    expect(lastReply(l)).toMatch(/^a1 OK /);
    l.send('a7 SELECT INBOX');
    l.send('NOOP');
    expect(cLines(l).at(-1)).toBe('a8 NOOP');
    l.send('uid FETCH 1 FLAGS');
    expect(cLines(l).at(-1)).toBe('a9 uid FETCH 1 FLAGS');
  });

  it('a whole session: FETCH copies to the laptop and the server keeps it; STORE, EXPUNGE renumber', async () => {
    const l = await imapLab();
    const before = l.server.cards.length;
    expect(l.server.cards.every((c) => c.number === null)).toBe(true);
    l.send('a1 LOGIN alice wonderland');
    l.send('a2 SELECT INBOX');
    expect(l.state).toBe('Selected');
    expect(l.server.cards.map((c) => c.number)).toEqual(l.server.cards.map((_, i) => i + 1));
    l.send('a3 FETCH 1 (FLAGS BODY[HEADER.FIELDS (SUBJECT)])');
    expect(lastReply(l)).toMatch(/^a3 OK/);
    expect(l.laptop).toHaveLength(1);
    expect(l.laptop[0]).toMatchObject({ id: 'INBOX:1', part: 'headers' });
    expect(l.server.cards).toHaveLength(before);
    expect(l.server.cards[0].retrieved).toBe(true);
    l.send('a4 STORE 1 +FLAGS (\\Flagged)');
    expect(l.server.cards[0].flags).toContain('\\Flagged');
    l.send('a5 STORE 2 +FLAGS (\\Deleted)');
    expect(l.server.cards[1].marked).toBe(true);
    const uid2 = l.server.cards[1].uid;
    l.send('a6 EXPUNGE');
    expect(sLines(l)).toContain('* 2 EXPUNGE');
    expect(l.server.cards).toHaveLength(before - 1);
    expect(l.server.cards.some((c) => c.uid === uid2)).toBe(false);
    expect(l.server.cards.map((c) => c.number)).toEqual(l.server.cards.map((_, i) => i + 1));
    l.send('a7 FETCH 3 BODY[]');
    expect(l.laptop.at(-1)?.part).toBe('whole message');
    l.send('a8 LOGOUT');
    expect(l.state).toBeNull();
  });

  it('POP3 DELE + QUIT, then IMAP SELECT: the message is gone for IMAP too', async () => {
    const l = new LabSession(realEngine);
    const total = l.server.cards.length;
    l.send('USER alice');
    l.send('PASS wonderland');
    l.send('DELE 1');
    l.send('QUIT');
    await l.switchProtocol('imap');
    l.send('a1 LOGIN alice wonderland');
    l.send('a2 SELECT INBOX');
    expect(sLines(l)).toContain(`* ${total - 1} EXISTS`);
    expect(l.server.cards.some((c) => c.uid === 1)).toBe(false);
  });

  it('RETR under POP3 sets \\Seen, which IMAP then shows as a flag', async () => {
    const l = new LabSession(realEngine);
    l.send('USER alice');
    l.send('PASS wonderland');
    l.send('RETR 2');
    l.send('QUIT');
    await l.switchProtocol('imap');
    l.send('a1 LOGIN alice wonderland');
    l.send('a2 SELECT INBOX');
    l.send('a3 FETCH 2 FLAGS');
    expect(sLines(l).find((x) => x.startsWith('* 2 FETCH'))).toMatch(/^\* 2 FETCH \(FLAGS \([^)]*\\Seen/);
    expect(l.server.cards[1].flags).toContain('\\Seen');
  });

  it('IDLE is a state where only DONE is legal, and DONE is sent without a tag', async () => {
    const l = await imapLab();
    l.send('a1 LOGIN alice wonderland');
    l.send('a2 SELECT INBOX');
    l.send('a3 IDLE');
    expect(l.view.idling).toBe(true);
    expect(l.shownState).toBe('Selected.IDLE');
    expect(l.diagram.current).toBe('Selected.IDLE');
    expect(l.legal.map((d) => d.name)).toEqual(['DONE']);
    l.send('DONE');
    expect(cLines(l).at(-1)).toBe('DONE');
    expect(lastReply(l)).toMatch(/^a3 OK/);
    expect(l.view.idling).toBe(false);
  });

  it('a literal: the + continuation shows, and the literal octets are not given a tag', async () => {
    const l = await imapLab();
    l.send('a1 LOGIN alice wonderland');
    l.send('a2 CREATE Notes');
    l.send('a3 APPEND Notes {11}');
    expect(lastReply(l)).toMatch(/^\+ /);
    l.send('Subject: x');
    expect(cLines(l).at(-1)).toBe('Subject: x');
    expect(lastReply(l)).toMatch(/^a3 OK \[APPENDUID /);
    expect(l.server.folders?.find((f) => f.name === 'Notes')?.messages).toBe(1);
  });

  it('COPY and MOVE show in the right folder', async () => {
    const l = await imapLab();
    l.send('a1 LOGIN alice wonderland');
    l.send('a2 CREATE Keep');
    l.send('a3 SELECT INBOX');
    const total = l.server.cards.length;
    l.send('a4 COPY 1 Keep');
    l.send('a5 MOVE 2 Keep');
    expect(l.server.folders?.find((f) => f.name === 'Keep')?.messages).toBe(2);
    expect(l.server.cards).toHaveLength(total - 1);
    l.send('a6 SELECT Keep');
    expect(l.server.mailbox).toBe('Keep');
    expect(l.server.cards.map((c) => c.id)).toEqual(['Keep:1', 'Keep:2']);
  });

  it('switching back to POP3 drops the IMAP connection and shows the maildrop again', async () => {
    const l = await imapLab();
    l.send('a1 LOGIN alice wonderland');
    await l.switchProtocol('pop3');
    expect(notes(l).some((n) => /dropped its IMAP connection/.test(n))).toBe(true);
    expect(l.state).toBe('AUTHORIZATION');
    expect(l.server.protocol).toBeUndefined();
    l.reset();
    expect(l.protocol).toBe('pop3');
  });
});
