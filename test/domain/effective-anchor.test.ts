import { describe, expect, it } from 'vitest';
import { effectiveAnchor } from '../../src/domain/effective-anchor.ts';

const OBJECT_GUID = '96dcc383-2f6e-4fa2-af15-6b4c1119259a';
const CONSISTENCY = '59815f49-920b-4e9d-ad6c-82b53aa4c102';

describe('effectiveAnchor', () => {
  it('auto: ConsistencyGuid when set', () => {
    expect(effectiveAnchor('auto', OBJECT_GUID, CONSISTENCY)).toEqual({
      attribute: 'mS-DS-ConsistencyGuid',
      guid: CONSISTENCY,
      immutableId: 'SV+BWQuSnU6tbIK1OqTBAg==',
    });
  });
  it('auto: objectGUID when ConsistencyGuid is empty', () => {
    expect(effectiveAnchor('auto', OBJECT_GUID, null)).toEqual({
      attribute: 'objectGUID',
      guid: OBJECT_GUID,
      immutableId: 'g8Pclm4vok+vFWtMERklmg==',
    });
  });
  it('objectGUID setting ignores ConsistencyGuid (DirSync-era tenants)', () => {
    expect(effectiveAnchor('objectGUID', OBJECT_GUID, CONSISTENCY).attribute).toBe('objectGUID');
  });
  it('ConsistencyGuid setting with an empty attribute: objectGUID is what Connect copies in', () => {
    expect(effectiveAnchor('mS-DS-ConsistencyGuid', OBJECT_GUID, null).immutableId).toBe('g8Pclm4vok+vFWtMERklmg==');
  });
});
