import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultSummary, InviteLinkInfo } from '../../shared/api';
import { languageName } from './languages';
import { inviteMessage, messageLanguageOf, type InviteMessage } from './inviteMessage';

interface InviteLinkItemProps {
  consult: ConsultSummary;
  link: InviteLinkInfo;
  doctorName: string;
  /** Just created: focused, so the doctor can copy it at once. */
  fresh: boolean;
  onWithdraw: () => void;
}

/** One usable invite link: its short address, copy, e-mail, a message to paste, and withdrawal after a confirmation. */
export function InviteLinkItem({ consult, link, doctorName, fresh, onWithdraw }: InviteLinkItemProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<InviteMessage>();
  const [showMessage, setShowMessage] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState('');
  const url = `${window.location.origin}/j#${link.code ?? ''}`;
  const role = t(`roleInSentence.${link.role}`);
  const messageLanguage = messageLanguageOf(consult, link.role, i18n.language);

  useEffect(() => {
    let current = true;
    inviteMessage(i18n, consult, link.role, doctorName, url)
      .then((composed) => current && setMessage(composed))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [i18n, consult, link.role, doctorName, url]);

  useEffect(() => {
    if (fresh) input.current?.focus();
  }, [fresh]);

  const copy = (text: string, done: string) => {
    navigator.clipboard
      .writeText(text)
      .then(() => setStatus(done))
      .catch(() => setStatus(t('common.copyFailed')));
  };

  const expires = new Date(link.expiresAt).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const mailto = message ? `mailto:?subject=${encodeURIComponent(message.subject)}&body=${encodeURIComponent(message.body)}` : undefined;

  return (
    <li className="invite-link" data-role={link.role}>
      <label htmlFor={id}>
        {t('consults.linkFor', { role })} · {t('consults.linkExpires', { date: expires })}
      </label>
      <div className="copyable-link-row">
        <input id={id} ref={input} type="text" readOnly value={url} dir="ltr" onFocus={(event) => event.target.select()} />
        <button type="button" onClick={() => copy(url, t('common.copied'))} aria-label={t('consults.copyNamed', { role })}>
          {t('common.copy')}
        </button>
      </div>
      <div className="button-row">
        {mailto && (
          <a className="button" href={mailto}>
            {t('consults.email')}
          </a>
        )}
        <button type="button" aria-expanded={showMessage} onClick={() => setShowMessage((value) => !value)}>
          {t('consults.messageText')}
        </button>
        <button type="button" onClick={() => setConfirming(true)} aria-label={t('consults.revokeNamed', { role })}>
          {t('consults.revoke')}
        </button>
      </div>
      {showMessage && message && (
        <div className="invite-message">
          <label htmlFor={`${id}-message`}>{t('consults.messageIn', { language: languageName(messageLanguage, i18n.language) })}</label>
          <textarea id={`${id}-message`} readOnly rows={5} value={message.body} lang={messageLanguage} dir={i18n.dir(messageLanguage)} />
          <button type="button" onClick={() => copy(message.body, t('consults.messageCopied'))}>
            {t('consults.copyMessage')}
          </button>
        </div>
      )}
      {confirming && (
        <div className="confirm" role="alertdialog" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`}>{t('consults.revokeConfirm', { role })}</p>
          <div className="button-row">
            <button type="button" className="danger" onClick={onWithdraw}>
              {t('consults.revokeYes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)} autoFocus>
              {t('consults.revokeNo')}
            </button>
          </div>
        </div>
      )}
      <span role="status" className="copy-status">
        {status}
      </span>
    </li>
  );
}
