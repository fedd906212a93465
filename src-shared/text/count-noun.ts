/**
 * "1 epoch", "2 epochs", "1,000 samples": a count and its noun, singular
 * when the count is one, so no message says "1 epochs". The nouns this app
 * counts all form their plural with -s; an irregular one passes its plural.
 */
export function countNoun(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}
