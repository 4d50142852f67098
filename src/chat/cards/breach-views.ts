/**
 * A suspected breach as its card and `/gov breach list` show it, named as the register stores it
 * (register/breaches.ts has the whole row).
 */
export interface BreachFacts {
  readonly id: number;
  readonly reference: string;
  readonly summary: string;
  readonly aware_at: Date;
  readonly deadline_at: Date;
  readonly reported_by: string;
  readonly status: 'open' | 'closed';
  /** The company's own data is affected (it is the controller); false: customers' data only. */
  readonly own_data: boolean;
  readonly controllers_affected: boolean;
  readonly individuals_high_risk: boolean;
  readonly regulator_notified_at: Date | null;
  readonly regulator_notified_by: string | null;
  readonly controllers_notified_at: Date | null;
  readonly controllers_notified_by: string | null;
  readonly individuals_notified_at: Date | null;
  readonly individuals_notified_by: string | null;
  readonly not_reportable_reason: string | null;
  readonly not_reportable_by: string | null;
  readonly not_reportable_at: Date | null;
  readonly late_reason: string | null;
  readonly closed_at: Date | null;
}

/** `/gov breach list`: the open breaches and those closed in the last `recentDays` days. */
export interface BreachListView {
  readonly now: Date;
  readonly timezone: string;
  readonly recentDays: number;
  readonly breaches: readonly BreachFacts[];
}
