/**
 * Form fields with a visible, programmatically associated label (`<label for>`), hint and error tied by
 * `aria-describedby`, `aria-invalid` when wrong, and the "verified from the card" state: a chip-read field is
 * read-only until the clerk deliberately unlocks it.
 */
import { createContext, useContext, useRef, type ReactNode, type InputHTMLAttributes, type SelectHTMLAttributes } from 'react';
import { get, useFormContext, useFormState, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { Localized } from '../../domain/idnumber';
import { loc } from '../i18n';
import { decodeMessage } from './checks';
import type { FormValues } from './model';

export interface FormUi {
  /** Issues from the desk service's report, keyed by form path. */
  issues: Map<string, Localized[]>;
  warnings: Map<string, Localized[]>;
  unlock(path: string): void;
}

export const FormUiContext = createContext<FormUi>({ issues: new Map(), warnings: new Map(), unlock: () => {} });

/** A parent's field read from the card's chip (and not unlocked since). Only that parent's fields re-render on a tap. */
function useVerified(path: string): boolean {
  const [who, field, extra] = path.split('.');
  const isParentLeaf = (who === 'mother' || who === 'father') && !!field && extra === undefined;
  const chip = useWatch<FormValues>({ name: (isParentLeaf ? `${who}.chip` : 'id') as never }) as unknown;
  if (!isParentLeaf || !chip || typeof chip !== 'object') return false;
  return ((chip as { verifiedFields?: string[] }).verifiedFields ?? []).includes(field);
}

export const fieldId = (path: string) => `f-${path.replace(/\./g, '-')}`;

function useFieldMessages(path: string) {
  const { i18n } = useTranslation();
  const ui = useContext(FormUiContext);
  const { errors } = useFormState<FormValues>({ name: path as never });
  const local = decodeMessage((get(errors, path) as { message?: unknown } | undefined)?.message);
  const server = ui.issues.get(path)?.[0] ?? null;
  const error = local ?? server;
  const warning = error ? null : (ui.warnings.get(path)?.[0] ?? null);
  return { error: error ? loc(error, i18n.language) : null, warning: warning ? loc(warning, i18n.language) : null };
}

/** Ids of the hint, verified badge, error and warning that are shown, for `aria-describedby`. */
function describedBy(id: string, shown: { hint?: unknown; ver?: unknown; err?: unknown; warn?: unknown }): string | undefined {
  return (['hint', 'ver', 'err', 'warn'] as const).filter((k) => shown[k]).map((k) => `${id}-${k}`).join(' ') || undefined;
}

/** The hint, error and warning under a control, with the ids `describedBy` names (a check box's hint is inline). */
function Messages({ id, path, hint, error, warning, inlineHint }: { id: string; path: string; hint?: string | undefined; error: string | null; warning?: string | null; inlineHint?: boolean }) {
  const Hint = inlineHint ? 'span' : 'p';
  return (
    <>
      {hint && (
        <Hint id={`${id}-hint`} className="hint">
          {hint}
        </Hint>
      )}
      {error && (
        <p id={`${id}-err`} className="field-error" data-field-error={path}>
          {error}
        </p>
      )}
      {warning && (
        <p id={`${id}-warn`} className="field-warning">
          {warning}
        </p>
      )}
    </>
  );
}

interface FieldShellProps {
  path: string;
  label: string;
  hint?: string;
  required?: boolean;
  className?: string;
  children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined; 'aria-required': boolean | undefined; readOnly: boolean }) => ReactNode;
}

export function FieldShell({ path, label, hint, required, className, children }: FieldShellProps) {
  const { t } = useTranslation();
  const ui = useContext(FormUiContext);
  const id = fieldId(path);
  const { error, warning } = useFieldMessages(path);
  const verified = useVerified(path);
  const described = describedBy(id, { hint, ver: verified, err: error, warn: warning });
  return (
    <div className={`field${error ? ' has-error' : ''}${verified ? ' verified' : ''}${className ? ` ${className}` : ''}`} data-path={path}>
      <div className="label-row">
        <label htmlFor={id}>
          {label}
          {required && <span className="req"> *<span className="sr-only">{t('form.required')}</span></span>}
        </label>
        {verified && (
          <>
            <span id={`${id}-ver`} className="badge ok">
              ✓ {t('form.verified')}
            </span>
            <button type="button" className="link small" aria-label={t('form.unlockLabel', { field: label })} onClick={() => ui.unlock(path)}>
              {t('form.unlock')}
            </button>
          </>
        )}
      </div>
      <div className="control">{children({ id, 'aria-invalid': !!error, 'aria-describedby': described, 'aria-required': required || undefined, readOnly: verified })}</div>
      <Messages id={id} path={path} hint={hint} error={error} warning={warning} />
    </div>
  );
}

