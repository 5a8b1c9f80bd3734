// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import App from '../../src/ui/App.svelte';
import { runtime } from '../../src/ui/runtime';
import { LabSession } from '../../src/ui/lab.svelte';
import { realEngine } from '../../src/ui/real-engine';
import { splitPastedLines } from '../../src/editor/paste';
import { orderLegal } from '../../src/ui/legal-order';
import { lineKinds } from '../../src/ui/transcript';
import { hangupReason } from '../../src/ui/hangup';
import { IMAP_COMMAND_DOCS, commandsLegalIn } from '../../src/protocol/imap/registry';

const sLines = (l: LabSession) => l.transcript.flatMap((e) => (e.kind === 'S' ? e.lines : []));
const notes = (l: LabSession) => l.transcript.flatMap((e) => (e.kind === 'note' ? [e.text] : []));

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
    const legal = realEngine.pop3.legalIn('TRANSACTION');
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
  it('POP3: three bad commands before login close the connection, and the lab says why', () => {
    const l = new LabSession(realEngine);
    l.send('help');
    l.send('retr');
    expect(l.connected).toBe(true);
    l.send('RETR 99');
    expect(sLines(l).at(-1)).toBe('-ERR Too many invalid bad commands.');
    expect(l.connected).toBe(false);
    expect(l.hangup).toMatch(/too many bad commands/i);
    expect(notes(l).at(-1)).toContain(l.hangup!);
    expect(notes(l).at(-1)).toMatch(/Dovecot allows 3 before login.*password guessing/);
    l.reconnect();
    expect(l.connected).toBe(true);
    expect(l.hangup).toBeNull();
    l.dispose();
  });

  it('QUIT and LOGOUT are explained as the learner ending the session', async () => {
    const l = new LabSession(realEngine);
    l.send('QUIT');
    expect(l.hangup).toMatch(/^You sent QUIT/);
    await l.switchProtocol('imap');
    l.send('a1 LOGOUT');
    expect(l.hangup).toMatch(/^You sent LOGOUT/);
    l.dispose();
  });

  it('IMAP: three invalid commands before login get BYE, explained', async () => {
    const l = new LabSession(realEngine);
    await l.switchProtocol('imap');
    for (const line of ['a1 FOO', 'a2 BAR', 'a3 BAZ']) l.send(line);
    expect(sLines(l).at(-1)).toBe('* BYE Too many invalid IMAP commands.');
    expect(l.connected).toBe(false);
    expect(l.hangup).toMatch(/too many bad commands/i);
    l.dispose();
  });

  it('other endings in plain words', () => {
    expect(hangupReason('imap', 'timeout', '').why).toMatch(/RFC 9051 §5\.4/);
    expect(hangupReason('pop3', 'bad-input', '-ERR Input line too long.').what).toMatch(/line was too long/);
    expect(hangupReason('imap', null, '* BYE Shutting down').what).toBe(
      'The server said BYE (Shutting down) and closed the connection.',
    );
  });
});

describe('the page (jsdom)', () => {
  let app: ReturnType<typeof mount> | null = null;
  afterEach(() => {
    if (app) unmount(app);
    app = null;
    document.body.innerHTML = '';
  });

  async function start() {
    const target = document.body.appendChild(document.createElement('div'));
    app = mount(App, { target, props: { runtime: Promise.resolve(runtime), animationMs: 0, monaco: false } });
    for (let i = 0; i < 100 && !document.querySelector('[data-testid="session-state"]'); i++) {
      await tick();
      await new Promise((r) => setTimeout(r, 10));
      flushSync();
    }
  }
  const input = () => document.querySelector<HTMLInputElement>('input[aria-label="Command"]')!;
  const lines = () => [...document.querySelectorAll('[role="log"] .line')].map((l) => l.textContent!.trim());

  function paste(text: string) {
    const event = new Event('paste', { bubbles: true, cancelable: true }) as Event & {
      clipboardData: { getData(type: string): string };
    };
    event.clipboardData = { getData: (type) => (type === 'text/plain' ? text : '') };
    input().dispatchEvent(event);
    flushSync();
    return event;
  }

  it('a pasted tutorial is sent line by line; the unfinished last line stays on the command line', async () => {
    await start();
    const event = paste('USER alice\nPASS wonderland\nSTAT\nLI');
    expect(event.defaultPrevented).toBe(true);
    const sent = lines().filter((l) => l.startsWith('C:'));
    expect(sent).toEqual(['C: USER alice', 'C: PASS wonderland', 'C: STAT']);
    expect(lines().at(-1)).toMatch(/^S: \+OK \d+ \d+$/);
    expect(input().value).toBe('LI');
  });

  it('after three bad commands the reason and a Reconnect button sit under the transcript', async () => {
    await start();
    paste('help\nretr\nRETR 99\n');
    const status = document.querySelector('[role="status"][aria-label="Connection closed"]')!;
    expect(status.textContent).toMatch(/too many bad commands/i);
    const button = [...status.querySelectorAll('button')].find((b) => b.textContent === 'Reconnect')!;
    button.click();
    flushSync();
    expect(document.querySelector('[aria-label="Connection closed"]')).toBeNull();
    expect(document.querySelector('[data-testid="session-state"]')!.textContent).toBe('AUTHORIZATION');
  });
});
