import type { Db } from '../../register/database.js';
import { findReportImage } from '../../register/report-images.js';

const FILE = /^([0-9a-f]{32})\.png$/;

/** GET /reports/charts/<token>.png: the chart's PNG while it lasts, or null (a 404: nothing to tell a guesser). */
export async function reportChartImage(db: Db, file: string, now: Date): Promise<Buffer | null> {
  const match = FILE.exec(file);
  return match ? findReportImage(db, match[1]!, now) : null;
}