type TextProps = { path: string; label: string; hint?: string; required?: boolean; className?: string; onValueChange?: (v: string) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name'>;

/**
 * A value the desk put in a field (from the ID number, the card, a default, a draft) is a proposal: when the clerk
 * goes to the field — by Tab or by a click — all of it is selected, so what she types replaces it rather than
 * being added to it ("1992-05-061992-05-06"). Text she typed herself keeps the caret where she clicks, to correct
 * one character. `typed` is the value as of her last input; any other non-empty value came from the desk.
 */
function useSelectDeskFilled() {
  const typed = useRef('');
  const selected = useRef(false);
  return {
    typed(value: string) {
      typed.current = value;
    },
    onFocus(el: HTMLInputElement) {
      selected.current = el.value !== '' && el.value !== typed.current;
      if (selected.current) el.select();
    },
    /** The click that focused the field would put the caret at the pointer and drop the selection: keep it. */
    onMouseUp(e: { preventDefault(): void }) {
      if (selected.current) e.preventDefault();
      selected.current = false;
    },
  };
}

export function TextField({ path, label, hint, required, className, onValueChange, onBlur, onFocus, onMouseUp, ...rest }: TextProps) {
  const { register } = useFormContext<FormValues>();
  const deskFilled = useSelectDeskFilled();
  const reg = register(path as never, {
    onChange: (e: { target: { value: string } }) => {
      deskFilled.typed(e.target.value);
      onValueChange?.(e.target.value);
    },
  });
  return (
    <FieldShell path={path} label={label} hint={hint} required={required} className={className}>
      {(a11y) => (
        <input
          type="text"
          autoComplete="off"
          spellCheck={false}
          {...rest}
          {...a11y}
          {...reg}
          onBlur={(e) => {
            void reg.onBlur(e);
            onBlur?.(e);
          }}
          onFocus={(e) => {
            deskFilled.onFocus(e.currentTarget);
            onFocus?.(e);
          }}
          onMouseUp={(e) => {
            deskFilled.onMouseUp(e);
            onMouseUp?.(e);
          }}
        />
      )}
    </FieldShell>
  );
}

type SelectProps = { path: string; label: string; hint?: string; required?: boolean; className?: string; options: { value: string; label: string }[]; placeholder?: string; onValueChange?: (v: string) => void } & Omit<
  SelectHTMLAttributes<HTMLSelectElement>,
  'id' | 'name'
>;

export function SelectField({ path, label, hint, required, className, options, placeholder, onValueChange, ...rest }: SelectProps) {
  const { register } = useFormContext<FormValues>();
  const reg = register(path as never, { onChange: onValueChange ? (e: { target: { value: string } }) => onValueChange(e.target.value) : undefined });
  return (
    <FieldShell path={path} label={label} hint={hint} required={required} className={className}>
      {({ readOnly, ...a11y }) => (
        // A verified select cannot be changed until unlocked (select has no readOnly: disabled would drop it from the tab order).
        <select {...rest} {...a11y} {...reg} aria-readonly={readOnly || undefined} data-locked={readOnly || undefined} onKeyDown={readOnly ? (e) => e.key !== 'Tab' && e.preventDefault() : undefined} onMouseDown={readOnly ? (e) => e.preventDefault() : undefined}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

export function CheckField({ path, label, hint, onValueChange }: { path: string; label: string; hint?: string; onValueChange?: (v: boolean) => void }) {
  const { register } = useFormContext<FormValues>();
  const id = fieldId(path);
  const { error } = useFieldMessages(path);
  const reg = register(path as never, { onChange: onValueChange ? (e: { target: { checked: boolean } }) => onValueChange(e.target.checked) : undefined });
  return (
    <div className={`check${error ? ' has-error' : ''}`} data-path={path}>
      <input type="checkbox" id={id} {...reg} aria-describedby={describedBy(id, { hint, err: error })} aria-invalid={!!error} />
      <label htmlFor={id}>{label}</label>
      <Messages id={id} path={path} hint={hint} error={error} inlineHint />
    </div>
  );
}

/** A message for a whole group (services, evidences) that has no single input. */
export function GroupMessages({ path }: { path: string }) {
  const { error, warning } = useFieldMessages(path);
  return <Messages id={fieldId(path)} path={path} error={error} warning={warning} />;
}
