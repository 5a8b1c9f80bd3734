/**
 * The engine behind the page: a `WorldCore` whose server speaks POP3 from the first load and
 * IMAP once its code has arrived (a separate chunk, `loadImap`). Every world the page makes
 * (the sandbox, a scenario, an undo replay) gets its server from the same factory, so a world
 * rebuilt after IMAP loaded has IMAP too.
 */
import { createMailServer, type MailServer } from '../../server/core';
import { createPop3Session } from '../../server/pop3/session';
import { pop3Commands, pop3CommandsLegalIn } from '../../protocol/pop3/commands/index';
import { describePop3Machine } from '../../server/pop3/machine';
import type { CommandDoc } from '../../protocol/types';
import type { Protocol, SessionFactory } from '../../server/types';
import { WorldCore, type ImapClientFactory, type ServerFactory, type WorldData } from '../../world/core';
import type { Scenario } from '../../world/scenario';
import type { SessionDiagram } from '../../viz/types';

/** What the screens need to know about one protocol's commands and states. */
export interface ProtocolInfo {
  name: 'POP3' | 'IMAP';
  /** Every command, in registry order. */
  commands: readonly CommandDoc[];
  /** Commands legal in a session state. */
  legalIn(state: string): readonly CommandDoc[];
  diagram: SessionDiagram;
}

/** The IMAP half, from the lazily loaded chunk (`imap-support.ts`). */
export interface ImapSupport extends ProtocolInfo {
  session: SessionFactory;
  client: ImapClientFactory;
  /** DONE, the one line legal while IDLE (it has no tag). */
  done: CommandDoc;
  /** Adds the next tag to a line that starts with a command (`LOGIN ...` → `a1 LOGIN ...`). */
  addTag(line: string, nextTag: string): { line: string; added: string | null };
}

/** Short arrow labels for the machine's semantic events (the machine's descriptions become tooltips). */
const POP3_LABELS: Record<string, string> = { 'auth.ok': 'login', quit: 'QUIT', 'update.done': 'done' };

/** RFC 1939's states as the learner sees them, drawn from the machine definition. */
export function pop3Diagram(): SessionDiagram {
  const machine = describePop3Machine();
  return {
    states: machine.states.map((s) => ({
      id: s.id,
      commands: s.commands,
      description: s.description,
      final: s.final,
    })),
    // Self-loops (USER, a failed PASS) and dropped connections are left out so the path reads.
    transitions: machine.transitions
      .filter((t) => t.from !== t.to && t.event !== 'connection.drop')
      .map((t) => ({
        from: t.from,
        to: t.to,
        label: POP3_LABELS[t.event] ?? t.event,
        description: t.description,
      })),
  };
}

export const POP3_INFO: ProtocolInfo = {
  name: 'POP3',
  commands: pop3Commands,
  legalIn: pop3CommandsLegalIn,
  diagram: pop3Diagram(),
};

export class PageEngine {
  imap: ImapSupport | null = null;
  #loading: Promise<ImapSupport> | null = null;
  /** Worlds made here: they get IMAP's client when it arrives. */
  #worlds = new Set<WorldCore>();

  /** Servers made before IMAP's code arrived get it installed then (weakly held: old worlds go). */
  #servers: WeakRef<MailServer>[] = [];

  readonly createServer: ServerFactory = ({ store, now }) => {
    const server = createMailServer({
      store,
      now,
      hostname: 'mail.wonderland.example',
      sessionFactories: { pop3: createPop3Session, ...(this.imap ? { imap: this.imap.session } : {}) },
    });
    if (!this.imap) this.#servers.push(new WeakRef(server));
    return server;
  };

  constructor(private readonly importImap: () => Promise<ImapSupport>) {}

  /** Fetches IMAP's code once (server sessions, the device client, command docs, diagram). */
  loadImap(): Promise<ImapSupport> {
    this.#loading ??= this.importImap().then(
      (imap) => {
        this.imap = imap;
        for (const ref of this.#servers.splice(0)) ref.deref()?.setSessionFactory('imap', imap.session);
        for (const w of this.#worlds) w.setImapClient(imap.client);
        return imap;
      },
      (err: unknown) => {
        this.#loading = null;
        throw err;
      },
    );
    return this.#loading;
  }

  info(protocol: Protocol): ProtocolInfo | null {
    return protocol === 'pop3' ? POP3_INFO : this.imap;
  }

  #options() {
    return {
      createServer: this.createServer,
      // Devices keep what they downloaded, so a learner can open a copy and read it.
      keepMessageBytes: 256 * 1024,
      ...(this.imap ? { imapClient: this.imap.client } : {}),
    };
  }

  #track<W extends WorldCore>(w: W): W {
    this.#worlds.add(w);
    return w;
  }

  forget(w: WorldCore): void {
    this.#worlds.delete(w);
  }

  fromScenario(scenario: Scenario, protocol?: Protocol): WorldCore {
    return this.#track(
      WorldCore.fromScenario(scenario, { ...this.#options(), ...(protocol ? { protocol } : {}) }),
    );
  }

  load(data: WorldData | string): WorldCore {
    return this.#track(WorldCore.load(data, this.#options()));
  }
}

/** Whether a world (or a scenario about to become one) needs IMAP's code. */
export function needsImap(scenario: Scenario | null, data?: WorldData | null): boolean {
  if (data) return data.protocol === 'imap' || data.devices.some((d) => d.protocol === 'imap');
  if (!scenario) return false;
  return (
    scenario.devices.some((d) => d.protocol === 'imap') ||
    scenario.timeline.some(
      (a) =>
        (a.do === 'protocol' && a.protocol === 'imap') ||
        (a.do === 'addDevice' && a.device.protocol === 'imap'),
    )
  );
}
