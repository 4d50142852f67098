import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCharts } from '../../src/reports/charts.js';
import { quarterReport } from '../../src/reports/figures.js';
import { quarterOf } from '../../src/reports/quarter.js';
import { chartPng, chartSvg } from '../../src/reports/render-chart.js';
import { EXAMPLE_INPUT } from '../support/report-example.js';

const report = quarterReport(EXAMPLE_INPUT, quarterOf(2026, 3), (d) => d.toISOString().slice(0, 10));
const OUT = process.env.REPORT_CHARTS_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-charts-'));

/** Width and height from the PNG's IHDR chunk: the file really is a PNG of that size. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('charts, rendered server-side', () => {
  it.each(reportCharts(report).map((c) => [c.id, c] as const))('%s: an SVG with its title and axis titles, and a PNG at twice its size', async (id, chart) => {
    const svg = await chartSvg(chart);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('2026-Q3');
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    const height = Number(/height="(\d+)"/.exec(svg)![1]);
    const png = await chartPng(chart);
    expect(pngSize(png)).toEqual({ width: width * 2, height: height * 2 });
    expect(width).toBeGreaterThan(560);
    fs.writeFileSync(path.join(OUT, `${id}.png`), png);
  });

  it('the main chart carries the months, the figures and the palette that stays readable without colour vision', async () => {
    const [main] = reportCharts(report);
    const svg = await chartSvg(main!);
    for (const text of ['Requests by month, to 2026-Q3', 'Requests received', 'Answered on time (%)', 'Jul 26', 'Sep 26', '7 of 10 on time']) expect(svg).toContain(text);
    expect(svg).toContain('#0072B2');
    expect(svg).toContain('#D55E00');
    expect(main!.alt).toContain('11 received, 70% on time');
  });

  it('a quarter without breaches says so rather than drawing nothing', async () => {
    const empty = quarterReport({ ...EXAMPLE_INPUT, breaches: [] }, quarterOf(2026, 3), (d) => d.toISOString().slice(0, 10));
    const svg = await chartSvg(reportCharts(empty)[3]!);
    expect(svg).toContain('0 breaches');
    expect(svg).toContain('none reported');
  });
});
