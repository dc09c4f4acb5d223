import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { availableLanguages, chooseLanguage } from './index';

/** Each person picks their own UI language; the choice is remembered in this browser. */
export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('prejoin.language')}</label>
      <select id={id} value={i18n.language} onChange={(event) => chooseLanguage(event.target.value)}>
        {availableLanguages.map((code) => (
          <option key={code} value={code} lang={code}>
            {new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code}
          </option>
        ))}
      </select>
    </div>
  );
}
