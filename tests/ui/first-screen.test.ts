/**
 * The first screen (the sandbox drawn before the engine loads): what the build computes is what
 * the live session shows for the same world, steps asked for meanwhile are played in order, and
 * only a fresh visit to the sandbox opens on it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PageEngine } from '../../src/ui/world/engine';
import { imapSupport } from '../../src/ui/world/imap-support';
import { STORAGE_KEY, WorldSession } from '../../src/ui/world/session.svelte';
import { sandboxFirstScreen } from '../../src/ui/world/first-screen-data';
import { FirstScreen, opensOnFirstScreen } from '../../src/ui/world/first-screen.svelte';
import { LIST_WINDOW } from '../../src/ui/world/view-models';
import type { WorldAction } from '../../src/world/scenario';

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

async function liveSandbox() {
  const s = new WorldSession(new PageEngine(() => Promise.resolve(imapSupport)), { autosave: false });
  await s.start({ scenario: 'sandbox' });
  return s;
}

describe('the first screen', () => {
  it('shows what the live sandbox shows: devices, server, every folder, clock, title, account', async () => {
    const first = new FirstScreen(sandboxFirstScreen());
    const live = await liveSandbox();
    expect(first.devices).toEqual(plain(live.devices));
    expect(first.server).toEqual(plain(live.server));
    expect(first.clock).toBe(live.clock);
    expect(first.title).toBe(live.title);
    expect(first.origin).toEqual(live.origin);
    expect(first.data.account).toEqual({
      user: live.world.account.user,
      password: (live.world.account as { password: string }).password,
    });
    for (const f of live.server!.folders)
      expect(first.serverList(f.name, new Map(), LIST_WINDOW)).toEqual(
        plain(live.serverList(f.name, new Map(), LIST_WINDOW)),
      );
    // The sandbox as a learner sees it: twelve messages in INBOX, three empty POP3 devices.
    expect(first.serverList('INBOX', new Map(), LIST_WINDOW).items).toHaveLength(12);
    expect(first.devices.map((d) => [d.name, d.protocol, d.messages.length])).toEqual([
      ['Phone', 'pop3', 0],
      ['Laptop', 'pop3', 0],
      ['Work PC', 'pop3', 0],
    ]);
  });

  it('windows a list as the live one does', () => {
    const first = new FirstScreen(sandboxFirstScreen());
    const vm = first.serverList('INBOX', new Map(), 5);
    expect(vm.items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5]);
    expect(vm.total).toBe(12);
    expect(first.serverList('No such folder', new Map(), 5)).toMatchObject({ items: [], total: 0 });
  });

  it('keeps the steps asked for and plays them in order on the live session', async () => {
    const first = new FirstScreen(sandboxFirstScreen());
    const asked: Promise<boolean>[] = [
      first.dispatch({ do: 'check', device: 'laptop' }),
      first.dispatch({ do: 'check', device: 'phone' }),
      first.dispatch({ do: 'check', device: 'tablet' }),
    ];
    expect(first.waiting).toBe(3);
    const live = await liveSandbox();
    const played: WorldAction[] = [];
    await first.handOver((a) => {
      played.push(a);
      return live.dispatch(a);
    });
    expect(played.map((a) => ('device' in a ? a.device : null))).toEqual(['laptop', 'phone', 'tablet']);
    // The laptop took everything (POP3 without "leave on server"); the phone then found nothing;
    // there is no tablet, so that step was refused and changed nothing.
    expect(await Promise.all(asked)).toEqual([true, true, false]);
    expect(live.devices.find((d) => d.id === 'laptop')!.messages).toHaveLength(12);
    expect(live.devices.find((d) => d.id === 'phone')!.messages).toHaveLength(0);
    expect(first.waiting).toBe(0);
  });

  it('drops the steps when the page opened something else', async () => {
    const first = new FirstScreen(sandboxFirstScreen());
    const asked = first.dispatch({ do: 'check', device: 'laptop' });
    await first.handOver(null);
    expect(await asked).toBe(false);
  });
});

describe('when the page opens on it', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a fresh visit to the sandbox; not a scenario, a share link, or a lab saved before', () => {
    const saved = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => saved.get(k) ?? null });
    for (const hash of ['', '#', '#/']) expect(opensOnFirstScreen(hash, STORAGE_KEY)).toBe(true);
    for (const hash of ['#/scenario/laptop-lost', '#/share/abc', '#/compare', '#/lessons', '#/nowhere'])
      expect(opensOnFirstScreen(hash, STORAGE_KEY)).toBe(false);
    saved.set(STORAGE_KEY, '{"version":1}');
    expect(opensOnFirstScreen('#/', STORAGE_KEY)).toBe(false);
  });

  it('storage that cannot be read counts as nothing saved', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    expect(opensOnFirstScreen('#/', STORAGE_KEY)).toBe(true);
  });
});
