/** The keyboard shortcuts, listed (F1). A modal dialog: focus moves in, Escape closes, focus returns. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export const SHORTCUTS: [string, string][] = [
  ['Alt+N', 'shortcuts.new'],
  ['Alt+S', 'shortcuts.submit'],
  ['F2', 'shortcuts.search'],
  ['Alt+H', 'shortcuts.home'],
  ['Alt+Y', 'shortcuts.sync'],
  ['Alt+L', 'shortcuts.lock'],
  ['Alt+E', 'shortcuts.lang'],
  ['Alt+1 … Alt+6', 'shortcuts.section'],
  ['F1', 'shortcuts.help'],
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    const back = document.activeElement as HTMLElement | null;
    d?.showModal();
    return () => back?.focus();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose} onCancel={onClose}>
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([k, label]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{t(label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" autoFocus onClick={onClose}>
        {t('shortcuts.close')}
      </button>
    </dialog>
  );
}
