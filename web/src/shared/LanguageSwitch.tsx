import { useI18n } from '../i18n';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button
      type="button"
      className="button link lang-switch"
      lang={lang === 'en' ? 'zh-CN' : 'en'}
      aria-label={`${t('language')}: ${t('switchLanguage')}`}
      onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
    >
      {t('switchLanguage')}
    </button>
  );
}
