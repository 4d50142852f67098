/**
 * What someone typed, quoted back in an error message: cut to a readable length, so that a pasted
 * essay cannot push the explanation of the mistake out of the reply.
 */
export function quoteInput(text: string, max = 60): string {
  const chars = [...text];
  return `"${chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text}"`;
}
