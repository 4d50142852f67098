/**
 * What each figure means, printed at the end of the HTML report so that a reader (the board, the
 * ICO) can check how it was counted. Keep in step with request-figures.ts and other-figures.ts.
 */
export const DEFINITIONS: readonly (readonly [string, string])[] = [
  ['Quarter', 'A calendar quarter (Q1 = January to March …) in the committee\'s time zone; both its first and last day count.'],
  ['Requests received', 'Data subject requests whose day of receipt falls in the quarter, by type and by the channel they came in by. Requests about data the company processes for a customer (the processor route) are counted apart: they are passed to that customer, the controller, and have no statutory clock of ours.'],
  ['Closed', 'Requests closed in the quarter with any outcome: completed, refused, identity not verified, or withdrawn.'],
  ['Answered', 'Closed in the quarter with an answer owed to the individual: completed, refused or identity not verified. A withdrawn request is closed but not answered.'],
  ['Answered on time', 'Answered on or before the date that applied: the statutory due date (one month from the relevant day, with clarification stops added and rolled to a working day, UK GDPR Art 12(3) and 12A), or the extended date where the committee extended it. Shown as a share of all answered.'],
  ['Late', 'Answered after the date that applied; days late are calendar days after it. Delay reasons are what the register records (for example a register change that failed and was retried); "no reason recorded" means none was.'],
  ['Relevant day', 'The day the statutory period starts: the latest of the day of receipt, the day identity (and, for an agent, authority) information asked for arrived, and the day a fee was paid (Art 12A).'],
  ['Days to answer', 'Calendar days from the day of receipt, and from the relevant day, to the day of closing, over requests answered in the quarter. Median: the middle value (the mean of the two middle values for an even count). 90th percentile: by nearest rank, the smallest value at or below which 90% of values lie.'],
  ['Clock-stopped days', 'Days the clock stood still while clarification was awaited (access requests only, Art 12A), both ends counted, summed over requests answered in the quarter.'],
  ['Extensions', 'Answered requests whose deadline the committee extended by up to two further months (Art 12(3)); told in time means the individual was told, with reasons, by the end of the first period.'],
  ['Awaiting identity or fee', 'Waits for identity, authority or a fee that began in the quarter; the wait is counted in calendar days to the answer, or to the quarter\'s end if still waiting.'],
  ['Refusals', 'Requests refused in the quarter as manifestly unfounded or excessive (Art 12(5)), by the ground recorded with the committee\'s decision.'],
  ['Processor route', 'Requests about a customer\'s data passed to that customer (the controller, Art 28(3)(e)): received, forwarded in the quarter, and calendar days from receipt to forwarding.'],
  ['Open at quarter end', 'Requests received on or before the quarter\'s last day and not closed by then, by calendar days since receipt; overdue means the date that applied had passed.'],
  ['Complaints', 'Complaints about the handling of personal data (DPA 2018 s.164A): received in the quarter; acknowledged within 30 days of receipt (the period beginning the day after receipt); outcomes given in the quarter; open at its end.'],
  ['Breaches', 'Suspected personal data breaches the committee became aware of in the quarter. Reported within 72 hours: reported to the regulator no later than 72 hours after awareness, wall-clock time, weekends included (Art 33(1)). Controllers told: breaches of customers\' data where the customer was told (Art 33(2)).'],
  ['Purge', 'The quarterly deletion review swept as of a day in the quarter: candidates by rule (R1 asked to be erased; R2 held past the retention period without contact; R3 inaccurate; R4 no legitimate interest left), kept back by the committee (legal hold, restriction …), deleted, and skipped when carried out (no longer due). The candidate list\'s SHA-256 and the audit events let anyone check the record.'],
  ['Reviews', 'The privacy notice and each service provider on the Article 30 register are reviewed yearly: done in the quarter, overdue at its end, or due in the next quarter.'],
  ['Audit chain', 'Every change govbot makes is an event in an append-only chain in which each event\'s hash covers the one before. Verified when this report was made: the number of events and the hash of the last one (the head). Keep the head: it shows later that nothing was removed.'],
];
