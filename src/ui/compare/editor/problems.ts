/**
 * The editor's problems as the form's fields read them: ScenarioEditor puts them in a context,
 * each Field shows the ones about its own path (and marks its control invalid), and the form
 * parts that are mounted alone (in tests) see none.
 */
import { getContext, setContext } from 'svelte';

export interface FormProblems {
  /** The messages of the problems about exactly this path (`devices[0].kind`). */
  at(path: string): string[];
  /** The problems about this path or inside it, as lines relative to it ("device.kind: ..."). */
  under(path: string): string[];
}

const KEY = Symbol('scenario form problems');
const NONE: FormProblems = { at: () => [], under: () => [] };

export function setFormProblems(problems: FormProblems): void {
  setContext(KEY, problems);
}

export function formProblems(): FormProblems {
  return getContext<FormProblems | undefined>(KEY) ?? NONE;
}

/** What a Field gives its control: the path it edits, and its problems when it has some. */
export interface FieldAttrs {
  'data-path': string | undefined;
  'aria-invalid': 'true' | undefined;
  'aria-describedby': string | undefined;
}
