import type { ContactInput } from '../domain/contact-row.js';
import { addDays, addYearsClamped, type IsoDate } from '../domain/dates.js';

/**
 * A deterministic synthetic register for `govbot seed --demo`: a mix that exercises every
 * retention rule (customers, subscribers, contacts gone quiet for years, inaccurate records,
 * ended interests, legal holds, do-not-contact tags). Addresses use example.com/.org only.
 */
const FIRST = ['Alex', 'Sam', 'Priya', 'Tom', 'Aisha', 'Jack', 'Mei', 'Olu', 'Sofia', 'Liam', 'Ewan', 'Niamh'];
const LAST = ['Smith', 'Jones', 'Patel', 'Brown', 'Khan', 'Taylor', 'Wilson', 'Evans', 'Murphy', 'Campbell'];
const COMPANIES = ['Northwind Ltd', 'Contoso plc', 'Fabrikam UK', 'Tailspin Toys', 'Adventure Works', null];

/** A small, fast, seedable generator (mulberry32): the same seed gives the same register. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* demoContacts(count: number, today: IsoDate, seed = 2026): Generator<ContactInput> {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  for (let i = 1; i <= count; i += 1) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const yearsAgo = Math.floor(next() * 7);
    const collected = addDays(addYearsClamped(today, -yearsAgo), -Math.floor(next() * 365));
    const contacted = next() < 0.5 ? addDays(collected, Math.floor(next() * 700)) : null;
    const roll = next();
    yield {
      externalId: `DEMO-${String(i).padStart(6, '0')}`,
      email: `${first}.${last}.${i}@example.${i % 3 === 0 ? 'org' : 'com'}`.toLowerCase(),
      fullName: `${first} ${last}`,
      phone: next() < 0.6 ? `+44 20 7946 ${String(i % 10_000).padStart(4, '0')}` : null,
      address: next() < 0.4 ? `${1 + (i % 200)} Example Street, London` : null,
      company: pick(COMPANIES),
      isCustomer: roll < 0.25,
      isSubscriber: roll >= 0.25 && roll < 0.45,
      firstCollectedAt: collected,
      lastSuccessfulContactAt: contacted !== null && contacted <= today ? contacted : null,
      inaccurate: next() < 0.03,
      legitimateInterestEndedAt: next() < 0.03 ? addDays(today, -Math.floor(next() * 300)) : null,
      legalHold: next() < 0.01,
      doNotContact: next() < 0.04,
    };
  }
}

/** The service providers the privacy notice names (its section 5), for the Article 30 register. */
export const DEMO_PROCESSORS = [
  { name: 'Microsoft 365', purpose: 'Office 365 tenancy: email, documents and collaboration', safeguards: 'Microsoft Products and Services DPA; UK IDTA addendum' },
  { name: 'HubSpot CRM', purpose: 'CRM: contact records and email marketing', safeguards: 'HubSpot DPA; UK IDTA addendum' },
  { name: 'LinkedIn advertising', purpose: 'Advertising account: campaign audiences', safeguards: 'LinkedIn DPA (controller-to-controller terms)' },
] as const;

/** The privacy-notice version the demo seed records as reviewed. */
export const DEMO_NOTICE_VERSION = '2026.1';
