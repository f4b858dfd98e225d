/**
 * The duplicate-birth dialog (issue 12), in three wordings:
 * - the same baby (same mother, same birth minute, not a sibling of a multiple birth): blocked — a clerk can
 *   only go back; a supervisor may override with a reason (audited by the desk);
 * - a possible twin or triplet (a multiple birth recorded near this one with another order): check 胎数 and 出生顺序;
 * - another birth of this mother within 270 days: check it is not the same child, then confirm.
 * Each match shows the other child's name, birth time, plurality and order, desk and date of registration.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DuplicateMatch } from '../../core/api/contract';
import { formatMinute, formatTime, useDesk } from '../lib/desk';

export function DuplicateDialog({
  matches,
  onCancel,
  onAcknowledge,
}: {
  matches: DuplicateMatch[];
  onCancel: () => void;
  onAcknowledge: (override?: { reason: string }) => void;
}) {
  const { t, i18n } = useTranslation();
  const { session } = useDesk();
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const blocked = matches.some((m) => m.sameBirth);
  const twin = !blocked && matches.some((m) => m.plurality > 1 || m.sameDelivery);
  const kind = blocked ? 'same' : twin ? 'twin' : 'other';
  const role = session.staff?.role ?? 'clerk';
  const supervisor = role === 'supervisor' || role === 'admin';
  return (
    <dialog ref={ref} className="dialog warn" aria-labelledby="dup-title" aria-describedby="dup-body" onCancel={onCancel} data-testid="duplicate-dialog" data-kind={kind}>
      <h2 id="dup-title">{t(`bundle.dup.title_${kind}`)}</h2>
      <p id="dup-body">{t(`bundle.dup.body_${kind}`)}</p>
      <ul>
        {matches.map((m) => (
          <li key={m.registrationId}>
            {t('bundle.dup.item', {
              name: m.childName || t('bundle.dup.unnamed'),
              birth: formatMinute(m.childBirthDateTime),
              plurality: m.plurality,
              order: m.birthOrder,
              desk: m.deskId ?? '—',
              created: formatTime(m.createdAt, i18n.language),
            })}
          </li>
        ))}
      </ul>
      {blocked && supervisor && (
        <div className="field">
          <label htmlFor="dup-reason">{t('bundle.dup.reason')}</label>
          <textarea id="dup-reason" rows={2} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby="dup-reason-hint" />
          <p id="dup-reason-hint" className="hint">
            {t('bundle.dup.reasonHint')}
          </p>
        </div>
      )}
      {blocked && !supervisor && <p className="hint">{t('bundle.dup.askSupervisor')}</p>}
      <div className="row">
        <button type="button" onClick={onCancel} autoFocus>
          {t('form.duplicateCancel')}
        </button>
        {!blocked && (
          <button type="button" className="primary" onClick={() => onAcknowledge()}>
            {t(twin ? 'bundle.dup.ackTwin' : 'form.duplicateAck')}
          </button>
        )}
        {blocked && supervisor && (
          <button type="button" className="danger" disabled={reason.trim().length < 4} onClick={() => onAcknowledge({ reason: reason.trim() })}>
            {t('bundle.dup.override')}
          </button>
        )}
      </div>
    </dialog>
  );
}
