import { describe, expect, it } from 'vitest';
import {
  allowUnconfinedTemplates,
  compareVersions,
  TEMPLATE_CONFINEMENT,
  templatesConfined,
  VECTOR_VERSION,
} from '../../lib/vector';
import { vectorReference } from '../../lib/vector/reference/reference';

describe('template confinement follows the Vector version', () => {
  it('holds for the pinned Vector, whose reference has the option that turns it off', () => {
    expect(VECTOR_VERSION).toBe('0.57.0');
    expect(templatesConfined()).toBe(true);
    expect(allowUnconfinedTemplates()).toEqual({ dangerously_allow_unconfined_template_resolution: true });
    const reference = vectorReference();
    expect(reference.vectorVersion).toBe(VECTOR_VERSION);
    expect(reference.sinks.loki.options[TEMPLATE_CONFINEMENT.option]).toMatchObject({
      types: ['bool'],
      default: false,
    });
  });

  it('does not hold before 0.57.0, so nothing is added there', () => {
    expect(templatesConfined('0.56.1')).toBe(false);
    expect(templatesConfined('v0.46.0')).toBe(false);
    expect(allowUnconfinedTemplates('0.56.1')).toEqual({});
  });

  it('holds for later releases while no `until` is known', () => {
    expect(TEMPLATE_CONFINEMENT.until).toBeUndefined();
    expect(templatesConfined('0.57.1')).toBe(true);
    expect(templatesConfined('1.0.0-alpine')).toBe(true);
  });

  it('stops at the release that lifts it, once `until` names one', () => {
    const lifted = { since: '0.57.0', until: '0.60.0' };
    expect(templatesConfined('0.59.2', lifted)).toBe(true);
    expect(templatesConfined('0.60.0', lifted)).toBe(false);
  });

  it('compares release numbers numerically, and refuses what is not one', () => {
    expect(compareVersions('0.100.0', '0.57.0')).toBe(1);
    expect(compareVersions('0.57', '0.57.0')).toBe(0);
    expect(compareVersions('0.9.9', '0.57.0')).toBe(-1);
    expect(() => compareVersions('latest', '0.57.0')).toThrow(
      '"latest" is not a Vector release number: give major.minor.patch, e.g. 0.57.0',
    );
  });
});
