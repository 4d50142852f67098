import type { TopLevelSpec } from 'vega-lite';
import type { QuarterReport } from './figures.js';

/**
 * The report's pictures as Vega-Lite specifications: data in, no I/O. Colours are the Okabe–Ito
 * palette, which stays distinguishable with the common colour-vision deficiencies; every chart
 * names its quarter in the title and labels both axes. Sizes and fonts are chosen to stay legible
 * when chat shrinks the image to a message's width.
 */
export const PALETTE = { blue: '#0072B2', orange: '#E69F00', sky: '#56B4E9', vermillion: '#D55E00', green: '#009E73', grey: '#999999' } as const;
export const FONT = 'DejaVu Sans, Verdana, sans-serif';

export interface ChartSpec {
  readonly id: 'requests-by-month' | 'days-to-close' | 'backlog-by-age' | 'breaches-72h';
  readonly title: string;
  /** What the chart shows, in words: the image's alternative text. */
  readonly alt: string;
  readonly spec: TopLevelSpec;
}

const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 12,
  title: { fontSize: 18, fontWeight: 'bold' as const, anchor: 'start' as const, subtitleFontSize: 13, subtitleColor: '#444444', offset: 12 },
  axis: { labelFontSize: 13, titleFontSize: 14, titleFontWeight: 'normal' as const, labelColor: '#222222', titleColor: '#222222', gridColor: '#e4e4e4' },
  legend: { labelFontSize: 13, titleFontSize: 13, labelLimit: 320 },
  view: { stroke: null },
};
const WIDTH = 560;
const HEIGHT = 280;

function base(title: string, subtitle: string): Pick<TopLevelSpec, 'config'> & Record<string, unknown> {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: { text: title, subtitle }, width: WIDTH, height: HEIGHT, config: CONFIG };
}

function monthLabel(month: string): string {
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${names[Number(month.slice(5, 7)) - 1]} ${month.slice(2, 4)}`;
}

/** The main chart: requests received each month over five quarters, and the share answered on time. */
export function requestsByMonthChart(report: QuarterReport): ChartSpec {
  const key = report.quarter.key;
  const values = report.months.map((m) => ({ month: monthLabel(m.month), received: m.received, onTime: m.onTimeShare, inQuarter: m.month >= report.quarter.start.slice(0, 7) && m.month <= report.quarter.end.slice(0, 7) ? key : 'earlier' }));
  const order = values.map((v) => v.month);
  const x = { field: 'month', type: 'ordinal' as const, sort: order, title: 'Month received / answered', axis: { labelAngle: -45 } };
  return {
    id: 'requests-by-month',
    title: `Requests by month, to ${key}`,
    alt: `Bar chart of requests received each month from ${report.months[0]?.month ?? ''} to ${report.months.at(-1)?.month ?? ''}, with a line for the share answered on time; ${key}: ${report.requests.received} received, ${report.requests.onTimeShare ?? 'no'}% on time.`,
    spec: {
      ...base(`Requests by month, to ${key}`, `Bars: requests received. Line: % of that month's answers given on time. ${key}: ${report.requests.onTime} of ${report.requests.answered} on time.`),
      data: { values },
      layer: [
        { mark: { type: 'bar', width: { band: 0.7 } }, encoding: { x, y: { field: 'received', type: 'quantitative', title: 'Requests received', axis: { tickMinStep: 1, titleColor: PALETTE.blue } },
          color: { field: 'inQuarter', type: 'nominal', title: null, scale: { domain: [key, 'earlier'], range: [PALETTE.blue, PALETTE.sky] }, legend: { orient: 'top', direction: 'horizontal' } } } },
        { mark: { type: 'line', color: PALETTE.vermillion, strokeWidth: 3, point: { filled: true, size: 60, color: PALETTE.vermillion } },
          encoding: { x, y: { field: 'onTime', type: 'quantitative', title: 'Answered on time (%)', scale: { domain: [0, 100] }, axis: { orient: 'right', titleColor: PALETTE.vermillion } } } },
      ],
      resolve: { scale: { y: 'independent' } },
    } as TopLevelSpec,
  };
}

