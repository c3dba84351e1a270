import { describe, expect, it } from 'vitest';
import { csvCell } from './csv.ts';

describe('csvCell', () => {
  it('keeps numbers as they are, and defuses anything else a spreadsheet would run as a formula', () => {
    expect(csvCell('-0.03594546')).toBe('-0.03594546');
    expect(csvCell('59909.1')).toBe('59909.1');
    expect(csvCell('-1e-7')).toBe('-1e-7');
    expect(csvCell("-1+cmd|' /C calc'!A0")).toBe("'-1+cmd|' /C calc'!A0");
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('BTCUSDT')).toBe('BTCUSDT');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
  });
});
