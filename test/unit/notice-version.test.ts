import { describe, expect, it } from 'vitest';
import { checkNextVersion, compareNoticeVersions, parseNoticeVersion } from '../../src/domain/notice-version.js';

const v = (text: string) => {
  const parsed = parseNoticeVersion(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

describe('notice versions', () => {
  it('reads dotted numbers and dates, forgiving a leading v', () => {
    expect(v('2026.2')).toEqual({ text: '2026.2', parts: [2026, 2] });
    expect(v(' v3 ')).toEqual({ text: '3', parts: [3] });
    expect(v('2026-03-01').parts).toEqual([2026, 3, 1]);
  });

  it.each(['', 'draft', '2026.x', '1..2', '2026.2-beta', 'x'.repeat(50)])('refuses %j with an example', (text) => {
    const parsed = parseNoticeVersion(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain('e.g. 2026.2');
  });

  it('compares part by part as numbers', () => {
    expect(compareNoticeVersions(v('2026.2'), v('2026.1'))).toBe(1);
    expect(compareNoticeVersions(v('2026.10'), v('2026.9'))).toBe(1);
    expect(compareNoticeVersions(v('2026.1'), v('2026.1.0'))).toBe(0);
    expect(compareNoticeVersions(v('2025.12'), v('2026.1'))).toBe(-1);
    expect(compareNoticeVersions(v('2026-03-01'), v('2026-02-28'))).toBe(1);
  });

  it('accepts the same or a newer version, never an older one', () => {
    expect(checkNextVersion(null, v('1')).ok).toBe(true);
    expect(checkNextVersion('2026.1', v('2026.1')).ok).toBe(true);
    expect(checkNextVersion('2026.1', v('2026.2')).ok).toBe(true);
    const back = checkNextVersion('2026.2', v('2026.1'));
    expect(back).toEqual({ ok: false, error: expect.stringContaining('Version 2026.1 is older than 2026.2') });
    expect(checkNextVersion('first draft', v('1')).ok).toBe(true);
  });
});
