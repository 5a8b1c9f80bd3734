/**
 * Command history for a terminal line, walked with Up/Down like a shell: Up
 * from a half-typed line keeps that draft and gives it back after the newest
 * entry; repeated identical commands are stored once.
 */
export class CommandHistory {
  private entries: string[] = [];
  /** Position while walking; entries.length means "the draft". */
  private cursor = 0;
  private draft = '';

  constructor(private readonly limit = 200) {}

  get size(): number {
    return this.entries.length;
  }

  /** Records a sent line and ends any walk. */
  push(line: string): void {
    if (line.trim() !== '' && this.entries[this.entries.length - 1] !== line) {
      this.entries.push(line);
      if (this.entries.length > this.limit) this.entries.shift();
    }
    this.cursor = this.entries.length;
    this.draft = '';
  }

  /** The older entry, or null when there is none (keep the line as it is). */
  up(current: string): string | null {
    if (this.cursor === 0) return null;
    if (this.cursor === this.entries.length) this.draft = current;
    this.cursor--;
    return this.entries[this.cursor];
  }

  /** The newer entry, the draft after the newest, or null when not walking. */
  down(): string | null {
    if (this.cursor >= this.entries.length) return null;
    this.cursor++;
    return this.cursor === this.entries.length ? this.draft : this.entries[this.cursor];
  }
}
