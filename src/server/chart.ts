import {
  initialTransition,
  transition,
  type AnyStateMachine,
  type StateValue,
  type EventFromLogic,
  type SnapshotFrom,
} from 'xstate';

/**
 * Runs one session's copy of a protocol state chart (the POP3 and IMAP session machines).
 *
 * Those charts hold no context and no guards: where they go, and which actions they name on the
 * way, depends only on the state they are in and the event's type. So XState works out each
 * (state, event type) step once, with its pure `transition`, and every later session replays
 * that answer: the same next snapshot, the same actions in the same order. A year of simulated
 * mail opens twenty thousand POP3 sessions; running the statechart algorithm for each of their
 * events (and an actor per session) cost more than the protocol exchange itself (docs/world.md,
 * round 4).
 *
 * The actions a chart names (`entry: ['commitUpdate']`) are done by the session through
 * `perform`, in the order XState lists them, with the event the session sent (null for the
 * initial state's entry); XState's own actions (`raise`) are already applied within the step. A chart with context or a guard is refused when the first runner is made,
 * so nobody can add one and get wrong answers from the memo.
 */

export interface ChartAction {
  type: string;
  params?: unknown;
}

interface Step<M extends AnyStateMachine> {
  next: SnapshotFrom<M>;
  /** `keyOf(next)`. */
  key: string;
  actions: readonly ChartAction[];
}

interface Memo<M extends AnyStateMachine> {
  initial: Step<M>;
  /**
   * One snapshot per state (value and status): a context-free chart's snapshots in the same
   * state are interchangeable, so however many events a session sends (a client repeating USER
   * forever), the memo holds at most states x event types steps.
   */
  canonical: Map<string, SnapshotFrom<M>>;
  /** Per state key, per event type. */
  steps: Map<string, Map<string, Step<M>>>;
}

function keyOf(snapshot: { value: unknown; status: string }): string {
  return `${snapshot.status} ${JSON.stringify(snapshot.value)}`;
}

const memos = new WeakMap<AnyStateMachine, Memo<AnyStateMachine>>();

/**
 * Throws unless the chart's behaviour is a function of (state, event type) alone: no context, no
 * guards, actions named by string or `{type, params}` with fixed params, and `raise` of a fixed
 * event. (An inline function or dynamic params would see only the first session's event.)
 */
