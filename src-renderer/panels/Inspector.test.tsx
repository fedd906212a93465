/** The inspector's fields as markup (server rendering: no DOM needed): help text from the catalog reads as prose. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { NODE_KINDS, getNodeKind } from '../../src-shared/catalog/registry';
import { HelpText, plainHelp } from './HelpText';
import { Field } from './Inspector';

describe('inspector help', () => {
  it("shows the bottleneck's `size` marks as code, never as literal backticks", () => {
    const def = getNodeKind('bottleneck')!;
    expect(def.params.form.help).toContain('`size`'); // the catalog's own marking, so the check below can fail
    const html = renderToStaticMarkup(<Field name="form" schema={def.params.form} value="dense" onCommit={() => undefined} />);
    expect(html).toContain('a vector of <code>size</code> values');
    expect(html).not.toContain('`');
  });

  it('shows no backtick in any help text of any node kind', () => {
    for (const [kind, def] of NODE_KINDS) {
      for (const [name, schema] of Object.entries(def.params)) {
        const html = renderToStaticMarkup(<Field name={name} schema={schema} value={schema.default} onCommit={() => undefined} />);
        expect(html, `${kind}.${name}`).not.toContain('`');
      }
    }
  });
});

describe('HelpText', () => {
  it('makes code of each marked span, and leaves an unclosed mark as plain text', () => {
    expect(renderToStaticMarkup(<HelpText text="a `b` c `d` e" />)).toBe('a <code>b</code> c <code>d</code> e');
    expect(renderToStaticMarkup(<HelpText text="a `b` c `d" />)).toBe('a <code>b</code> c d');
    expect(renderToStaticMarkup(<HelpText text="no marks" />)).toBe('no marks');
    expect(plainHelp('a vector of `size` values')).toBe('a vector of size values');
  });
});
