/** Reading the editor's inputs: an emptied field leaves the scenario rather than writing "". */

/** A number input's number, or undefined when it is empty or not a number. */
export function numberOf(el: HTMLInputElement): number | undefined {
  return el.value.trim() === '' || Number.isNaN(el.valueAsNumber) ? undefined : el.valueAsNumber;
}

/** An optional text field: undefined when empty. */
export function optionalText(value: string): string | undefined {
  return value === '' ? undefined : value;
}
