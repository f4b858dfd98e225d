/** The form's table of contents (Alt+1 … Alt+6 jump to a section), the draft's saved state and "discard draft". */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../lib/desk';

const SECTIONS = [
  ['sec-mother', 'form.mother'],
  ['sec-father', 'form.father'],
  ['sec-child', 'form.child'],
  ['sec-declaration', 'form.declaration'],
  ['sec-evidences', 'form.evidences'],
  ['sec-review', 'form.review'],
] as const;

const focusSection = (id: string) => document.getElementById(id)?.focus();

export function FormNav({ saved, onDiscard }: { saved: { saving: boolean; at: string | null }; onDiscard: (() => void) | null }) {
  const { t, i18n } = useTranslation();

  // Alt+1 … Alt+6: jump to a section.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const m = /^Digit([1-6])$/.exec(e.code);
      if (!m) return;
      e.preventDefault();
      focusSection(SECTIONS[Number(m[1]) - 1]![0]);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <nav className="form-nav" aria-label={t('form.sections')}>
      <ol>
        {SECTIONS.map(([id, label], i) => (
          <li key={id}>
            <a href={`#${id}`} onClick={(e) => (e.preventDefault(), focusSection(id))}>
              {t(label)} <kbd>Alt+{i + 1}</kbd>
            </a>
          </li>
        ))}
      </ol>
      <p className="hint" aria-live="off">
        {saved.saving ? t('form.saving') : saved.at ? t('form.saved', { time: formatTime(saved.at, i18n.language) }) : ''}
      </p>
      {onDiscard && (
        <button type="button" className="link small" onClick={onDiscard}>
          {t('form.discard')}
        </button>
      )}
    </nav>
  );
}
