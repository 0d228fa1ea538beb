import { describe, expect, it } from 'vitest';
import { guardMethod, tamperMessage } from './guard';

describe('guardMethod / tamperMessage', () => {
  it('keeps the wrapper in place, records who assigned, and refuses redefinition', () => {
    class Target {
      run(): string {
        return 'original';
      }
    }
    const ours = function lifeguardRun(): string {
      return 'lifeguard';
    };
    expect(tamperMessage()).toBeUndefined();
    guardMethod(Target.prototype, 'run', 'Target.prototype.run', ours);
    expect(new Target().run()).toBe('lifeguard');
    (Target.prototype as { run: unknown }).run = () => 'foreign';
    expect(new Target().run()).toBe('lifeguard');
    const msg = tamperMessage();
    expect(msg).toContain('Target.prototype.run (replaced by ');
    expect(msg).toContain('guard.test.ts');
    expect(() => Object.defineProperty(Target.prototype, 'run', { value: () => 'foreign' })).toThrow(TypeError);
  });

  it('an own getDependencyMeta on a Project object counts as tampering', () => {
    expect(tamperMessage({ getDependencyMeta: () => ({}) })).toContain('getDependencyMeta on the Project object');
  });
});
