/**
 * Help and descriptions from the catalog and the format tables, which mark
 * parameter names and code with backticks (`size`), as the docs and the CLI
 * read them. Shown as <code> in the page and without the marks in tooltips,
 * so a person never sees a literal backtick.
 */
import { Fragment } from 'react';

/** `text` with each `…` span as <code>. */
export function HelpText({ text }: { text: string }) {
  const parts = text.split('`');
  // Odd-numbered parts sit between two marks. With an odd count of marks the last part has no closing
  // mark: it stays plain text (less its stray mark) rather than turning the rest of the help into code.
  const isCode = (i: number) => i % 2 === 1 && i < parts.length - 1 + (parts.length % 2);
  return <>{parts.map((part, i) => (isCode(i) ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>))}</>;
}

/** `text` for a title attribute (a tooltip cannot hold markup): the marks dropped, their contents kept. */
export function plainHelp(text: string): string {
  return text.replaceAll('`', '');
}
