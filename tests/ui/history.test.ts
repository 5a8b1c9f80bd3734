import { describe, expect, it } from 'vitest';
import { CommandHistory } from '../../src/editor/history';

describe('CommandHistory', () => {
  it('walks back with Up and forward with Down, returning the draft at the end', () => {
    const h = new CommandHistory();
    h.push('USER alice');
    h.push('PASS wonderland');
    expect(h.up('STA')).toBe('PASS wonderland');
    expect(h.up('ignored')).toBe('USER alice');
    expect(h.up('ignored')).toBeNull();
    expect(h.down()).toBe('PASS wonderland');
    expect(h.down()).toBe('STA');
    expect(h.down()).toBeNull();
  });

  it('does nothing on Up when nothing was sent', () => {
    expect(new CommandHistory().up('x')).toBeNull();
  });

  it('stores a repeated command once and ignores blank lines', () => {
    const h = new CommandHistory();
    h.push('STAT');
    h.push('STAT');
    h.push('   ');
    expect(h.size).toBe(1);
    expect(h.up('')).toBe('STAT');
    expect(h.up('')).toBeNull();
  });

  it('restarts the walk after a new command is sent', () => {
    const h = new CommandHistory();
    h.push('LIST');
    h.push('STAT');
    h.up('');
    h.up('');
    h.push('NOOP');
    expect(h.up('')).toBe('NOOP');
  });

  it('keeps at most the limit, dropping the oldest', () => {
    const h = new CommandHistory(2);
    h.push('a');
    h.push('b');
    h.push('c');
    expect(h.up('')).toBe('c');
    expect(h.up('')).toBe('b');
    expect(h.up('')).toBeNull();
  });
});