/** How long answers took: calendar days from receipt, in 10-day bins, with the one-month mark. */
export function daysToCloseChart(report: QuarterReport): ChartSpec {
  const key = report.quarter.key;
  const f = report.requests.daysToClose.fromReceipt;
  const bins = new Map<number, number>();
  for (const days of report.daysToClose) bins.set(Math.floor(days / 10) * 10, (bins.get(Math.floor(days / 10) * 10) ?? 0) + 1);
  const max = Math.max(40, ...bins.keys());
  const values = Array.from({ length: max / 10 + 1 }, (_, i) => ({ from: i * 10, label: `${i * 10}–${i * 10 + 9}`, count: bins.get(i * 10) ?? 0 }));
  return {
    id: 'days-to-close',
    title: `Days to answer, ${key}`,
    alt: `Histogram of calendar days from receipt to answer for the ${report.daysToClose.length} requests answered in ${key}; median ${f.median ?? 'none'}, 90th percentile ${f.p90 ?? 'none'}.`,
    spec: {
      ...base(`Days to answer, ${key}`, `${report.daysToClose.length} requests answered. Median ${f.median ?? '–'} days, 90th percentile ${f.p90 ?? '–'} days. Dashed: one month (about 30 days).`),
      data: { values },
      layer: [
        { mark: { type: 'bar', color: PALETTE.blue }, encoding: { x: { field: 'label', type: 'ordinal', sort: values.map((v) => v.label), title: 'Calendar days from receipt to answer', axis: { labelAngle: 0 } }, y: { field: 'count', type: 'quantitative', title: 'Requests', axis: { tickMinStep: 1 } } } },
        { mark: { type: 'rule', color: PALETTE.vermillion, strokeDash: [6, 4], strokeWidth: 2 }, encoding: { x: { datum: '30–39', type: 'ordinal', sort: values.map((v) => v.label), bandPosition: 0 } } },
      ],
    } as TopLevelSpec,
  };
}

export function backlogChart(report: QuarterReport): ChartSpec {
  const key = report.quarter.key;
  const values = report.requests.openByAge.map((b) => ({ band: b.band, count: b.count }));
  return {
    id: 'backlog-by-age',
    title: `Open requests at ${report.quarter.end}, by age`,
    alt: `Bar chart of the ${report.requests.openAtEnd} requests open at the end of ${key} by days since receipt; ${report.requests.overdueAtEnd} overdue.`,
    spec: {
      ...base(`Open requests at the end of ${key}, by age`, `${report.requests.openAtEnd} open on ${report.quarter.end}, ${report.requests.overdueAtEnd} of them overdue.`),
      data: { values },
      mark: { type: 'bar', color: PALETTE.orange },
      encoding: { x: { field: 'band', type: 'ordinal', sort: values.map((v) => v.band), title: 'Days since receipt', axis: { labelAngle: 0 } }, y: { field: 'count', type: 'quantitative', title: 'Open requests', axis: { tickMinStep: 1 } } },
    } as TopLevelSpec,
  };
}

export function breachChart(report: QuarterReport): ChartSpec {
  const key = report.quarter.key;
  const values = report.breaches.lines.filter((l) => l.hoursToReport !== null).map((l) => ({ reference: l.reference, hours: l.hoursToReport, status: l.status }));
  const b = report.breaches;
  return {
    id: 'breaches-72h',
    title: `Breaches against the 72-hour line, ${key}`,
    alt: `Bar chart of hours from awareness to the regulator's report for the ${b.reported} breaches reported in ${key}, against the 72-hour limit; ${b.reportedWithin72h} within it.`,
    spec: {
      ...base(`Breaches against the 72-hour line, ${key}`, `${b.count} breaches; ${b.reported} reported to the regulator, ${b.reportedWithin72h} within 72 hours; ${b.notReportable} not reportable.`),
      data: { values: values.length > 0 ? values : [{ reference: 'none reported', hours: 0, status: 'reported in time' }] },
      layer: [
        { mark: { type: 'bar', height: { band: 0.6 } }, encoding: {
          y: { field: 'reference', type: 'nominal', title: 'Breach', sort: null },
          x: { field: 'hours', type: 'quantitative', title: 'Hours from awareness to report', scale: { domainMin: 0, domainMax: Math.max(96, ...values.map((v) => v.hours ?? 0)) } },
          color: { field: 'status', type: 'nominal', title: null, scale: { domain: ['reported in time', 'reported late'], range: [PALETTE.blue, PALETTE.orange] }, legend: { orient: 'top', direction: 'horizontal' } } } },
        { mark: { type: 'rule', color: PALETTE.vermillion, strokeDash: [6, 4], strokeWidth: 2 }, encoding: { x: { datum: 72, type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: PALETTE.vermillion, fontSize: 13 }, encoding: { x: { datum: 72, type: 'quantitative' }, y: { value: 0 }, text: { value: '72 hours' } } },
      ],
    } as TopLevelSpec,
  };
}

export function reportCharts(report: QuarterReport): ChartSpec[] {
  return [requestsByMonthChart(report), daysToCloseChart(report), backlogChart(report), breachChart(report)];
}
