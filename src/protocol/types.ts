/**
 * What every protocol command module exports. The engine, Monaco completion,
 * hover and diagnostics, and the command reference page are all generated
 * from these definitions: a command that is documented is implemented.
 */
export interface CommandDoc {
  /** Command name as typed, upper case (e.g. "RETR", "UID FETCH"). */
  name: string;
  /** Argument grammar in the RFC's notation, e.g. "RETR msg" or "TOP msg n". */
  syntax: string;
  /** Session states in which the command is legal (protocol's own state names). */
  states: readonly string[];
  /** One paragraph in our own words. */
  summary: string;
  /** RFC and section, e.g. "RFC 1939 §5". */
  rfc: string;
  /** Example command lines a learner can type. */
  examples: readonly string[];
}
