/** Edits the selected node's parameters from the catalog schema; a value out of range is refused at the field with the reason. */
import { useEffect, useState } from 'react';
import { checkParamValue, isParamVisible } from '../../src-shared/catalog/params';
import type { ParamSchema } from '../../src-shared/catalog/params';
import { getNodeKind } from '../../src-shared/catalog/registry';
import type { ParamValue } from '../../src-shared/graph/types';
import { useDocument } from '../state/document-store';
import { HelpText } from './HelpText';

function NumberField({ schema, value, onCommit, name }: { schema: ParamSchema & { type: 'int' | 'float' }; value: number; onCommit(v: number): void; name: string }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const parsed = text.trim() === '' ? Number.NaN : Number(text);
  const problem = checkParamValue(schema, parsed);
  const commit = () => {
    if (!problem && parsed !== value) onCommit(parsed);
  };
  return (
    <>
      <input
        type="text"
        inputMode="decimal"
        name={name}
        aria-label={schema.label}
        aria-invalid={!!problem}
        className={problem ? 'invalid' : ''}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(String(value));
        }}
      />
      {problem ? <div className="field__error" role="alert">{`${schema.label} ${problem}`}</div> : null}
    </>
  );
}

/** One parameter's field, label and help. */
export function Field({ name, schema, value, onCommit }: { name: string; schema: ParamSchema; value: ParamValue; onCommit(v: ParamValue): void }) {
  return (
    <label className="field" data-param={name}>
      <span className="field__label">{schema.label}</span>
      {schema.type === 'enum' ? (
        <select name={name} aria-label={schema.label} value={String(value)} onChange={(e) => onCommit(e.target.value)}>
          {schema.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : schema.type === 'bool' ? (
        <input type="checkbox" name={name} aria-label={schema.label} checked={Boolean(value)} onChange={(e) => onCommit(e.target.checked)} />
      ) : (
        <NumberField name={name} schema={schema} value={Number(value)} onCommit={onCommit} />
      )}
      <span className="field__help">
        <HelpText text={schema.help} />
        {schema.type === 'int' || schema.type === 'float' ? ` (${schema.min} to ${schema.max})` : ''}
      </span>
    </label>
  );
}

export function Inspector() {
  const selected = useDocument((s) => {
    const picked = s.nodes.filter((n) => n.selected);
    return picked.length === 1 ? picked[0] : null;
  });
  const count = useDocument((s) => s.nodes.filter((n) => n.selected).length);
  if (!selected) {
    return (
      <section className="inspector" aria-label="Inspector">
        <h2>Inspector</h2>
        <p className="muted">{count > 1 ? `${count} nodes selected.` : 'Select a node to edit its parameters.'}</p>
      </section>
    );
  }
  const def = getNodeKind(selected.data.kind);
  const params = selected.data.params;
  const doc = useDocument.getState();
  return (
    <section className="inspector" aria-label="Inspector">
      <h2>
        {def?.title ?? selected.data.kind} <span className="muted">{selected.id}</span>
      </h2>
      <p className="muted">{def ? <HelpText text={def.description} /> : null}</p>
      <label className="field">
        <span className="field__label">Label</span>
        <input type="text" aria-label="Label" defaultValue={selected.data.label ?? ''} key={`${selected.id}\u0000${selected.data.label ?? ''}` /* a title that followed a parameter shows at once */} onBlur={(e) => e.target.value !== (selected.data.label ?? '') && doc.setLabel(selected.id, e.target.value)} />
      </label>
      {def
        ? Object.entries(def.params)
            .filter(([, schema]) => isParamVisible(schema, { ...Object.fromEntries(Object.entries(def.params).map(([k, s]) => [k, s.default])), ...params }))
            .map(([name, schema]) => <Field key={`${selected.id}.${name}`} name={name} schema={schema} value={params[name] ?? schema.default} onCommit={(v) => doc.setParam(selected.id, name, v)} />)
        : null}
    </section>
  );
}
