/**
 * Cards name members by key ("slack:U0123"); each adapter turns the token into its own mention
 * (Slack `<@U0123>`, a plain name in Teams), so the card model stays platform-neutral.
 */
const TOKEN = /⟨member:([a-z]+:[^⟩]+)⟩/g;

export function mention(memberKey: string): string {
  return `⟨member:${memberKey}⟩`;
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
