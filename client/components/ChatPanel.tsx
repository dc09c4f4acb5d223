import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { chatMessageMaxLength } from '../../shared/schemas';
import type { ConsultSession, SessionState } from '../call/consultSession';

const everyone = '';

/**
 * The consult's chat. In the call it reaches everyone admitted; someone
 * waiting writes to the doctor; the doctor can also write to one waiting
 * person.
 */
export function ChatPanel({ session, state, visible = true }: { session: ConsultSession; state: SessionState; visible?: boolean }) {
  const { t, i18n } = useTranslation();
  const inputId = useId();
  const recipientId = useId();
  const [text, setText] = useState('');
  const [chosenRecipient, setRecipient] = useState(everyone);
  const [error, setError] = useState<string>();
  const log = useRef<HTMLDivElement>(null);
  const isDoctor = state.self?.role === 'doctor';
  const waiting = state.phase === 'waiting';

  useEffect(() => {
    // The newest message in view, also when a closed chat drawer opens. Only the log scrolls:
    // scrollIntoView would also move the call's own layout, which must stay put.
    const element = log.current;
    if (visible && element) element.scrollTop = element.scrollHeight;
  }, [state.chat.length, visible]);
  // Someone we were writing to privately may have been admitted or have left: then it is everyone again.
  const recipient = state.waiting.some((person) => person.id === chosenRecipient) ? chosenRecipient : everyone;

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message) return;
    setError(undefined);
    session
      .sendChat(message, recipient === everyone ? undefined : recipient)
      .then(() => setText(''))
      .catch((failure: unknown) => setError(failure instanceof Error && 'code' in failure ? String(failure.code) : 'generic'));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) send(event);
  };

  const time = (iso: string) => new Date(iso).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' });
  const threadName = (thread: string) =>
    state.waiting.find((person) => person.id === thread)?.displayName ?? (thread === state.self?.id ? state.self.displayName : '');

  return (
    <section className="chat panel" aria-labelledby={`${inputId}-heading`}>
      <h2 id={`${inputId}-heading`}>{waiting ? t('chat.titleWaiting') : t('chat.title')}</h2>
      {/* The log scrolls (and can be scrolled from the keyboard) and is announced; the list inside keeps its list semantics (a role on the <ol> would drop them). */}
      <div ref={log} className="chat-log" role="log" aria-live="polite" aria-labelledby={`${inputId}-heading`} tabIndex={0}>
        <ol className="chat-messages">
          {state.chat.map((message) => (
            <li key={message.id} className={message.thread || message.careTeam ? 'chat-private' : undefined}>
              <span className="chat-meta">
                {message.from.displayName} ({t(`role.${message.from.role}`)}) · {time(message.at)}
                {message.thread && isDoctor && ` · ${t('chat.privateWith', { name: threadName(message.thread) })}`}
                {message.thread && !isDoctor && ` · ${t('chat.private')}`}
                {message.careTeam && ` · ${t('chat.careTeam')}`}
              </span>
              <span className="chat-text" dir="auto">{message.text}</span>
            </li>
          ))}
        </ol>
      </div>
      <form className="chat-form" onSubmit={send}>
        {isDoctor && state.waiting.length > 0 && (
          <div className="field">
            <label htmlFor={recipientId}>{t('chat.to')}</label>
            <select id={recipientId} value={recipient} onChange={(event) => setRecipient(event.target.value)}>
              <option value={everyone}>{t('chat.toEveryone')}</option>
              {state.waiting.map((person) => (
                <option key={person.id} value={person.id}>
                  {t('chat.toWaiting', { name: person.displayName })}
                </option>
              ))}
            </select>
          </div>
        )}
        <label htmlFor={inputId} className="visually-hidden">
          {t('chat.message')}
        </label>
        <textarea
          id={inputId}
          rows={2}
          value={text}
          maxLength={chatMessageMaxLength}
          placeholder={t('chat.placeholder')}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" disabled={!text.trim()}>
          {t('chat.send')}
        </button>
        {error && (
          <p className="form-error" role="alert">
            {t(`chat.errors.${error}`, { defaultValue: t('chat.errors.generic') })}
          </p>
        )}
      </form>
    </section>
  );
}
