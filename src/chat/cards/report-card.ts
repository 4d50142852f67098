import type { Card, CardImage } from '../card.js';

/** What the report's summary card shows: built by the report service, rendered here. */
export interface ReportCardView {
  /** "2026-Q3" */
  readonly quarter: string;
  readonly start: string;
  readonly end: string;
  readonly headline: readonly { readonly label: string; readonly value: string }[];
  readonly image: CardImage | null;
  /** Lines under the figures: where the full report is, why a chart is missing. */
  readonly notes: readonly string[];
  /** Distinguishes two postings of one quarter (the job's and a member's later request). */
  readonly postedAt: string;
}

export function renderReportCard(view: ReportCardView): Card {
  const onTime = view.headline.find((h) => h.label === 'Answered on time')?.value ?? '';
  return {
    key: `report:${view.quarter}:${view.postedAt}`,
    reference: `REPORT-${view.quarter}`,
    title: `Accountability report ${view.quarter}`,
    status: `${view.start} to ${view.end}`,
    facts: view.headline.map((h) => ({ label: h.label, value: h.value })),
    sections: view.notes.length > 0 ? [{ text: view.notes.join('\n') }] : [],
    summary: `Accountability report ${view.quarter}: answered on time ${onTime}.`,
    ...(view.image ? { image: view.image } : {}),
    fixed: true,
  };
}
