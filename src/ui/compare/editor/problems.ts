import type { Attachment } from 'svelte/attachments';
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

/**
 * Ties a control to its path and its problems: `{@attach tie(a)}`. The attributes are set one
 * by one rather than spread: a spread would put Svelte's attribute-spreading code in the first
 * load (the module it lives in is the shell's).
 */
export function tie(a: FieldAttrs): Attachment<Element> {
  return (el) => {
    for (const [name, value] of Object.entries(a))
      if (value === undefined) el.removeAttribute(name);
      else el.setAttribute(name, value);
  };
}
