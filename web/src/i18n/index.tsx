import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { InputProblem } from './input-problem';
import { errorsZh } from './errors.zh';
import { zh, type MessageKey } from './zh';

export type { MessageKey };

/**
 * Simplified Chinese first; English as the alternative, chosen in the header and kept in localStorage.
 * Chinese is in the main bundle; English (its messages, error words and input-problem sentences) is a chunk
 * of its own, loaded the first time someone chooses it.
 */
export type Lang = 'zh-CN' | 'en';
const LANG_KEY = 'bst.lang';

interface Dictionary {
  messages: Record<MessageKey, string>;
  /** Words for the server's error codes. */
  errors: Record<string, string>;
  /** An input problem (field + rule) in this language. */
  problem(problem: InputProblem): string;
}

const CHINESE: Dictionary = { messages: zh, errors: errorsZh, problem: (p) => p.message };

async function dictionaryFor(lang: Lang): Promise<Dictionary> {
  if (lang === 'zh-CN') return CHINESE;
  const english = await import('./english');
  return { messages: english.en, errors: english.errorsEn, problem: english.problemEn };
}

export interface Translate {
  (key: MessageKey, vars?: Record<string, string | number>): string;
  /** The words for a server error `code` in this language, when there are any. */
  error(code: string): string | undefined;
  /** What is wrong with one input field, in this language. */
  problem(problem: InputProblem): string;
  readonly lang: Lang;
}

interface I18n {
  lang: Lang;
  t: Translate;
  setLang(lang: Lang): void;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' || stored === 'zh-CN' ? stored : 'zh-CN';
}

function translator(lang: Lang, dictionary: Dictionary): Translate {
  const t = ((key: MessageKey, vars?: Record<string, string | number>) => {
    const text = dictionary.messages[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text;
  }) as Translate;
  return Object.assign(t, { error: (code: string) => dictionary.errors[code], problem: dictionary.problem, lang });
}

export function I18nProvider({ children }: { children: ReactNode }) {
  // The language shown and its dictionary change together, once the dictionary has loaded.
  const [shown, setShown] = useState<{ lang: Lang; dictionary: Dictionary } | null>(() =>
    initialLang() === 'zh-CN' ? { lang: 'zh-CN', dictionary: CHINESE } : null,
  );
  const [wanted, setWanted] = useState<Lang>(initialLang);
  useEffect(() => {
    let live = true;
    dictionaryFor(wanted).then(
      (dictionary) => live && setShown({ lang: wanted, dictionary }),
      // A chunk that fails to load (offline) leaves the page in the language it has.
      () => live && setShown((current) => current ?? { lang: 'zh-CN', dictionary: CHINESE }),
    );
    return () => {
      live = false;
    };
  }, [wanted]);
  useEffect(() => {
    if (!shown) return;
    document.documentElement.lang = shown.lang;
    document.title = shown.dictionary.messages.appName;
  }, [shown]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(LANG_KEY, next);
    setWanted(next);
  }, []);
  const value = useMemo(() => (shown ? { lang: shown.lang, t: translator(shown.lang, shown.dictionary), setLang } : null), [shown, setLang]);
  // Only a first visit in English waits (briefly) for its dictionary.
  if (!value) return null;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
