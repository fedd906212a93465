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
  // An odd number of parts means balanced marks; an unbalanced one is shown as written, less the stray mark.
  return (
    <>
      {parts.map((part, i) => (i % 2 === 1 && i < parts.length - (parts.length % 2 === 0 ? 1 : 0) ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>))}
    </>
  );
}

/** `text` for a title attribute (a tooltip cannot hold markup): the marks dropped, their contents kept. */
export function plainHelp(text: string): string {
  return text.replaceAll('`', '');
}
