/**
 * Cards name members by key ("slack:U0123"); each adapter turns the token into its own mention
 * (Slack `<@U0123>`, a plain name in Teams), so the card model stays platform-neutral.
 */
const TOKEN = /⟨member:([a-z]+:[^⟩]+)⟩/g;

export function mention(memberKey: string): string {
  return `⟨member:${memberKey}⟩`;
}

/** How a member key is shown by name; undefined when no name is known (the adapter then shows an id). */
export type NameOf = (memberKey: string) => string | undefined;

export const noNames: NameOf = () => undefined;

/** The member keys mentioned in a text, each once, in order. */
export function mentionedKeys(text: string): string[] {
  return [...new Set([...text.matchAll(TOKEN)].map((m) => m[1]!))];
}

export function renderMentions(text: string, render: (memberKey: string) => string): string {
  return text.replace(TOKEN, (_, key: string) => render(key));
}

export function mentionList(memberKeys: readonly string[]): string {
  return memberKeys.length === 0 ? 'nobody yet' : memberKeys.map(mention).join(', ');
}

/** Text people typed (names, reasons) can never carry a mention token into a card. */
export function userText(text: string | null | undefined): string {
  return (text ?? '').replace(/[⟨⟩]/g, '');
}
