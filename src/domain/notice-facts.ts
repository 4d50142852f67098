/**
 * The supplementary information an access request must be given besides the data itself (UK GDPR
 * Art 15(1)(a)–(h), 15(2)): purposes and lawful bases, categories, recipients, retention, rights
 * (including the complaint to the ICO), the source, automated decision-making and transfer
 * safeguards. The facts live in `src/domain/notice-facts.json`, beside the privacy notice they are
 * taken from, so changing the notice is changing that file, and every export after it says so.
 */

export interface NoticeFacts {
  readonly notice: string;
  readonly controller: { readonly name: string; readonly contact: string; readonly source: string };
  readonly purposes: readonly { readonly purpose: string; readonly lawful_basis: string; readonly source: string }[];
  readonly categories: { readonly text: string; readonly source: string };
  readonly recipients: { readonly text: string; readonly examples: readonly string[]; readonly source: string };
  readonly retention: { readonly text: string; readonly rules: readonly string[]; readonly do_not_contact: string; readonly source: string };
  readonly rights: { readonly text: string; readonly complaint: string; readonly source: string };
  readonly source_of_data: { readonly text: string; readonly source: string };
  readonly automated_decision_making: { readonly text: string; readonly source: string };
  readonly transfers: { readonly text: string; readonly source: string };
}

/** A recipient as the Article 30 register names it. */
export interface RegisteredRecipient {
  readonly name: string;
  readonly purpose: string;
}

/**
 * The supplementary information as the individual receives it: the notice's facts in plain
 * sentences (the `source` notes are for the committee, not the individual), with the recipients
 * named from the Article 30 register as it stands, or the notice's examples when it is empty.
 */
export function supplementaryInformation(facts: NoticeFacts, recipients: readonly RegisteredRecipient[]): Record<string, unknown> {
  return {
    controller: { name: facts.controller.name, contact: facts.controller.contact },
    purposes_and_lawful_bases: facts.purposes.map((p) => ({ purpose: p.purpose, lawful_basis: p.lawful_basis })),
    categories_of_personal_data: facts.categories.text,
    recipients: {
      text: facts.recipients.text,
      names: recipients.length > 0 ? recipients.map((r) => `${r.name} (${r.purpose})`) : [...facts.recipients.examples],
    },
    retention: { text: facts.retention.text, rules: [...facts.retention.rules], do_not_contact: facts.retention.do_not_contact },
    your_rights: facts.rights.text,
    complaints: facts.rights.complaint,
    source_of_the_data: facts.source_of_data.text,
    automated_decision_making: facts.automated_decision_making.text,
    international_transfers: facts.transfers.text,
  };
}

/** Missing or empty facts, by name: a test keeps the file complete, and the export refuses a broken one. */
export function missingFacts(value: unknown): string[] {
  const facts = value as Partial<Record<keyof NoticeFacts, unknown>>;
  const missing: string[] = [];
  const text = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  const at = (key: keyof NoticeFacts, field = 'text') => {
    const entry = facts?.[key] as Record<string, unknown> | undefined;
    if (!entry || !text(entry[field])) missing.push(field === 'text' ? key : `${key}.${field}`);
  };
  if (!Array.isArray(facts?.purposes) || facts.purposes.length === 0
    || !facts.purposes.every((p: { purpose?: unknown; lawful_basis?: unknown }) => text(p.purpose) && text(p.lawful_basis))) missing.push('purposes');
  at('controller', 'contact');
  at('categories');
  at('recipients');
  at('retention');
  const rules = (facts?.retention as { rules?: unknown } | undefined)?.rules;
  if (!Array.isArray(rules) || rules.length === 0) missing.push('retention.rules');
  at('retention', 'do_not_contact');
  at('rights');
  at('rights', 'complaint');
  at('source_of_data');
  at('automated_decision_making');
  at('transfers');
  return missing;
}
