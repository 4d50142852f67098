import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { ChartSpec } from './charts.js';

/**
 * Vega-Lite → Vega → SVG in this process (no browser, no canvas: Vega's SVG renderer needs none),
 * then SVG → PNG with resvg, whose prebuilt binary ships in its npm package. The PNG is drawn at
 * twice the chart's size so that it stays sharp on high-density screens.
 */
/*
 * Without a canvas Vega guesses a text's width as 0.8 em per character, far wider than the font
 * drawn, and lays the chart out around titles that seem twice their length. DejaVu Sans (the
 * font resvg draws with) averages about 0.6 em per character, bold about 0.68.
 */
type TextItem = { fontSize?: number; fontWeight?: string | number; text?: unknown };
// Exported by vega-scenegraph through vega at run time, though its typings leave it out.
(vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics.width = (item, text) => {
  const value = String(text ?? item.text ?? '');
  const size = item.fontSize ?? 11;
  return Math.ceil(value.length * size * (item.fontWeight === 'bold' || Number(item.fontWeight) >= 600 ? 0.68 : 0.6));
};

export async function chartSvg(chart: ChartSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(chart.spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

export async function chartPng(chart: ChartSpec): Promise<Buffer> {
  return svgToPng(await chartSvg(chart));
}