export function assertContextFree(machine: AnyStateMachine): void {
  const refuse = (why: string): never => {
    throw new Error(`chart "${machine.id}": ${why}; ChartRunner needs a chart without it`);
  };
  if (machine.config.context !== undefined) refuse('it has context');
  const checkActions = (where: string, actions: readonly unknown[]) => {
    for (const a of actions) {
      if (typeof a === 'string') continue;
      if (typeof a === 'function') {
        const builtin = a as { type?: unknown; event?: unknown };
        if (builtin.type === 'xstate.raise' && typeof builtin.event === 'object') continue;
        refuse(`${where} has an inline or dynamic action`);
      }
      const o = a as { type?: unknown; params?: unknown };
      if (typeof o.type !== 'string' || typeof o.params === 'function')
        refuse(`${where} has an action with dynamic params`);
    }
  };
  const visit = (node: AnyStateMachine['root']): void => {
    checkActions(`${node.key} entry`, node.entry);
    checkActions(`${node.key} exit`, node.exit);
    for (const [event, defs] of node.transitions)
      for (const def of defs) {
        if (def.guard !== undefined) refuse(`${node.key} on ${event} has a guard`);
        checkActions(`${node.key} on ${event}`, def.actions);
      }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
}

function ownActions(actions: readonly { type: string; params?: unknown }[]): ChartAction[] {
  return actions
    .filter((a) => !a.type.startsWith('xstate.'))
    .map((a) => (a.params === undefined ? { type: a.type } : { type: a.type, params: a.params }));
}

function memoOf<M extends AnyStateMachine>(machine: M): Memo<M> {
  let memo = memos.get(machine) as Memo<M> | undefined;
  if (!memo) {
    assertContextFree(machine);
    const [next, actions] = (
      initialTransition as (m: AnyStateMachine) => ReturnType<typeof initialTransition>
    )(machine);
    const key = keyOf(next);
    memo = {
      initial: { next: next as SnapshotFrom<M>, key, actions: ownActions(actions) },
      canonical: new Map([[key, next as SnapshotFrom<M>]]),
      steps: new Map(),
    };
    memos.set(machine, memo as unknown as Memo<AnyStateMachine>);
  }
  return memo;
}

/** A canonical snapshot's key (every snapshot the memo hands out is canonical). */
function keyFor<M extends AnyStateMachine>(memo: Memo<M>, snapshot: SnapshotFrom<M>): string {
  let key = keys.get(snapshot);
  if (key === undefined) {
    key = keyOf(snapshot as { value: unknown; status: string });
    keys.set(snapshot, key);
    if (!memo.canonical.has(key)) memo.canonical.set(key, snapshot);
  }
  return key;
}

/** Each snapshot's key, worked out once (snapshots are immutable). */
const keys = new WeakMap<object, string>();

/**
 * The chart's snapshot in state `value`, entered without running entry actions (to start a
 * chart where saved data says it was, e.g. a device that was offline).
 */
export function chartState<M extends AnyStateMachine>(machine: M, value: StateValue): SnapshotFrom<M> {
  const memo = memoOf(machine);
  const resolved = machine.resolveState({ value, context: undefined } as never) as SnapshotFrom<M>;
  const key = keyOf(resolved as { value: unknown; status: string });
  const known = memo.canonical.get(key);
  if (known) return known;
  memo.canonical.set(key, resolved);
  return resolved;
}

export interface ChartStep<M extends AnyStateMachine> {
  next: SnapshotFrom<M>;
  actions: readonly ChartAction[];
}

/** XState's step on `event` from `from` (a snapshot this module handed out), memoized per state and event type. */
export function chartStep<M extends AnyStateMachine>(
  machine: M,
  from: SnapshotFrom<M>,
  event: EventFromLogic<M>,
): ChartStep<M> {
  const memo = memoOf(machine);
  const fromKey = keyFor(memo, from);
  let byType = memo.steps.get(fromKey);
  if (!byType) memo.steps.set(fromKey, (byType = new Map()));
  let step = byType.get(event.type);
  if (!step) {
    const [computed, actions] = transition(machine, from, event);
    const key = keyOf(computed as { value: unknown; status: string });
    const known = memo.canonical.get(key);
    const next = known ?? (computed as SnapshotFrom<M>);
    if (!known) memo.canonical.set(key, next);
    step = { next, key, actions: ownActions(actions) };
    byType.set(event.type, step);
  }
  return step;
}

export class ChartRunner<M extends AnyStateMachine> {
  private current: SnapshotFrom<M>;

  /** Enters the chart's initial state, performing its entry actions. */
  constructor(
    private readonly machine: M,
    private readonly perform: (action: ChartAction, event: EventFromLogic<M> | null) => void,
  ) {
    const { next, actions } = memoOf(machine).initial;
    this.current = next;
    for (const a of actions) perform(a, null);
  }

  /** The chart's snapshot now (XState's own snapshot object: `value`, `status`, `matches`, `can`). */
  get snapshot(): SnapshotFrom<M> {
    return this.current;
  }

  /**
   * One event: the step XState computes for this state and event type (once), its actions
   * performed in order, then the new snapshot. If an action throws, the snapshot stays where it
   * was and the error goes to the caller (as an actor stops on an action's error).
   */
  send(event: EventFromLogic<M>): void {
    const step = chartStep(this.machine, this.current, event);
    for (const a of step.actions) this.perform(a, event);
    this.current = step.next;
  }
}
