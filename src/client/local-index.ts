/**
 * A per-folder tally of a device's local messages (UIDs held, messages, unseen), kept beside
 * its `messages` array. An IMAP poll needs "which UIDs do I hold in this folder" and "how many
 * messages / unseen in each other folder" (RFC 9051 §6.3.11 STATUS comparison); answering both
 * by scanning every local message on every poll was the largest part of a simulated year once
 * devices held thousands of messages.
 *
 * The tally belongs to one array object (a WeakMap key), so code that replaces the array gets a
 * fresh tally. Code in src/client that changes the array or a message in place either appends
 * through `noteAppended` or calls `forgetIndex` (a UID, folder or flags change). As a guard
 * against anything else, a tally whose length no longer matches its array is rebuilt.
 */
import type { LocalMessage } from './types';

export interface FolderTally {
  /** UIDs of local copies in the folder (copies without a UID are not in it). */
  readonly uids: Set<number>;
  /** Local copies in the folder, with or without UID. */
  messages: number;
  /** Of those, copies without \Seen. */
  unseen: number;
}

interface LocalIndex {
  length: number;
  readonly folders: Map<string, FolderTally>;
}

const indexes = new WeakMap<readonly LocalMessage[], LocalIndex>();

function add(ix: LocalIndex, m: LocalMessage): void {
  let t = ix.folders.get(m.folder);
  if (!t) ix.folders.set(m.folder, (t = { uids: new Set(), messages: 0, unseen: 0 }));
  t.messages++;
  if (!m.flags.includes('\\Seen')) t.unseen++;
  if (m.uid !== undefined) t.uids.add(m.uid);
}

/** The tally of each folder of `messages`, built on first use and kept while the array is. */
export function folderTallies(messages: readonly LocalMessage[]): ReadonlyMap<string, FolderTally> {
  let ix = indexes.get(messages);
  if (!ix || ix.length !== messages.length) {
    ix = { length: 0, folders: new Map() };
    for (const m of messages) add(ix, m);
    ix.length = messages.length;
    indexes.set(messages, ix);
  }
  return ix.folders;
}

/** `m` was just pushed onto `messages`. */
export function noteAppended(messages: readonly LocalMessage[], m: LocalMessage): void {
  const ix = indexes.get(messages);
  if (!ix) return;
  if (ix.length === messages.length - 1 && messages[messages.length - 1] === m) {
    add(ix, m);
    ix.length++;
  } else indexes.delete(messages);
}

/** A message of `messages` changed folder, UID or flags, or was removed in place. */
export function forgetIndex(messages: readonly LocalMessage[]): void {
  indexes.delete(messages);
}
