/**
 * The builder's draft: a recording plus the teacher's words, and the defaults that make a
 * freshly recorded lesson valid at once (every step gets a prompt, two hints and an explanation
 * written from what was done, and the first suggested goal), so "Check" passes before the
 * teacher has typed anything and each field only needs improving.
 */
import { parse, stringify } from 'yaml';
import type { Check, SolutionEntry } from '../../../lessons/index';
import { durationText } from '../../../lessons/checks';
import { theDevice } from '../../../world/words';
import type { WorldAction } from '../../../world/scenario';
import { t } from '../strings';
import type { LessonDraft } from './write';
import type { Suggestion } from './suggest';

/** A goal the teacher can pick: a check written as a YAML flow mapping, editable. */
export interface GoalChoice {
  text: string;
  picked: boolean;
  /** What the checker says about it after the recorded step (for suggestions). */
  note: string | null;
}

export interface StepForm {
  title: string;
  prompt: string;
  hints: string[];
  explanation: string;
  goals: GoalChoice[];
  solution: SolutionEntry[];
}

export interface LessonForm {
  id: string;
  title: string;
  summary: string;
  track: LessonDraft['track'];
  level: LessonDraft['level'];
  minutes: number;
  claims: string[];
  intro: string;
  steps: StepForm[];
}

/** A check as one line of YAML: `{ session: { device: laptop, state: TRANSACTION } }`. */
export function checkText(check: Check): string {
  return stringify(check, { collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: true }).trim();
}

/** Reads a goal line back; throws an Error with a short reason. */
export function parseCheck(text: string): Check {
  let v: unknown;
  try {
    v = parse(text, { uniqueKeys: true, maxAliasCount: 0 });
  } catch (err) {
    throw new Error(`not readable YAML (${(err as Error).message.split('\n')[0]})`, { cause: err });
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('a goal is a mapping such as { server: { count: 0 } }');
  return v as Check;
}

/** The goal of a step: the picked checks (several: all of them). Throws when one does not read. */
export function goalOf(step: StepForm, index: number): Check {
  const picked = step.goals.filter((g) => g.picked && g.text.trim());
  const checks = picked.map((g, i) => {
    try {
      return parseCheck(g.text);
    } catch (err) {
      throw new Error(t('ui.builder.goalUnreadable', { step: index + 1, n: i + 1, reason: (err as Error).message }), {
        cause: err,
      });
    }
  });
  if (checks.length === 0) throw new Error(t('ui.builder.noGoal', { step: index + 1 }));
  return checks.length === 1 ? checks[0] : { all: checks };
}

export function draftOf(form: LessonForm, start: LessonDraft['start'], setup: SolutionEntry[]): LessonDraft {
  return {
    id: form.id,
    title: form.title,
    summary: form.summary,
    claims: form.claims,
    track: form.track,
    level: form.level,
    minutes: form.minutes,
    start,
    setup,
    intro: form.intro,
    steps: form.steps.map((s, i) => ({
      ...(s.title.trim() ? { title: s.title } : {}),
      prompt: s.prompt,
      goal: goalOf(s, i),
      hints: s.hints.filter((h) => h.trim()),
      solution: s.solution,
      explanation: s.explanation,
    })),
  };
}

/** How the builder names things: a device by its name, a message by its subject. */
export interface Names {
  device(id: string): string;
  message(ref: string): string;
}

/** One entry in words, for the default prompt and hints ("On the laptop, type `USER alice`"). */
export function entryWords(e: SolutionEntry, names: Names): string {
  const d = (id: string) => theDevice(names.device(id));
  const m = (ref: string) => (ref === '*' ? t('message.all') : `'${names.message(ref)}'`);
  if ('type' in e) return t('action.type', { device: d(e.device), line: `\`${e.type}\`` });
  const a = e as WorldAction;
  switch (a.do) {
    case 'check':
      return a.device === '*' ? t('action.checkAll') : t('action.check', { device: d(a.device) });
    case 'read':
    case 'unread':
    case 'flag':
    case 'unflag':
    case 'delete':
      return t(`action.${a.do}`, { device: d(a.device), message: m(a.message) });
    case 'move':
      return t('action.move', { device: d(a.device), message: m(a.message), to: a.to });
    case 'createFolder':
      return t('action.createFolder', { device: d(a.device), name: a.name });
    case 'offline':
    case 'online':
    case 'lose':
    case 'drop':
      return t(`action.${a.do}`, { device: d(a.device) });
    case 'addDevice':
      return t('action.addDevice', { device: a.device.name ?? a.device.id });
    case 'protocol':
      return t('action.protocol', { device: d(a.device), protocol: a.protocol.toUpperCase() });
    case 'settings':
      return t('action.settings', { device: d(a.device) });
    case 'deliver':
      return t('action.deliver', { subject: `'${a.message.subject}'` });
    case 'traffic':
      return t('action.traffic', { perDay: a.perDay, days: a.days });
    case 'advance':
      return t('action.advance', {
        time: durationText(t, (a.days ?? 0) * 86_400_000 + (a.hours ?? 0) * 3_600_000 + (a.minutes ?? 0) * 60_000),
      });
    case 'note':
      return t('action.note', { text: a.text });
    default:
      return a.do;
  }
}

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The form a recording starts with: valid as it is, to be improved by the teacher. */
export function initialForm(
  steps: SolutionEntry[][],
  suggestions: Suggestion[][],
  names: Names,
): LessonForm {
  const title = t('ui.builder.defaultTitle');
  return {
    id: 'my-lesson',
    title,
    summary: t('ui.builder.defaultSummary'),
    track: 'stories',
    level: 'beginner',
    minutes: Math.min(60, Math.max(3, steps.length * 3)),
    claims: [],
    intro: t('ui.builder.defaultIntro'),
    steps: steps.map((solution, i) => {
      const words = solution.map((e) => sentence(entryWords(e, names)));
      const goals = (suggestions[i] ?? []).map((s, k) => ({ text: checkText(s.check), picked: k === 0, note: s.text }));
      return {
        title: '',
        prompt: words.length === 1 ? `${words[0]}.` : words.map((w) => `- ${w}`).join('\n'),
        hints: [t('ui.builder.defaultHint'), words.join('; ') + '.'],
        explanation: goals[0]?.note ?? t('ui.builder.defaultExplanation'),
        goals,
        solution,
      };
    }),
  };
}
