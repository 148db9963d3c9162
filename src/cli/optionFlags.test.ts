import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { flagForOption } from './optionFlags.js';

describe('flagForOption', () => {
  it('maps library option names to CLI flags and leaves unknown names alone', () => {
    expect(flagForOption('maxLoss')).toBe('--max-loss');
    expect(flagForOption('maxFindingsPerKind')).toBe('--max-findings');
    expect(flagForOption('weightsMaxAge')).toBe('--weights-max-age');
    expect(flagForOption('toString')).toBeUndefined();
    expect(flagForOption('noSuchOption')).toBeUndefined();
  });

  it('a library error renamed for the CLI names flags only', () => {
    const e = new InputError('lost more than maxLoss', { hint: 'raise maxLoss, or lower minAssets', options: ['maxLoss', 'minAssets'] });
    expect(e.renamed(flagForOption)).toBe('lost more than --max-loss\n  hint: raise --max-loss, or lower --min-assets');
  });
});
